resource "aws_ecr_repository" "app" {
  name = "pricing-feed"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.ecr_kms_key_arn
  }
}
