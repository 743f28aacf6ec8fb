variable "admin_cidrs" {
  type    = list(string)
  default = ["10.20.0.0/16"]
}

variable "web_ports" {
  default = [80, 443]
}

resource "aws_security_group" "bastion_open" {
  name = "bastion"
  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "rdp_world" {
  type              = "ingress"
  security_group_id = "sg-0123456789"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "everything_open" {
  name = "debug"
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Admin SSH only from the corporate range: not a finding.
resource "aws_security_group" "admin_ssh" {
  name = "admin"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
}

# Public web ports built with a dynamic block: not a finding for SSH/RDP.
resource "aws_security_group" "web_dynamic" {
  name = "web"
  dynamic "ingress" {
    for_each = var.web_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_vpc" "main_vpc" {
  cidr_block = "10.0.0.0/16"
}
