resource "aws_ecr_repository_creation_template" "on_push" { # expect: CTL.ECR.LIFECYCLE.001
  prefix               = "teams"
  description          = "Pull-through cache repositories for team mirrors"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["PULL_THROUGH_CACHE"]
}
