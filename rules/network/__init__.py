"""Network exposure."""
