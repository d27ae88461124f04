variable "scan_on_push" {
  type    = bool
  default = true
}
