locals {
  services = ["billing", "ledger"]

  # No "mutability" key here, so lookup() falls back to "MUTABLE".
  repository_settings = {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "svc" {
  count = length(local.services)

  name                 = local.services[count.index]
  image_tag_mutability = lookup(local.repository_settings, "mutability", "MUTABLE") # expect: CTL.ECR.TAG.IMMUTABLE.001

  image_scanning_configuration {
    scan_on_push = local.repository_settings.scan_on_push
  }
}
