resource "aws_ecr_repository" "api" {
  name = "booking-api"
}

resource "aws_ecr_repository" "worker" { # expect: CTL.ECR.LIFECYCLE.001
  name = "booking-worker"
}

resource "aws_ecr_lifecycle_policy" "api" {
  repository = aws_ecr_repository.api.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep last 30 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 30
      }
      action = { type = "expire" }
    }]
  })
}
