variable "policy_path" {
  description = "Path to the repository policy document."
  type        = string
}

resource "aws_ecr_repository" "app" {
  name = "ops-toolbox"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = file(var.policy_path) # expect: CTL.ECR.INCOMPLETE.001 # expect-inconclusive: CTL.ECR.PUBLIC.001 # expect-inconclusive: CTL.ECR.POLICY.BROAD.001
}
