data "aws_iam_policy_document" "pull" {
  statement {
    sid = "WorkloadAccountsPull"

    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]

    principals {
      type        = "AWS"
      identifiers = formatlist("arn:aws:iam::%s:root", var.pull_account_ids)
    }
  }
}

resource "aws_ecr_repository" "app" {
  name = "shared-services"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.pull.json
}
