resource "aws_ecr_repository" "app" { # expect: CTL.ECR.ENHANCED.SCANNING.001
  name                 = "claims-processor"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
