variable "environment" {
  type    = string
  default = "staging"
}

resource "aws_ecr_repository" "api" {
  name                 = "${var.environment}-orders-api"
  image_tag_mutability = var.environment == "prod" ? "IMMUTABLE" : "MUTABLE" # expect: CTL.ECR.TAG.IMMUTABLE.001
}
