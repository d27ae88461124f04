variable "service_names" {
  type    = list(string)
  default = ["loyalty", "coupons"]
}

resource "aws_ecr_repository" "svc" {
  count = length(var.service_names)
  name  = var.service_names[count.index]
}

resource "aws_ecr_lifecycle_policy" "svc" {
  count      = length(var.service_names)
  repository = aws_ecr_repository.svc[count.index].name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 50
      }
      action = { type = "expire" }
    }]
  })
}
