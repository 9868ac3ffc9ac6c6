"""Dates as users read and type them: ``2024年7月1日`` out, many spellings in."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from babel.dates import format_date as _babel_format_date

__all__ = ["DATE_CN_PATTERN", "add_months", "find_dates", "format_date", "parse_date"]

#: A correctly written Chinese date: ``2024年7月1日`` (ASCII digits, no zero padding).
DATE_CN_PATTERN = re.compile(r"^\d{4}年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$", re.ASCII)

# Excel's 1900 date system counts 1900-01-01 as 1 and keeps the fictitious 1900-02-29 as 60.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX = (date(9999, 12, 31) - _EXCEL_EPOCH).days

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_PARSE_PATTERNS = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME, re.ASCII),
    re.compile(r"(\d{4})\s*(年)\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", re.ASCII),
)

# Date-like tokens in free text; \d also matches full-width digits on purpose.
_FIND_PATTERN = re.compile(
    r"(?<!\d)(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}([-/.／．])\d{1,2}\1\d{1,2}(?![\d]|[-/.／．]\d))"
)


@lru_cache(maxsize=4096)
def format_date(d: date) -> str:
    """Format a date the GB/T 9704 way: ``2024年7月1日`` (no zero padding)."""
    return _babel_format_date(d, "y'年'M'月'd'日'", locale="zh_Hans_CN")


def _bad(value: object) -> ValueError:
    return ValueError(f'无法识别的日期"{value}"')


def _from_excel_serial(value: int | float) -> date:
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad(value)
    serial = math.floor(value)  # a fractional part is the time of day
    if serial < 1 or serial == 60 or serial > _EXCEL_MAX:
        raise _bad(value)
    if serial < 60:  # before Excel's fictitious 1900-02-29
        serial += 1
    return _EXCEL_EPOCH + timedelta(days=serial)


def parse_date(value: str | date | datetime | int | float) -> date:
    """Read a date from a ledger cell or user input.

    Accepts ``date``/``datetime``, Excel serial numbers (1900 date system), and the strings
    ``2024-03-15``, ``2024/3/15``, ``2024.3.15`` (optionally followed by a time such as
    ``0:00``, as Excel writes CSV) and ``2024年3月15日``, with surrounding whitespace and
    full-width digits. Anything else, including impossible dates, raises ``ValueError``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _bad(value)
    if isinstance(value, int | float):
        return _from_excel_serial(value)
    if not isinstance(value, str):
        raise _bad(value)
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in _PARSE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            except ValueError:
                raise _bad(value.strip()) from None
    raise _bad(value.strip())


def add_months(d: date, months: int) -> date:
    """Add (or subtract) whole months, clamping to the month's end (11-30 + 3 → 02-28)."""
    index = d.year * 12 + d.month - 1 + months
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"日期超出范围：{d.isoformat()}加{months}个月")
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def find_dates(text: str) -> list[tuple[str, bool]]:
    """Every date-like token in ``text`` and whether it is written correctly.

    Recognised: ``2024年07月01日``, ``2024-7-1``, ``2024.7.1``, ``2024/7/1``, ``2024年7月1日``.
    A token counts as correct when it matches :data:`DATE_CN_PATTERN` and is a real date
    (``2024年2月30日`` is not).
    """
    found: list[tuple[str, bool]] = []
    for m in _FIND_PATTERN.finditer(text):
        token = m.group(0)
        correct = DATE_CN_PATTERN.fullmatch(token) is not None
        if correct:
            try:
                parse_date(token)
            except ValueError:
                correct = False
        found.append((token, correct))
    return found
