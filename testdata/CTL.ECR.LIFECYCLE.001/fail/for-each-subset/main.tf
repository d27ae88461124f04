locals {
  repositories       = toset(["api", "worker", "batch"])
  managed_lifecycles = toset(["api", "worker"])
}

resource "aws_ecr_repository" "app" { # expect: CTL.ECR.LIFECYCLE.001
  for_each = local.repositories

  name = "fulfilment-${each.key}"
}

resource "aws_ecr_lifecycle_policy" "app" {
  for_each = local.managed_lifecycles

  repository = aws_ecr_repository.app[each.key].name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 7 days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 7
      }
      action = { type = "expire" }
    }]
  })
}
