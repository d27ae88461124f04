variable "repositories" {
  type = map(object({
    mutability   = optional(string, "MUTABLE")
    scan_on_push = optional(bool, false)
    kms_key      = optional(string)
  }))
}

resource "aws_ecr_repository" "this" {
  for_each             = var.repositories
  name                 = each.key
  image_tag_mutability = each.value.mutability
  image_scanning_configuration {
    scan_on_push = each.value.scan_on_push
  }
  dynamic "encryption_configuration" {
    for_each = each.value.kms_key == null ? [] : [each.value.kms_key]
    content {
      encryption_type = "KMS"
      kms_key         = encryption_configuration.value
    }
  }
}
