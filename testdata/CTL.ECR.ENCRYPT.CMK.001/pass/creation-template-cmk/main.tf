resource "aws_kms_key" "ecr" {
  description         = "Key for repositories created from templates"
  enable_key_rotation = true
}

resource "aws_ecr_repository_creation_template" "pull_through" {
  prefix      = "quay"
  description = "Pull-through cache repositories"

  applied_for = ["PULL_THROUGH_CACHE"]

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
