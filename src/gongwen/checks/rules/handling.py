"""Rules: handling."""
