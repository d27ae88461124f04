resource "aws_ecr_repository" "other" {
  name = "identity-admin-ui"
}

resource "aws_ecr_repository" "idp" { # expect: CTL.ECR.FINDINGS.UNRESOLVED.001
  name = "identity-provider"

  image_scanning_configuration {
    scan_on_push = true
  }
}
