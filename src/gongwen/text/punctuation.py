"""Punctuation checks for Chinese text: ASCII marks, unbalanced pairs, leftover placeholders."""

from __future__ import annotations

import re

__all__ = [
    "PLACEHOLDER_PATTERNS",
    "ascii_punct_next_to_cjk",
    "find_placeholders",
    "fix_ascii_punct",
    "unbalanced_pairs",
]

_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff60]")
# ASCII-only URLs; trailing sentence punctuation is not part of the address.
_URL = re.compile(r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9/#=&_\-~%]")


def _is_cjk(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _CJK.match(text, i) is not None


def ascii_punct_next_to_cjk(text: str) -> list[tuple[int, str]]:
    """Positions of ASCII ``, ; : ? ! ( )`` that should be full-width in Chinese text.

    A mark counts when a neighbouring character is Chinese; a pair of ASCII parentheses
    counts as a whole when either side of it touches Chinese or it encloses Chinese.
    Marks inside URLs, times (``9:30``), numbers (``1,000``) and Latin words are left alone.
    """
    in_url = [False] * len(text)
    for m in _URL.finditer(text):
        in_url[m.start() : m.end()] = [True] * (m.end() - m.start())
    hits: set[int] = set()
    open_parens: list[int] = []
    for i, ch in enumerate(text):
        if ch not in _FULL_WIDTH or in_url[i]:
            continue
        if _is_cjk(text, i - 1) or _is_cjk(text, i + 1):
            hits.add(i)
        if ch == "(":
            open_parens.append(i)
        elif ch == ")" and open_parens:
            start = open_parens.pop()
            if start in hits or i in hits or _CJK.search(text, start + 1, i):
                hits.update((start, i))
    return [(i, text[i]) for i in sorted(hits)]


def fix_ascii_punct(text: str) -> str:
    """Replace the marks found by :func:`ascii_punct_next_to_cjk` with full-width ones.

    Repeats until nothing is left, since a fixed mark can make its neighbour count (``中,,``).
    """
    while hits := ascii_punct_next_to_cjk(text):
        chars = list(text)
        for i, ch in hits:
            chars[i] = _FULL_WIDTH[ch]
        text = "".join(chars)
    return text


_PAIRS = (("书名号", "《", "》"), ("双引号", "“", "”"), ("括号", "（", "）"), ("单引号", "‘", "’"))


def unbalanced_pairs(text: str) -> list[str]:
    """Messages for unbalanced 《》 “” （） ‘’ in ``text`` (one per kind and direction)."""
    messages: list[str] = []
    for name, left, right in _PAIRS:
        depth = 0
        stray_right = 0
        for ch in text:
            if ch == left:
                depth += 1
            elif ch == right:
                if depth:
                    depth -= 1
                else:
                    stray_right += 1
        if depth:
            messages.append(f"{name}不成对：有{depth}个{left}没有对应的{right}")
        if stray_right:
            messages.append(f"{name}不成对：有{stray_right}个{right}没有对应的{left}")
    return messages


#: Leftover template placeholders, by what they look like.
PLACEHOLDER_PATTERNS: dict[str, re.Pattern[str]] = {
    "年份": re.compile(r"(?<![0-9A-Za-z])(?:19|20)(?:[0-9][*＊xX×]|[*＊xX×]{2})(?![0-9A-Za-z*＊])"),
    "XX": re.compile(r"(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])"),
    "××": re.compile(r"[×Ｘｘ]{2,}"),
    "***": re.compile(r"\*{3,}|＊{3,}"),
    "某某": re.compile(r"某某+"),
    "〇〇": re.compile(r"(?<![零一二三四五六七八九十〇])〇{2,}(?![零一二三四五六七八九十〇])"),
    "○○": re.compile(r"○{2,}"),
    "TODO": re.compile(r"(?<![A-Za-z])TODO(?![A-Za-z])", re.IGNORECASE),
    "模板标记": re.compile(r"\{\{|\}\}|\{%|%\}"),
}


def find_placeholders(text: str) -> list[str]:
    """Leftover placeholders (``XX``, ``××``, ``20**``, ``某某``, ``{{`` …), in order."""
    spans: list[tuple[int, int]] = []
    for pattern in PLACEHOLDER_PATTERNS.values():
        spans.extend(m.span() for m in pattern.finditer(text))
    spans.sort(key=lambda s: (s[0], -s[1]))
    found: list[str] = []
    end = -1
    for start, stop in spans:
        if start >= end:  # overlapping matches ("20XX" is both a year and "XX") count once
            found.append(text[start:stop])
            end = stop
    return found
