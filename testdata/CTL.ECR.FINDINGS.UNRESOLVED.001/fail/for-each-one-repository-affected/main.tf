locals {
  repositories = toset(["media-api", "media-worker"])
}

# Only media-worker has an overdue finding.
resource "aws_ecr_repository" "media" { # expect: CTL.ECR.FINDINGS.UNRESOLVED.001
  for_each = local.repositories

  name                 = each.key
  image_tag_mutability = "IMMUTABLE"
}
