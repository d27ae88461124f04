resource "aws_ecr_repository" "r" {
  for_each = { a = "x", b = "y" }
  name     = each.value
}
