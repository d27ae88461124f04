data "aws_s3_object" "ecr_policy" {
  bucket = "acme-platform-policies"
  key    = "ecr/shared-repository-policy.json"
}

resource "aws_ecr_repository" "app" {
  name = "shared-runtime"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_s3_object.ecr_policy.body # expect: CTL.ECR.INCOMPLETE.001 # expect-inconclusive: CTL.ECR.PUBLIC.001 # expect-inconclusive: CTL.ECR.POLICY.BROAD.001
}
