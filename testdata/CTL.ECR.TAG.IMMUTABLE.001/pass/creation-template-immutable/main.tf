resource "aws_ecr_repository_creation_template" "ci" {
  prefix               = "ci"
  description          = "Pull-through cache repositories used by CI"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["PULL_THROUGH_CACHE"]
}
