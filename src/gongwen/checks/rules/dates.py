"""Rules: dates."""
