resource "aws_ecr_repository" "app" { # expect: CTL.ECR.ENCRYPT.CMK.001
  name                 = "risk-engine"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
