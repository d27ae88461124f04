resource "aws_ecr_repository" "app" {
  name = "document-ocr"

  encryption_configuration {
    encryption_type = var.encryption_type # expect: CTL.ECR.ENCRYPT.CMK.001
  }
}
