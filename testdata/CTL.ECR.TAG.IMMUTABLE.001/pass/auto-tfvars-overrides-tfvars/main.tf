resource "aws_ecr_repository" "app" {
  name                 = "pricing-engine"
  image_tag_mutability = var.tag_mutability
}
