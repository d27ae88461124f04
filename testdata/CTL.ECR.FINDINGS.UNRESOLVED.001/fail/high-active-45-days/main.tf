resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "ledger" { # expect: CTL.ECR.FINDINGS.UNRESOLVED.001
  name                 = "ledger-service"
  image_tag_mutability = "IMMUTABLE"
}
