"""Hard-coded secrets and how secrets are passed in."""
