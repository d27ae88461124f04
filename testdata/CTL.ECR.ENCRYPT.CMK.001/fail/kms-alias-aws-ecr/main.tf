resource "aws_ecr_repository" "app" {
  name = "trade-settlement"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr" # expect: CTL.ECR.ENCRYPT.CMK.001
  }
}
