resource "aws_ecr_repository" "app" {
  name = "build-agents"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PullThroughVpcEndpoint"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Condition = {
          StringEquals = {
            "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890"
          }
        }
      }
    ]
  })
}
