"""Rules: text."""
