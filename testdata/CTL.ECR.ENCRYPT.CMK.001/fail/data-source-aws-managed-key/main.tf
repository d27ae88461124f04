data "aws_kms_alias" "ecr" {
  name = "alias/aws/ecr"
}

resource "aws_ecr_repository" "app" {
  name = "pricing-feed"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.ecr.target_key_arn # expect: CTL.ECR.ENCRYPT.CMK.001
  }
}
