module "ssh" {
  source = "../modules/sg"
  port   = 22
  cidr   = "0.0.0.0/0"
}

module "rdp" {
  source = "../modules/sg"
  port   = 3389
  cidr   = "0.0.0.0/0"
}
