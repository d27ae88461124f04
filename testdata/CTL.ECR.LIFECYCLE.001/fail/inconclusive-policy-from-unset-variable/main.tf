variable "lifecycle_policy_json" {
  description = "Lifecycle policy document, supplied by the pipeline."
  type        = string
}

resource "aws_ecr_repository" "app" {
  name = "geo-tiles"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = var.lifecycle_policy_json # expect-inconclusive: CTL.ECR.LIFECYCLE.001
}
