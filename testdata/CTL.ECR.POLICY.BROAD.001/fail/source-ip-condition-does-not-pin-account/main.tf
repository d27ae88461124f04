# aws:SourceIp limits the network, not the accounts that can pull.
resource "aws_ecr_repository" "app" {
  name = "on-prem-runners"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # expect: CTL.ECR.POLICY.BROAD.001
        Sid       = "OfficeNetworkPull"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Condition = {
          IpAddress = { "aws:SourceIp" = "203.0.113.0/24" }
        }
      }
    ]
  })
}
