# Metadata actions only: no pull (BatchGetImage, GetDownloadUrlForLayer) or push.
resource "aws_ecr_repository" "app" {
  name = "catalogue-index"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "BrowseMetadata"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::*:root" }
        Action    = ["ecr:Describe*", "ecr:List*"]
      }
    ]
  })
}
