resource "aws_ecr_repository" "app" {
  name = "data-exporter"

  image_scanning_configuration {
    scan_on_push = false # expect: CTL.ECR.SCAN.001
  }
}
