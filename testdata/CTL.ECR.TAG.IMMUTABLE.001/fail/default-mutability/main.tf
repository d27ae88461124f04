provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecr_repository" "inventory" { # expect: CTL.ECR.TAG.IMMUTABLE.001
  name = "inventory-service"

  image_scanning_configuration {
    scan_on_push = true
  }
}
