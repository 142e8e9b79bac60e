"""The organisation wing: offices, users, catalogue, sign-in and sessions, admin."""
