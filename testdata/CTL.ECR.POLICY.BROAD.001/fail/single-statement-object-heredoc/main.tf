resource "aws_ecr_repository" "app" {
  name = "edge-firmware"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "ecr:Batch*",
    "Principal": "*", "Sid": "FleetPull # expect: CTL.ECR.POLICY.BROAD.001"
  }
}
EOF
}
