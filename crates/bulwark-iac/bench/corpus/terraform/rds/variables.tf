variable "db_public" {
  type    = bool
  default = false
}

variable "encrypt_storage" {
  type    = bool
  default = true
}

variable "create_replica" {
  type    = bool
  default = false
}
