provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_ecr_repository" "east" {
  name = "east"
  image_scanning_configuration {
    scan_on_push = false
  }
}

resource "aws_ecr_repository" "west" {
  provider = aws.west
  name     = "west"
}

resource "aws_ecr_registry_scanning_configuration" "west" {
  provider  = aws.west
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}
