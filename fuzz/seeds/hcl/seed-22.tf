resource "aws_ecr_repository" "app" {
  name = "partner-sdk"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ # expect: CTL.ECR.PUBLIC.001
      Sid       = "PullOverTls"
      Effect    = "Allow"
      Principal = "*"
      Action    = "ecr:BatchGetImage"
      Condition = {
        Bool = { "aws:SecureTransport" = "true" }
      }
    }]
  })
}
