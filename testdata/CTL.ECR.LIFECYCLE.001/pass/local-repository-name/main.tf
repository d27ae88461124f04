variable "team" {
  type    = string
  default = "growth"
}

locals {
  repository_name = "${var.team}/experiments"
}

resource "aws_ecr_repository" "app" {
  name = local.repository_name
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = local.repository_name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep 10 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 10
      }
      action = { type = "expire" }
    }]
  })

  depends_on = [aws_ecr_repository.app]
}
