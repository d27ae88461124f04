variable "repository_names" {
  description = "Provided by the calling pipeline."
  type        = list(string)
}

resource "aws_ecr_repository" "this" { # expect: CTL.ECR.SIGNING.001
  for_each = toset(var.repository_names)

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
}
