resource "aws_ecr_repository_creation_template" "public_mirror" {
  prefix               = "mirror"
  description          = "Mirrors of public images"
  image_tag_mutability = "IMMUTABLE"

  applied_for = ["PULL_THROUGH_CACHE"]

  repository_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: CTL.ECR.PUBLIC.001
        Sid       = "AnyonePull"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }
    ]
  })
}
