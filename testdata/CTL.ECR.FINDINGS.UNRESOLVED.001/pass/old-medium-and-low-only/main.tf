resource "aws_ecr_repository" "site" {
  name = "static-site"
}
