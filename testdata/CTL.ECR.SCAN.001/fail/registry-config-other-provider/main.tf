provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}

# Registry scanning is configured only for the us-west-2 registry.
resource "aws_ecr_registry_scanning_configuration" "dr" {
  provider  = aws.dr
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "app" { # expect: CTL.ECR.SCAN.001
  name = "order-router"
}
