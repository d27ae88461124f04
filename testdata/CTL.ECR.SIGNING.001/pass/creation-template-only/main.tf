resource "aws_ecr_repository_creation_template" "pull_through" {
  prefix               = "ecr-public"
  description          = "Pull-through cache of ECR Public images"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["PULL_THROUGH_CACHE"]
}
