locals {
  repositories = {
    "api"         = "IMMUTABLE"
    "web"         = "IMMUTABLE"
    "build-cache" = "MUTABLE"
  }
}

# Only the "build-cache" instance is mutable.
resource "aws_ecr_repository" "this" {
  for_each = local.repositories

  name                 = "platform/${each.key}"
  image_tag_mutability = each.value # expect: CTL.ECR.TAG.IMMUTABLE.001
}
