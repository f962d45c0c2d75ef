variable "admin_cidr" {
  type = string
}

resource "aws_security_group" "bastion" {
  name = "bastion"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = [var.admin_cidr]
  }
}
