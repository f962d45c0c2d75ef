"""What an account has: its threat detection, findings hub, access analyzer and security contact."""
