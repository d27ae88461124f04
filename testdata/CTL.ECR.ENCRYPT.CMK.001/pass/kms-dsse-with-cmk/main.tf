resource "aws_kms_key" "images" {
  description         = "Dual-layer encryption for regulated images"
  enable_key_rotation = true
}

resource "aws_ecr_repository" "app" {
  name = "kyc-verifier"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = aws_kms_key.images.arn
  }
}
