resource "aws_ecr_repository" "payments" { # expect: CTL.ECR.FINDINGS.UNRESOLVED.001
  name                 = "payments-api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}
