resource "aws_ecr_repository" "search" {
  name = "search-api"
}
