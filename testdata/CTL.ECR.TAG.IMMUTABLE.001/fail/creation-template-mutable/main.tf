resource "aws_ecr_repository_creation_template" "pull_through" {
  prefix               = "docker-hub"
  description          = "Repositories created by the Docker Hub pull-through cache"
  image_tag_mutability = "MUTABLE" # expect: CTL.ECR.TAG.IMMUTABLE.001

  applied_for = [
    "PULL_THROUGH_CACHE",
  ]

  encryption_configuration {
    encryption_type = "AES256"
  }
}
