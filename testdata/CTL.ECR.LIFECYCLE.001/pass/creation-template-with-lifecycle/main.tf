resource "aws_ecr_repository_creation_template" "on_push" {
  prefix               = "teams"
  description          = "Repositories created on push by team pipelines"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["CREATE_ON_PUSH"]

  lifecycle_policy = jsonencode({
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
