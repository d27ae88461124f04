data "aws_kms_key" "team" {
  key_id = "alias/team-images"
}

resource "aws_ecr_repository" "r" {
  name = "r"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.team.arn
  }
}
