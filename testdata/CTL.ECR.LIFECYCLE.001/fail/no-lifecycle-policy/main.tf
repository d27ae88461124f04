resource "aws_ecr_repository" "app" { # expect: CTL.ECR.LIFECYCLE.001
  name                 = "session-store"
  image_tag_mutability = "IMMUTABLE"
}
