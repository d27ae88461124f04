variable "tag_mutability" {
  type    = string
  default = "MUTABLE"
}
