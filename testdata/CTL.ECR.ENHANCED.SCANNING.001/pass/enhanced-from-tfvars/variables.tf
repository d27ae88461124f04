variable "scan_type" {
  type    = string
  default = "BASIC"
}
