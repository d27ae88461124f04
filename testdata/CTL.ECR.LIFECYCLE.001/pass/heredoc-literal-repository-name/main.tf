resource "aws_ecr_repository" "billing" {
  name = "billing-api"
}

resource "aws_ecr_lifecycle_policy" "billing" {
  repository = "billing-api"

  policy = <<-EOF
    {
      "rules": [
        {
          "rulePriority": 1,
          "description": "Keep the last 25 images",
          "selection": {
            "tagStatus": "any",
            "countType": "imageCountMoreThan",
            "countNumber": 25
          },
          "action": {
            "type": "expire"
          }
        }
      ]
    }
  EOF

  depends_on = [aws_ecr_repository.billing]
}
