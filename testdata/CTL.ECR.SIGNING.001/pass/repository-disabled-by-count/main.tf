variable "create_repository" {
  type    = bool
  default = false
}

resource "aws_ecr_repository" "this" {
  count = var.create_repository ? 1 : 0

  name = "optional-sidecar"
}
