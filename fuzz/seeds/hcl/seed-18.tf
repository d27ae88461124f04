data "aws_iam_policy_document" "pull" {
  statement { # expect: CTL.ECR.PUBLIC.001
    sid    = "PublicPull"
    effect = "Allow"

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
  }
}

resource "aws_ecr_repository" "app" {
  name = "helm-charts"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.pull.json
}
