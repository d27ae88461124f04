variable "replica_count" {
  type    = number
  default = 2
}

resource "aws_ecr_repository" "shard" { # expect: CTL.ECR.SIGNING.001
  count = var.replica_count

  name = "index-shard-${count.index}"
}
