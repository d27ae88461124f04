module "ecr" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"
  name    = "from-registry"
}

module "missing" {
  source = "git::https://example.com/never-installed.git"
}
