"""Breaking long document titles into lines by meaning (GB/T 9704 §7.3.1: 梯形或菱形, never
mid-word)."""

from __future__ import annotations

import re

# Places where a title may break: after these words, or before these words.
_BREAK_AFTER = ("会议", "关于", "的")
_BREAK_BEFORE = ("第", "关于", "对")
_DIGITS = re.compile(r"[0-9A-Za-z]")


def text_width(text: str) -> float:
    """Width in body characters: CJK and full-width count 1, ASCII letters and digits 0.5."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _candidates(text: str) -> list[int]:
    out = []
    for i in range(2, len(text) - 1):
        if _DIGITS.match(text[i - 1]) or _DIGITS.match(text[i]):
            continue  # never next to a number (2024年, 第15号)
        if text[:i].endswith(_BREAK_AFTER) or text[i:].startswith(_BREAK_BEFORE):
            out.append(i)
    return out


def split_title(text: str, per_line: float = 19.5) -> list[str]:
    """Lines of a title that fit ``per_line`` characters each (2号 on 156 mm: 20, less a margin).

    A short title stays one line. A long one breaks at a place of meaning (after 会议/关于/的,
    before 第/关于/对) so that the lines are balanced and the upper line is not shorter
    (trapezoid); without such a place, it breaks in the middle.
    """
    text = text.strip()
    if text_width(text) <= per_line:
        return [text]
    best: tuple[float, int] | None = None
    for i in _candidates(text):
        head, tail = text[:i], text[i:]
        if text_width(head) > per_line:
            continue
        rest = split_title(tail, per_line)
        if len(rest) > 1 and text_width(head) < text_width(tail) / 2:
            continue
        first, second = text_width(head), text_width(rest[0])
        score = abs(first - second) + (0 if first >= second else 3) + 10 * (len(rest) - 1)
        if best is None or score < best[0]:
            best = (score, i)
    if best is None:
        cut = (len(text) + 1) // 2 if text_width(text) <= 2 * per_line else int(per_line)
        while 0 < cut < len(text) and (_DIGITS.match(text[cut - 1]) or _DIGITS.match(text[cut])):
            cut += 1
        best = (0, cut)
    i = best[1]
    return [text[:i], *split_title(text[i:], per_line)]
