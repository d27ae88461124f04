variable "tag_mode" {
  type    = string
  default = "immutable"
}

resource "aws_ecr_repository" "app" {
  name                 = "ml-inference"
  image_tag_mutability = upper(trimspace(var.tag_mode))
}
