data "aws_ssm_parameter" "ecr_policy" {
  name = "/platform/ecr/repository-policy"
}

resource "aws_ecr_repository" "app" {
  name = "billing-exporter"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_ssm_parameter.ecr_policy.value # expect: CTL.ECR.INCOMPLETE.001 # expect-inconclusive: CTL.ECR.PUBLIC.001 # expect-inconclusive: CTL.ECR.POLICY.BROAD.001
}
