variable "repository_policy_json" {
  type    = string
  default = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "ProdPull",
          "Effect": "Allow",
          "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
          "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        }
      ]
    }
  EOT
}
