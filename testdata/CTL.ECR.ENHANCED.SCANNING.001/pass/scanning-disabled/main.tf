# No scanning at all: SCAN.001 applies, not the basic-vs-enhanced control.
resource "aws_ecr_repository" "app" {
  name = "batch-reports"
}
