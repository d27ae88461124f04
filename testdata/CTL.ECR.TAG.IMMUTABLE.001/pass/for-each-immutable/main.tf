locals {
  repositories = toset(["auth", "gateway", "profile"])
}

resource "aws_ecr_repository" "svc" {
  for_each = local.repositories

  name                 = "core/${each.value}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
