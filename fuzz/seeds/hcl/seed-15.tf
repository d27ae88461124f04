provider "aws" {
  region = "us-east-1"
}

resource "aws_ecrpublic_repository" "agent" { # expect: CTL.ECR.PUBLIC.001
  repository_name = "monitoring-agent"

  catalog_data {
    description       = "Host monitoring agent"
    operating_systems = ["Linux"]
  }
}
