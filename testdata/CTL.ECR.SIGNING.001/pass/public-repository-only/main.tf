provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_ecrpublic_repository" "cli" {
  provider = aws.us_east_1

  repository_name = "acme-cli"

  catalog_data {
    about_text        = "Command-line client for the Acme API."
    architectures     = ["x86-64", "ARM 64"]
    operating_systems = ["Linux"]
  }
}
