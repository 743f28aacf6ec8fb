variable "encrypted" {
  type    = bool
  default = true
}

variable "size" {
  type = number
}

resource "aws_ebs_volume" "this" {
  availability_zone = "eu-west-1a"
  size              = var.size
  encrypted         = var.encrypted
}
