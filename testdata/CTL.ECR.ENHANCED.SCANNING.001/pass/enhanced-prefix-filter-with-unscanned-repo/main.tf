resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "prod-*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "prod_api" {
  name = "prod-api"
}

resource "aws_ecr_repository" "sandbox" {
  name = "sandbox-tools"
}
