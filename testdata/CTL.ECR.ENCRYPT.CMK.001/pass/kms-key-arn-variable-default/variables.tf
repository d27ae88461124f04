variable "ecr_kms_key_arn" {
  description = "Customer-managed key shared by the platform team."
  type        = string
  default     = "arn:aws:kms:eu-central-1:444455556666:key/0f3e5a0c-8d2b-4e7e-9c1a-2b7d6f4e9a10"
}
