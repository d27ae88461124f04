resource "aws_ecr_repository_creation_template" "replication" { # expect: CTL.ECR.ENCRYPT.CMK.001
  prefix               = "ROOT"
  description          = "Default settings for replicated repositories"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["REPLICATION"]
}
