resource "aws_ecr_repository" "r" {
  name = "r"
}

resource "aws_ecr_repository_policy" "p" {
  repository = aws_ecr_repository.r.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action = ["ecr:BatchGetImage"]
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
    }]
  })
}
