variable "repository_policy_json" {
  description = "Repository policy document, rendered by the platform pipeline."
  type        = string
}

resource "aws_ecr_repository" "app" {
  name = "tenant-router"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = var.repository_policy_json # expect: CTL.ECR.INCOMPLETE.001 # expect-inconclusive: CTL.ECR.PUBLIC.001 # expect-inconclusive: CTL.ECR.POLICY.BROAD.001
}
