resource "aws_ecr_repository" "this" { name = "only-when-created" }
