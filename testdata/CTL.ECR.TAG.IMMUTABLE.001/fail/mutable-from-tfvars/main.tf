resource "aws_ecr_repository" "reports" {
  name                 = "reporting-api"
  image_tag_mutability = var.tag_mutability # expect: CTL.ECR.TAG.IMMUTABLE.001

  image_scanning_configuration {
    scan_on_push = true
  }
}
