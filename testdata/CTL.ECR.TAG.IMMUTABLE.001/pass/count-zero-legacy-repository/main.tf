variable "create_legacy_repository" {
  type    = bool
  default = false
}

resource "aws_ecr_repository" "legacy" {
  count = var.create_legacy_repository ? 1 : 0

  name                 = "legacy-monolith"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecr_repository" "current" {
  name                 = "monolith"
  image_tag_mutability = "IMMUTABLE"
}
