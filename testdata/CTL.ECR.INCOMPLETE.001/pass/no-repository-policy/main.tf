resource "aws_ecr_repository" "app" {
  name = "tenant-router"
}
