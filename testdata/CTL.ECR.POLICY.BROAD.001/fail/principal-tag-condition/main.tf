resource "aws_ecr_repository" "app" {
  name = "team-images"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: CTL.ECR.POLICY.BROAD.001
        Sid       = "PlatformTeamPushPull"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:PutImage"]
        Condition = {
          StringEquals = { "aws:PrincipalTag/team" = "platform" }
        }
      }
    ]
  })
}
