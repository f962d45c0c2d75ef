variable "port" {
  type = number
}

variable "cidr" {
  type = string
}

resource "aws_security_group_rule" "this" {
  type              = "ingress"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = var.port
  to_port           = var.port
  cidr_blocks       = ["10.0.0.0/8"]
}
