locals {
  repositories = {
    api = { mutability = "IMMUTABLE" }
    ui  = { mutability = "IMMUTABLE" }
  }
}

resource "aws_ecr_repository" "this" { # expect: CTL.ECR.SIGNING.001
  for_each = local.repositories

  name                 = "portal-${each.key}"
  image_tag_mutability = each.value.mutability
}
