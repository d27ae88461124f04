locals {
  workload_account_ids = ["111122223333", "444455556666"]
}

resource "aws_ecr_repository" "app" {
  name = "checkout-web"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy = templatefile("${path.module}/policy.json.tftpl", {
    account_ids = local.workload_account_ids
  })
}
