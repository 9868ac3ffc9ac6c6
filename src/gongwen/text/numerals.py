"""Chinese numerals for 届次 and heading numbers.

Numbers below 100,000 are written here (the same text as ``cn2an``, checked in the tests);
``cn2an`` is imported only for larger ones (it takes about 0.3 s to import).
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["cn_number", "cn_to_int", "heading_marker"]

_CN_DIGITS = re.compile(r"[零一二三四五六七八九十百千万亿]+")


_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千", "万")


def _small(n: int) -> str:
    """``n`` (0 ≤ n < 100,000) in Chinese, as ``cn2an.an2cn`` writes it."""
    if n == 0:
        return "零"
    text = str(n)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(text):
        d = int(ch)
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(_DIGITS[d] + _UNITS[len(text) - 1 - i])
    result = "".join(out)
    return result[1:] if 10 <= n < 20 else result


@cache
def _small_values() -> dict[str, int]:
    return {_small(n): n for n in range(1000)}


@cache  # session displays call this many times
def cn_number(n: int) -> str:
    """Write a non-negative integer in Chinese: 3 → 三, 16 → 十六, 105 → 一百零五."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"无法写成中文数字：{n!r}")
    if n < 100_000:
        return _small(n)
    import cn2an

    return str(cn2an.an2cn(n))


def cn_to_int(s: str) -> int:
    """Read a Chinese integer numeral: 十六 → 16. Raises ``ValueError`` otherwise."""
    text = s.strip()
    if not _CN_DIGITS.fullmatch(text):
        raise ValueError(f"不是中文整数：“{s}”")
    known = _small_values().get(text)
    if known is not None:
        return known
    import cn2an

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
