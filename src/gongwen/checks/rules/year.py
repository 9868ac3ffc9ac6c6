"""Rules: year."""
