resource "aws_ecr_repository" "app" {
  name = "statement-renderer"

  encryption_configuration {
    encryption_type = "AES256" # expect: CTL.ECR.ENCRYPT.CMK.001
  }
}
