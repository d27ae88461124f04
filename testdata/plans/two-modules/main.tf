# Two modules that both declare `aws_ecr_repository.this`: findings from plan.json must
# land in the module the plan address names.

module "app" {
  source = "./modules/app"
  name   = "app"
}

module "base" {
  source = "./modules/base"
  name   = "base"
}
