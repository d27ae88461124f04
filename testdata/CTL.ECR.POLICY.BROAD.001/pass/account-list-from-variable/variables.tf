variable "pull_account_ids" {
  description = "Accounts allowed to pull images."
  type        = list(string)
  default     = ["111122223333", "444455556666"]
}
