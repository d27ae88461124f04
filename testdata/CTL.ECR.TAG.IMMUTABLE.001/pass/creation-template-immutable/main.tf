resource "aws_ecr_repository_creation_template" "ci" {
  prefix               = "ci"
  description          = "Repositories created on first push by CI"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["CREATE_ON_PUSH"]
}
