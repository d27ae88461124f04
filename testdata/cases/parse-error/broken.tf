resource "aws_ecr_repository" "broken" {
  name = "broken"
  image_tag_mutability = 
}
