resource "aws_ecr_repository" "worker" {
  name                 = "queue-worker"
  image_tag_mutability = var.image_tag_mutability # expect: CTL.ECR.TAG.IMMUTABLE.001
}
