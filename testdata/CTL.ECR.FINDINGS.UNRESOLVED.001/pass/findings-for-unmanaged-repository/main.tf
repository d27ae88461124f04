# The findings file is for "retired-batch", which this configuration does not manage.
resource "aws_ecr_repository" "catalog" {
  name = "catalog-api"
}
