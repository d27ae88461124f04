variable "extra_repositories" {
  type    = set(string)
  default = []
}

resource "aws_ecr_repository" "extra" {
  for_each = var.extra_repositories

  name = each.value
}
