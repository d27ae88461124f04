resource "aws_ecr_repository" "app" {
  name = "ops-toolbox"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = file("${path.module}/policies/cross-account-pull.json")
}
