resource "aws_ecr_repository" "app" {
  name = "build-images"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CodeBuildPull"
        Effect    = "Allow"
        Principal = { Service = "codebuild.amazonaws.com" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Condition = {
          StringEquals = { "aws:SourceAccount" = "111122223333" }
        }
      }
    ]
  })
}
