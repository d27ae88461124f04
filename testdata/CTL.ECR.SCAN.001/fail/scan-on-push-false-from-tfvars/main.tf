resource "aws_ecr_repository" "app" {
  name = "geo-lookup"

  image_scanning_configuration {
    scan_on_push = var.scan_on_push # expect: CTL.ECR.SCAN.001
  }
}
