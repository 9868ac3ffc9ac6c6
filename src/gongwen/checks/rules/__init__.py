"""Rule modules; importing this package registers every rule once."""

from gongwen.checks.rules import dates, docx, handling, numbers, text, year

__all__ = ["dates", "docx", "handling", "numbers", "text", "year"]
