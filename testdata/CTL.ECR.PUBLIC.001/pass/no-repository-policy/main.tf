resource "aws_ecr_repository" "app" {
  name                 = "internal-tools"
  image_tag_mutability = "IMMUTABLE"
}
