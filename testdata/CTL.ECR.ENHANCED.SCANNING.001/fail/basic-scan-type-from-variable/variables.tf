variable "registry_scan_type" {
  type    = string
  default = "BASIC"
}
