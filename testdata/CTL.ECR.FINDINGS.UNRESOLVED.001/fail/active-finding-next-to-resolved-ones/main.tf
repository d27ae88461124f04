variable "service" {
  type    = string
  default = "search"
}

resource "aws_ecr_repository" "api" { # expect: CTL.ECR.FINDINGS.UNRESOLVED.001
  name = "${var.service}-api"
}
