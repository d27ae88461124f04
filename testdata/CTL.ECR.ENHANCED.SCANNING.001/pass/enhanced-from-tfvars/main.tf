resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = var.scan_type

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "app" {
  name = "identity-broker"

  image_scanning_configuration {
    scan_on_push = true
  }
}
