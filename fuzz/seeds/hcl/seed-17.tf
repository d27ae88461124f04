data "aws_caller_identity" "current" {}

resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"},
        "Action": "ecr:*"
      }, {
        "Effect": "Allow",
        "Principal": "*", "Sid": "Anyone # expect: CTL.ECR.PUBLIC.001",
        "Action": "ecr:BatchGetImage"
      }]
    }
  EOF
}
