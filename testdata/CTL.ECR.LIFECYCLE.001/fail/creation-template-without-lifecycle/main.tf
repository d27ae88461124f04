resource "aws_ecr_repository_creation_template" "on_push" { # expect: CTL.ECR.LIFECYCLE.001
  prefix               = "teams"
  description          = "Repositories created on push by team pipelines"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["CREATE_ON_PUSH"]
}
