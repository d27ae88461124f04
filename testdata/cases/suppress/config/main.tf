module "legacy" {
  source = "./legacy"
}

resource "aws_ecr_repository" "tmp_build" {
  name = "tmp-build"
}

resource "aws_ecr_repository" "app" {
  name = "app"
}
