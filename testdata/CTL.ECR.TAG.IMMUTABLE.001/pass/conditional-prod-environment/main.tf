variable "environment" {
  type    = string
  default = "prod"
}

locals {
  is_prod = var.environment == "prod"
}

resource "aws_ecr_repository" "api" {
  name                 = "${var.environment}-orders-api"
  image_tag_mutability = local.is_prod ? "IMMUTABLE" : "MUTABLE"
}
