"""Encryption keys."""
