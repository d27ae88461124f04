locals {
  repo_name = "by-local"
}

resource "aws_ecr_repository" "by_id" {
  name = "by-id"
}
resource "aws_ecr_repository" "by_local" {
  name = local.repo_name
}
resource "aws_ecr_repository" "by_legacy" {
  name = "by-legacy"
}
resource "aws_ecr_repository" "by_literal" {
  name = "by-literal"
}
resource "aws_ecr_repository" "by_each" {
  for_each = toset(["e1", "e2"])
  name     = each.key
}
variable "unknown_name" {}
resource "aws_ecr_repository" "by_origin" {
  name = var.unknown_name
}

locals {
  policy = jsonencode({ rules = [{ rulePriority = 1, action = { type = "expire" } }] })
}
resource "aws_ecr_lifecycle_policy" "by_id" {
  repository = aws_ecr_repository.by_id.id
  policy     = local.policy
}
resource "aws_ecr_lifecycle_policy" "by_local" {
  repository = local.repo_name
  policy     = local.policy
}
resource "aws_ecr_lifecycle_policy" "by_legacy" {
  repository = "${aws_ecr_repository.by_legacy.name}"
  policy     = local.policy
}
resource "aws_ecr_lifecycle_policy" "by_literal" {
  repository = "by-literal"
  policy     = local.policy
}
resource "aws_ecr_lifecycle_policy" "by_each" {
  for_each   = aws_ecr_repository.by_each
  repository = aws_ecr_repository.by_each[each.key].name
  policy     = local.policy
}
resource "aws_ecr_lifecycle_policy" "by_origin" {
  repository = aws_ecr_repository.by_origin.name
  policy     = local.policy
}
resource "aws_ecr_lifecycle_policy" "dangling" {
  repository = "not-in-this-configuration"
  policy     = local.policy
}
