resource "aws_ecr_repository" "app" {
  name = "deploy-tooling"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: CTL.ECR.POLICY.BROAD.001
        Sid       = "DeployersEverything"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::*:role/deployer" }
        NotAction = ["ecr:DeleteRepository", "ecr:SetRepositoryPolicy"]
      }
    ]
  })
}
