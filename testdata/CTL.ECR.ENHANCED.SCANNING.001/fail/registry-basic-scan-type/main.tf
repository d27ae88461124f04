resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "BASIC" # expect: CTL.ECR.ENHANCED.SCANNING.001

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "app" {
  name = "quote-service"
}
