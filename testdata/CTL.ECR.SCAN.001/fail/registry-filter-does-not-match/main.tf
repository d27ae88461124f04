resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "BASIC"

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "prod-*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "prod" {
  name = "prod-api"
}

resource "aws_ecr_repository" "staging" { # expect: CTL.ECR.SCAN.001
  name = "staging-api"
}
