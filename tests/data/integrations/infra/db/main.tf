resource "aws_security_group" "db" {
  name = "db"

  ingress {
    protocol    = "tcp"
    from_port   = 3306
    to_port     = 3306
    cidr_blocks = ["10.0.0.0/8"]
  }
}
