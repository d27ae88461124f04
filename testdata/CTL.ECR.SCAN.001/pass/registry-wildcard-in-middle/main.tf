resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "svc-*-api"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "orders" {
  name = "svc-orders-api"
}

resource "aws_ecr_repository" "users" {
  name = "svc-users-api"
}
