terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.10.0"
    }
  }
}

resource "aws_ecr_repository" "app" {
  name                 = "checkout"
  image_tag_mutability = "MUTABLE_WITH_EXCLUSION" # expect: CTL.ECR.TAG.IMMUTABLE.001

  image_tag_mutability_exclusion_filter {
    filter      = "release-*"
    filter_type = "WILDCARD"
  }
}
