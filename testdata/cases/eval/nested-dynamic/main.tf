variable "rules" {
  default = {
    prod = ["prod-*", "release-*"]
    dev  = []
  }
}

resource "aws_ecr_repository" "r" {
  for_each = toset(["prod-api", "release-web", "dev-tool"])
  name     = each.key
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  # A static rule next to dynamic ones of the same name.
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "nothing-matches-this"
      filter_type = "WILDCARD"
    }
  }

  dynamic "rule" {
    for_each = { for k, v in var.rules : k => v if length(v) > 0 }
    iterator = env
    content {
      scan_frequency = "CONTINUOUS_SCAN"
      dynamic "repository_filter" {
        for_each = env.value
        iterator = f
        content {
          filter      = f.value
          filter_type = "WILDCARD"
        }
      }
    }
  }
}
