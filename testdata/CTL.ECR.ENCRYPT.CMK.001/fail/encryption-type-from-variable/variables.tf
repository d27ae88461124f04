variable "encryption_type" {
  description = "AES256 or KMS."
  type        = string
  default     = "AES256"
}
