"""Rule modules; importing this package registers every rule once."""

from gongwen.checks.rules import (
    attachments,
    dates,
    handling,
    letterhead,
    numbers,
    text,
    year,
)

__all__ = ["attachments", "dates", "handling", "letterhead", "numbers", "text", "year"]
