resource "aws_ecr_repository" "app" {
  name = "dispatch"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.id
  policy     = file("${path.module}/lifecycle-policy.json")
}
