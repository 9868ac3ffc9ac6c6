"""Chinese numerals for 届次 and heading numbers, via the ``cn2an`` library."""

from __future__ import annotations

import re
from functools import cache

import cn2an

__all__ = ["cn_number", "cn_to_int", "heading_marker"]

_CN_DIGITS = re.compile(r"[零一二三四五六七八九十百千万亿]+")


@cache  # cn2an costs ~30 µs a call; session displays call this many times
def cn_number(n: int) -> str:
    """Write a non-negative integer in Chinese: 3 → 三, 16 → 十六, 105 → 一百零五."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"无法写成中文数字：{n!r}")
    return str(cn2an.an2cn(n))


def cn_to_int(s: str) -> int:
    """Read a Chinese integer numeral: 十六 → 16. Raises ``ValueError`` otherwise."""
    text = s.strip()
    if not _CN_DIGITS.fullmatch(text):
        raise ValueError(f"不是中文整数：“{s}”")
    try:
        value = cn2an.cn2an(text, "strict")
    except ValueError:
        raise ValueError(f"不是中文整数：“{s}”") from None
    if not isinstance(value, int):  # pragma: no cover - digits above never give a fraction
        raise ValueError(f"不是中文整数：“{s}”")
    return value


def heading_marker(level: int, n: int) -> str:
    """Heading number per GB/T 9704 §7.3.3: 1 ``一、``, 2 ``（一）``, 3 ``1.``, 4 ``（1）``."""
    if n < 1:
        raise ValueError(f"标题序号必须从1开始：{n}")
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"标题层级只能是1至4：{level}")
