variable "enable_scan_on_push" {
  type    = bool
  default = true
}

resource "aws_ecr_repository" "app" {
  name = "image-resizer"

  dynamic "image_scanning_configuration" {
    for_each = var.enable_scan_on_push ? [1] : []
    content {
      scan_on_push = true
    }
  }
}
