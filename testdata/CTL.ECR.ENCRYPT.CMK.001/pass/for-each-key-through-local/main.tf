resource "aws_kms_key" "ecr" {
  description         = "Shared ECR key"
  enable_key_rotation = true
}

locals {
  ecr_kms_key_arn = aws_kms_key.ecr.arn
  repositories    = toset(["auth", "billing", "search"])
}

resource "aws_ecr_repository" "svc" {
  for_each = local.repositories

  name = "platform/${each.key}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = local.ecr_kms_key_arn
  }
}
