resource "aws_ecr_repository" "app" {
  name = "audit-log-shipper"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = jsonencode({ rules = [] }) # expect: CTL.ECR.LIFECYCLE.001
}
