variable "kms_arn" {
  type    = string
  default = null
}

resource "aws_ecr_repository" "r" {
  name = "r"
  dynamic "encryption_configuration" {
    for_each = var.kms_arn == null ? [] : [1]
    content {
      encryption_type = "KMS"
      kms_key         = var.kms_arn
    }
  }
}
