resource "aws_ecr_repository" "frontend" {
  name                 = "storefront/frontend"
  image_tag_mutability = "MUTABLE" # expect: CTL.ECR.TAG.IMMUTABLE.001
  force_delete         = true

  tags = {
    Team = "web"
  }
}
