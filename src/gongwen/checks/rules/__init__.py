"""Rule modules; importing this package registers every rule once."""

from gongwen.checks.rules import dates, handling, letterhead, numbers, text, year

__all__ = ["dates", "handling", "letterhead", "numbers", "text", "year"]
