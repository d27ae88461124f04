resource "aws_ecr_repository" "api_prod" {
  name = "api-prod"
}
resource "aws_ecr_repository" "my_prod_api" {
  name = "my-prod-api"
}
resource "aws_ecr_repository" "manual_only" {
  name = "batch-jobs"
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*-prod"
      filter_type = "WILDCARD"
    }
  }
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "prod"
      filter_type = "WILDCARD"
    }
  }
  rule {
    scan_frequency = "MANUAL"
    repository_filter {
      filter      = "batch*"
      filter_type = "WILDCARD"
    }
  }
}
