"""Sign-in, sessions and who reaches which page."""
