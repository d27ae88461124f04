resource "aws_ecr_repository" "cron" {
  name = "legacy-cron"

  image_scanning_configuration {
    scan_on_push = true
  }
}
