resource "aws_ecr_repository" "app" {
  name                 = "notifications"
  image_tag_mutability = var.image_tag_mutability
}
