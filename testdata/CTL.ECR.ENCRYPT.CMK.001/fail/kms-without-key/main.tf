# KMS without kms_key uses the AWS-managed aws/ecr key.
resource "aws_ecr_repository" "app" {
  name = "patient-records-api"

  encryption_configuration {
    encryption_type = "KMS" # expect: CTL.ECR.ENCRYPT.CMK.001
  }
}
