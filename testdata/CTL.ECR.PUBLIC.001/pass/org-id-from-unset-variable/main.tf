# The organization id is supplied at apply time; an unknown value under a
# restricting condition key still pins access to one organization.
variable "organization_id" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name = "platform-base"
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OrgPull"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Condition = {
          StringEquals = { "aws:PrincipalOrgID" = var.organization_id }
        }
      }
    ]
  })
}
