resource "aws_ecr_repository" "ledger" {
  name                 = "ledger-service"
  image_tag_mutability = "IMMUTABLE"
}
