"""Rates and shares as printed in reports: ``90.9%``, ``100%``, shares adding up to 100."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.numbers import format_percent as _babel_format_percent

__all__ = ["NO_RATE", "Rate", "format_percent", "format_rate", "largest_remainder"]

#: Printed instead of a rate whose denominator is zero.
NO_RATE = "—"


def format_percent(value: Decimal | float, decimals: int = 1) -> str:
    """Format a ratio (1 = 100%) as a percentage.

    Rounds half up to ``decimals`` places and drops trailing zeros after the point:
    ``1`` → ``100%``, ``10/11`` → ``90.9%``, ``0.5`` → ``50%``.
    """
    if decimals < 0:
        raise ValueError(f"小数位数不能为负数：{decimals}")
    if not isinstance(value, Decimal):  # float, or an int such as 1
        if not math.isfinite(value):
            raise ValueError(f"无法格式化为百分数：{value}")
        value = Decimal(repr(value))
    elif not value.is_finite():
        raise ValueError(f"无法格式化为百分数：{value}")
    percent = (value * 100).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if percent == 0:
        percent = abs(percent)  # no "-0%"
    # The value is already rounded, so Babel's own rounding has nothing left to do.
    pattern = "0." + "#" * decimals + "%" if decimals else "0%"
    return str(_babel_format_percent(percent / 100, format=pattern, locale="zh_Hans_CN"))


def format_rate(numerator: int, denominator: int, decimals: int = 1) -> str:
    """``numerator / denominator`` as a percentage (``10, 11`` → ``90.9%``); ``—`` if 0/0."""
    return Rate(numerator, denominator).format(decimals)


@dataclass(frozen=True)
class Rate:
    """A counted rate such as 办结率 = replied ÷ assigned."""

    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0:
            raise ValueError(f"比率的分子和分母不能为负数：{self.numerator}/{self.denominator}")

    @property
    def value(self) -> Decimal | None:
        """The ratio as a ``Decimal`` (1 = 100%), or ``None`` when the denominator is 0."""
        if self.denominator == 0:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    def format(self, decimals: int = 1) -> str:
        """Percentage text, see :func:`format_percent`; ``—`` when the denominator is 0."""
        value = self.value
        return NO_RATE if value is None else format_percent(value, decimals)


def largest_remainder(counts: Sequence[int], decimals: int = 2, total: int = 100) -> list[Decimal]:
    """Shares of ``total`` proportional to ``counts`` that add up to ``total`` exactly.

    Hamilton (largest remainder) method at ``decimals`` places; ties go to the larger count,
    then to the earlier position: ``[4, 7, 1]`` → ``33.33, 58.34, 8.33``. All-zero counts
    give zeros.
    """
    if decimals < 0 or total < 0:
        raise ValueError("小数位数和总数不能为负数")
    if any(c < 0 for c in counts):
        raise ValueError(f"件数不能为负数：{list(counts)}")
    quantum = Decimal(1).scaleb(-decimals)
    total_units = total * 10**decimals
    whole = sum(counts)
    if whole == 0:
        return [Decimal(0).quantize(quantum) for _ in counts]
    exact = [Fraction(c * total_units, whole) for c in counts]
    units = [math.floor(q) for q in exact]
    left = total_units - sum(units)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - units[i]), -counts[i], i))
    for i in order[:left]:
        units[i] += 1
    return [Decimal(u).scaleb(-decimals).quantize(quantum) for u in units]
