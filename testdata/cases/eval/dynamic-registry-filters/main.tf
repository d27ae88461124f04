variable "teams" {
  default = ["payments", "search"]
}

resource "aws_ecr_repository" "r" {
  for_each = toset(["payments-api", "search-api", "misc-tool"])
  name     = each.key
  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    dynamic "repository_filter" {
      for_each = [for n in var.teams : "${n}-*"]
      content {
        filter      = repository_filter.value
        filter_type = "WILDCARD"
      }
    }
  }
}
