variable "repository_policy_json" {
  type = string
}
