resource "aws_ecr_repository" "app" {
  name = "org-base-images"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "OrgPull",
          "Effect": "Allow",
          "Principal": { "AWS": "*" },
          "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          "Condition": {
            "StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" }
          }
        }
      ]
    }
  EOF
}
