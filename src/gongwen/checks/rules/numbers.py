"""Rules: numbers."""
