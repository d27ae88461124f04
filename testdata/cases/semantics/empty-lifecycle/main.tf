resource "aws_ecr_repository" "r" {
  name = "r"
}

resource "aws_ecr_lifecycle_policy" "l" {
  repository = aws_ecr_repository.r.name
  policy     = jsonencode({ rules = [] })
}

resource "aws_ecr_lifecycle_policy" "ghost" {
  repository = "ghost"
  policy     = jsonencode({ rules = [{ rulePriority = 1 }] })
}
