resource "aws_ecr_repository" "app" { # expect: CTL.ECR.SCAN.001
  name                 = "customer-portal"
  image_tag_mutability = "IMMUTABLE"
}
