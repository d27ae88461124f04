locals {
  defaults = {
    scan_on_push = true
    mutability   = "IMMUTABLE"
  }

  services = toset(["cart", "search", "reviews"])
}

resource "aws_ecr_repository" "svc" {
  for_each = local.services

  name                 = "shop/${each.key}"
  image_tag_mutability = local.defaults.mutability

  image_scanning_configuration {
    scan_on_push = local.defaults.scan_on_push
  }
}
