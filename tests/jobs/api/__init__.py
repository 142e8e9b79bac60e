"""The events and external-work API."""
