repository_policy_json = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "StagingPull",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
      "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }
  ]
}
EOT
