"""Rules: docx."""
