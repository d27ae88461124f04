resource "aws_ecr_repository" "still_linted" {
  name = "still-linted"
}
