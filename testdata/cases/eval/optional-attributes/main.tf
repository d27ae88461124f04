module "ecr" {
  source = "./ecr"
  repositories = {
    api    = { scan_on_push = true }
    worker = { mutability = "IMMUTABLE" }
  }
}
