variable "untagged_image_retention_days" {
  description = "Days to keep untagged images before the lifecycle policy expires them."
  type        = number
  default     = 14
}
