locals {
  names = ["edge-proxy", "edge-auth"]
}

resource "aws_ecr_repository" "edge" { # expect: CTL.ECR.ENHANCED.SCANNING.001
  count = length(local.names)

  name = local.names[count.index]

  image_scanning_configuration {
    scan_on_push = true
  }
}
