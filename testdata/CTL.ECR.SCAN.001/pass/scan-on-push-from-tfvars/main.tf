resource "aws_ecr_repository" "app" {
  name = "recommendations"

  image_scanning_configuration {
    scan_on_push = var.scan_on_push
  }
}
