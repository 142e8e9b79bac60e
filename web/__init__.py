"""onething web application: JSON API and pages."""
