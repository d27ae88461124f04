locals {
  repositories = {
    api    = true
    worker = true
    legacy = false
  }
}

resource "aws_ecr_repository" "this" {
  for_each = local.repositories

  name = "shipping-${each.key}"

  image_scanning_configuration {
    scan_on_push = each.value # expect: CTL.ECR.SCAN.001
  }
}
