resource "aws_ecr_repository" "app" {
  name = "vendor-integrations"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::*:root" }, "Sid": "AnyAccountPull # expect: CTL.ECR.POLICY.BROAD.001",
          "Action": [
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer"
          ]
        }
      ]
    }
  EOF
}
