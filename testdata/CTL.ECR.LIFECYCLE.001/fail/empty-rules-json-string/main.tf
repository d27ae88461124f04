resource "aws_ecr_repository" "app" {
  name = "metrics-agent"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = "{\"rules\": []}" # expect: CTL.ECR.LIFECYCLE.001
}
