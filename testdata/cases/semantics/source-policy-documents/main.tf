resource "aws_ecr_repository" "r" {
  name = "r"
}

data "aws_iam_policy_document" "public" {
  statement {
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions = ["ecr:BatchGetImage"]
  }
}

data "aws_iam_policy_document" "combined" {
  source_policy_documents = [data.aws_iam_policy_document.public.json]
  statement {
    sid = "Own"
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    actions = ["ecr:*"]
  }
}

resource "aws_ecr_repository_policy" "p" {
  repository = aws_ecr_repository.r.name
  policy     = data.aws_iam_policy_document.combined.json
}
