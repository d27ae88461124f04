resource "aws_ecr_repository" "app" {
  name = "shared-base-images"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: CTL.ECR.PUBLIC.001
        Sid       = "OrgPull"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Condition = {
          StringNotEquals = {
            "aws:PrincipalOrgID" = "o-exampleorgid"
          }
        }
      }
    ]
  })
}
