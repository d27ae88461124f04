data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_ecr_repository" "app" {
  name = "app"
}

# The principal is built from the caller's own account id: it is known only at apply
# time, but it can never be "*", so the policy is neither public nor broad.
resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "SameAccount",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"},
        "Action": "ecr:*"
      }]
    }
  EOF
}
