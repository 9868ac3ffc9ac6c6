"""Formatting that users read: dates, Chinese numerals, rates, body text, punctuation.

This package depends on no other gongwen module.
"""

from gongwen.text.body import (
    Block,
    Heading,
    Paragraph,
    heading_problems,
    parse_body,
    render_body,
)
from gongwen.text.dates import DATE_CN_PATTERN, add_months, find_dates, format_date, parse_date
from gongwen.text.numerals import cn_number, cn_to_int, heading_marker
from gongwen.text.punctuation import (
    PLACEHOLDER_PATTERNS,
    ascii_punct_next_to_cjk,
    find_placeholders,
    fix_ascii_punct,
    unbalanced_pairs,
)
from gongwen.text.rates import NO_RATE, Rate, format_percent, format_rate, largest_remainder

__all__ = [
    "DATE_CN_PATTERN",
    "NO_RATE",
    "PLACEHOLDER_PATTERNS",
    "Block",
    "Heading",
    "Paragraph",
    "Rate",
    "add_months",
    "ascii_punct_next_to_cjk",
    "cn_number",
    "cn_to_int",
    "find_dates",
    "find_placeholders",
    "fix_ascii_punct",
    "format_date",
    "format_percent",
    "format_rate",
    "heading_marker",
    "heading_problems",
    "largest_remainder",
    "parse_body",
    "parse_date",
    "render_body",
    "unbalanced_pairs",
]
