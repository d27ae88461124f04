resource "aws_ecr_repository" "app" {
  name = "data-science-notebooks"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "KnownAccountsPull",
          "Effect": "Allow",
          "Principal": "*",
          "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          "Condition": {
            "StringEquals": {
              "aws:PrincipalAccount": ["111122223333", "444455556666"]
            }
          }
        }
      ]
    }
  EOF
}
