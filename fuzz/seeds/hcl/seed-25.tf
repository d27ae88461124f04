resource "aws_ecr_repository" "app" {
  name = "analytics-jobs"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: CTL.ECR.PUBLIC.001
        Sid    = "CrossAccountPull"
        Effect = "Allow"
        Principal = {
          AWS = [
            "arn:aws:iam::111122223333:root",
            "*",
          ]
        }
        Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }
    ]
  })
}
