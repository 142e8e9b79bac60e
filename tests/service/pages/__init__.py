"""The applicant's service pages."""
