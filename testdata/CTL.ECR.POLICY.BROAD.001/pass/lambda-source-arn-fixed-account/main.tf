resource "aws_ecr_repository" "app" {
  name = "thumbnailer-lambda"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "LambdaECRImageRetrievalPolicy"
        Effect    = "Allow"
        Principal = { Service = "lambda.amazonaws.com" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Condition = {
          ArnLike = {
            "aws:sourceArn" = "arn:aws:lambda:us-east-1:111122223333:function:*"
          }
        }
      }
    ]
  })
}
