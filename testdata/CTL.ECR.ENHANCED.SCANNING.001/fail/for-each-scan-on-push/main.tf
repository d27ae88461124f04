variable "repositories" {
  type    = set(string)
  default = ["ingest", "transform", "publish"]
}

resource "aws_ecr_repository" "pipeline" { # expect: CTL.ECR.ENHANCED.SCANNING.001
  for_each = var.repositories

  name = "etl/${each.value}"

  image_scanning_configuration {
    scan_on_push = true
  }
}
