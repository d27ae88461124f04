data "aws_iam_policy_document" "repo" {
  statement {
    sid     = "ReadOnlyForPartner"
    actions = ["ecr:DescribeImages"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }

  statement { # expect: CTL.ECR.POLICY.BROAD.001
    sid     = "EveryoneFullAccess"
    actions = ["ecr:*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_ecr_repository" "app" {
  name = "scratchpad"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.repo.json
}
