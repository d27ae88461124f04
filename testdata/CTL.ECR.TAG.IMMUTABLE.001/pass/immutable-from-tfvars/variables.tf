variable "image_tag_mutability" {
  type    = string
  default = "MUTABLE"
}
