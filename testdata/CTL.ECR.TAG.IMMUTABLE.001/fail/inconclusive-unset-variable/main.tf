variable "image_tag_mutability" {
  description = "Set by the pipeline at apply time."
  type        = string
}

resource "aws_ecr_repository" "app" {
  name                 = "search-indexer"
  image_tag_mutability = var.image_tag_mutability # expect-inconclusive: CTL.ECR.TAG.IMMUTABLE.001
}
