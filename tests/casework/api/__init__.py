"""The cases and tasks API."""
