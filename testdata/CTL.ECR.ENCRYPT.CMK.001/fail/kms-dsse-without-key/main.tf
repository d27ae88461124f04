resource "aws_ecr_repository" "app" {
  name = "kyc-verifier"

  encryption_configuration {
    encryption_type = "KMS_DSSE" # expect: CTL.ECR.ENCRYPT.CMK.001
  }
}
