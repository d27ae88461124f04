variable "create" {
  default = false
}

module "ecr" {
  source = "./ecr"
  count  = var.create ? 1 : 0
}
