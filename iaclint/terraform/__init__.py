"""Terraform front end: HCL2 module directories (and, later, plan JSON) into `Document`s."""
