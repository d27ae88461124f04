variable "enable_lifecycle_policy" {
  type    = bool
  default = false
}

resource "aws_ecr_repository" "app" { # expect: CTL.ECR.LIFECYCLE.001
  name = "feature-flags"
}

resource "aws_ecr_lifecycle_policy" "app" {
  count = var.enable_lifecycle_policy ? 1 : 0

  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 20
      }
      action = { type = "expire" }
    }]
  })
}
