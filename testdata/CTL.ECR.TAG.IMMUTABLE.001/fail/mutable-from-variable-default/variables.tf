variable "image_tag_mutability" {
  description = "Tag mutability setting for the repository."
  type        = string
  default     = "MUTABLE"
}
