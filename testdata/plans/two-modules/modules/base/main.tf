# The base images' repository.

variable "name" {
  type        = string
  description = "Repository name."
}

resource "aws_ecr_repository" "this" {
  name = var.name

  image_scanning_configuration {
    scan_on_push = false
  }

  image_tag_mutability = "MUTABLE"
}
