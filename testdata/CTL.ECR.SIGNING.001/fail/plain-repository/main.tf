resource "aws_ecr_repository" "app" { # expect: CTL.ECR.SIGNING.001
  name = "webhook-relay"
}
