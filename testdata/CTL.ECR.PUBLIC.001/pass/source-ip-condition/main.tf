resource "aws_ecr_repository" "app" {
  name = "on-prem-runners"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OfficeNetworkPull"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Condition = {
          IpAddress = {
            "aws:SourceIp" = ["203.0.113.0/24", "198.51.100.17/32"]
          }
        }
      }
    ]
  })
}
