resource "aws_ecr_repository" "app" {
  name = "signed-releases"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyPushExceptCi"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["ecr:PutImage"]
        Condition = {
          StringNotEquals = {
            "aws:PrincipalArn" = "arn:aws:iam::111122223333:role/release-pipeline"
          }
        }
      },
      {
        Sid       = "CiPush"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/release-pipeline" }
        Action    = ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]
      },
    ]
  })
}
