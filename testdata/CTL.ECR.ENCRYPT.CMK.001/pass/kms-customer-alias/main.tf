resource "aws_ecr_repository" "app" {
  name = "patient-records-api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/platform-ecr"
  }
}
