resource "aws_ecr_repository" "app" {
  name = "release-artifacts"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CiPush"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/ci-publisher" }
        Action    = ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]
      },
      {
        Sid       = "DenyDeleteForEveryone"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["ecr:BatchDeleteImage", "ecr:DeleteRepository"]
      },
    ]
  })
}
