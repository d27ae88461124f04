resource "aws_ecr_repository" "app" {
  name = "search-ranker"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = var.repository_policy_json
}
