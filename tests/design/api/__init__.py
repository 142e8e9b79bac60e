"""The deployments and guides API."""
