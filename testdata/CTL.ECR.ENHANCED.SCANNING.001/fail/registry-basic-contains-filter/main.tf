resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "BASIC" # expect: CTL.ECR.ENHANCED.SCANNING.001

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "prod"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "prod_api" {
  name = "prod-api"
}

# Not matched by the rule and no scan_on_push: not scanned at all.
resource "aws_ecr_repository" "sandbox" {
  name = "sandbox"
}
