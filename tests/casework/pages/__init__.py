"""The applicant's case pages."""
