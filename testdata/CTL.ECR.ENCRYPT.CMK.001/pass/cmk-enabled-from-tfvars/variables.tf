variable "use_cmk" {
  type    = bool
  default = false
}
