resource "aws_ecr_repository" "r" {
  count = 2
  name  = "repo-${count.index}"
}

resource "aws_ecr_lifecycle_policy" "l" {
  count      = 2
  repository = element(aws_ecr_repository.r[*].name, count.index)
  policy     = jsonencode({ rules = [{ rulePriority = 1, action = { type = "expire" } }] })
}
