# plangate:ignore CTL.ECR.LIFECYCLE.001 -- scratch repository, images are deleted by hand
resource "aws_ecr_repository" "above" {
  name                 = "above"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository" "header" { # plangate:ignore CTL.ECR.SIGNING.001 -- verified by the cluster's admission controller
  name                 = "header"
  image_tag_mutability = "MUTABLE" # plangate:ignore CTL.ECR.TAG.IMMUTABLE.001 -- release tooling re-tags latest
}

# plangate:ignore CTL.ECR.SCAN.001
resource "aws_ecr_repository" "no_reason" {
  name = "no-reason"
}

# plangate:ignore CTL.ECR.ENCRYPT.CMK.001 until=2020-01-31 -- waiting for the KMS rollout
resource "aws_ecr_repository" "expired" {
  name = "expired"
}

# plangate:ignore CTL.ECR.PUBLIC.001 -- nothing here is public
resource "aws_ecr_repository" "unused" {
  name = "unused"
}

# plangate:ignore CTL.ECR.NOPE.001 -- typo in the id
resource "aws_ecr_repository" "unknown_id" {
  name = "unknown-id"
}

# plangate:ignore CTL.ECR.TAG.IMMUTABLE.001 ["worker"] -- the worker image is re-tagged by CI
resource "aws_ecr_repository" "svc" {
  for_each = toset(["api", "worker"])
  name     = each.key
}
