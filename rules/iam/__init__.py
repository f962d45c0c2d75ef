"""IAM identities and their permissions."""
