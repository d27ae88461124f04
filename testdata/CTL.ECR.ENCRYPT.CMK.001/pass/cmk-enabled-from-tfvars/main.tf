resource "aws_kms_key" "ecr" {
  description         = "ECR CMK"
  enable_key_rotation = true
}

resource "aws_ecr_repository" "app" {
  name = "document-ocr"

  encryption_configuration {
    encryption_type = var.use_cmk ? "KMS" : "AES256"
    kms_key         = var.use_cmk ? aws_kms_key.ecr.arn : null
  }
}
