"""The organisation's API: tokens."""
