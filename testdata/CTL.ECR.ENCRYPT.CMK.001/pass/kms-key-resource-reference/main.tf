resource "aws_kms_key" "ecr" {
  description             = "ECR image encryption"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "app" {
  name = "risk-engine"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
