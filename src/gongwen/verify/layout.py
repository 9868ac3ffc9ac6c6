"""The printed pages of a PDF as text lines with positions, in millimetres from the top left.

What :mod:`gongwen.verify.pages` judges: each page's size, its text :class:`Line` s (characters on
one baseline that touch each other; a wide gap — a tab, a table column — starts a new line) with
size, colour and extent, and its drawn horizontal rules. Read with pdfplumber (pdfminer.six).

Text turned by a quarter (a landscape page's page number, set in a rotated text box along the
short edge) makes vertical lines: the characters of one column that touch each other, in reading
order (:attr:`Char.rotation`).
"""

from __future__ import annotations

import io
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gongwen import standard as gb

__all__ = ["Char", "Line", "Page", "Rule", "read_pages", "text_width"]

MM_PER_PT = gb.MM_PER_PT
_GAP_EMS = 1.5  # a horizontal gap wider than this many characters starts a new line


def _is_red(colour: Any) -> bool:
    """A fill or stroke colour (gray, RGB or CMYK tuple) that prints red."""
    if not isinstance(colour, tuple | list):
        return False
    values = [float(v) for v in colour if isinstance(v, int | float)]
    if len(values) == 3:
        r, g, b = values
        return r >= 0.75 and g <= 0.32 and b <= 0.32
    if len(values) == 4:
        c, m, y, k = values
        return c <= 0.25 and m >= 0.7 and y >= 0.7 and k <= 0.25
    return False


@dataclass(frozen=True)
class Char:
    """One printed glyph."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # points
    red: bool
    rotation: int = 0  # degrees the text direction is turned clockwise: 0, 90 (reads down), 270


def _rotation(matrix: Any) -> int:
    """The clockwise turn of a glyph's text direction, to a quarter, from its PDF text matrix."""
    if not isinstance(matrix, tuple | list) or len(matrix) < 2:
        return 0
    a, b = float(matrix[0]), float(matrix[1])
    if a == 0 and b == 0:
        return 0
    # PDF space has y upwards: a direction (0, -1) runs down the page, i.e. turned 90° clockwise.
    return round(-math.degrees(math.atan2(b, a)) / 90) % 4 * 90


@dataclass(frozen=True)
class Line:
    """Characters on one baseline that touch each other."""

    chars: tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        """The most common character size, in points."""
        return statistics.mode(round(c.size, 1) for c in self.chars)

    @property
    def rotation(self) -> int:
        """0 for an ordinary line; 90 or 270 for a vertical line of turned text."""
        return self.chars[0].rotation

    @property
    def red(self) -> bool:
        """Most printed characters are red."""
        visible = [c for c in self.chars if c.text.strip()]
        return bool(visible) and sum(c.red for c in visible) * 2 > len(visible)


@dataclass(frozen=True)
class Rule:
    """A drawn horizontal line (or a thin filled rectangle)."""

    x0: float
    x1: float
    top: float
    bottom: float
    red: bool


@dataclass
class Page:
    """One printed page: its 1-based number in the PDF, size, text lines and rules."""

    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule]

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def text_width(text: str) -> float:
    """Width in body characters: CJK and full-width forms 1, other characters ½."""
    return sum(1.0 if ord(c) >= 0x2E80 or c in "—…“”‘’" else 0.5 for c in text if c.strip())


def _columns(chars: Iterable[Char]) -> list[Line]:
    """Turned characters (90° or 270°) as vertical lines, in reading order."""
    cols: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.rotation, c.top)):
        em = max(ch.x1 - ch.x0, 0.1)
        for col in reversed(cols):
            ref = col[-1]
            if (
                ref.rotation == ch.rotation
                and abs(ch.x0 - ref.x0) <= 0.3 * em
                and ch.top - ref.bottom <= _GAP_EMS * em
            ):
                col.append(ch)
                break
        else:
            cols.append([ch])
    out = []
    for col in cols:
        col.sort(key=lambda c: c.top, reverse=col[0].rotation == 270)  # 270° reads upwards
        out.append(Line(tuple(col)))
    return out


def _lines(chars: Iterable[Char]) -> list[Line]:
    chars = list(chars)
    turned = [c for c in chars if c.rotation in (90, 270)]
    rows: list[list[Char]] = []
    for ch in sorted(
        (c for c in chars if c.rotation not in (90, 270)), key=lambda c: (c.bottom, c.x0)
    ):
        for row in reversed(rows[-6:]):
            ref = row[0]
            near = abs(ch.bottom - ref.bottom) <= 0.3 * max(ch.size, ref.size) * MM_PER_PT
            if near and 0.7 <= ch.size / ref.size <= 1.4:  # a 36 pt mark is no 16 pt line
                row.append(ch)
                break
        else:
            rows.append([ch])
    out: list[Line] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        current: list[Char] = []
        for ch in row:
            if current and ch.x0 - current[-1].x1 > _GAP_EMS * ch.size * MM_PER_PT:
                out.append(Line(tuple(current)))
                current = []
            current.append(ch)
        if current:
            out.append(Line(tuple(current)))
    out += _columns(turned)
    out.sort(key=lambda line: (round(line.top, 1), line.x0))
    return out


def read_pages(pdf: bytes) -> list[Page]:
    """The pages of ``pdf`` with their lines and rules (positions in mm)."""
    import pdfplumber

    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            k = MM_PER_PT
            chars = [
                Char(
                    str(c["text"]),
                    float(c["x0"]) * k,
                    float(c["x1"]) * k,
                    float(c["top"]) * k,
                    float(c["bottom"]) * k,
                    float(c["size"]),
                    _is_red(c.get("non_stroking_color")),
                    _rotation(c.get("matrix")),
                )
                for c in page.chars
                if str(c["text"]).strip()
            ]
            rules: list[Rule] = []
            for shape in [*page.lines, *page.rects]:
                height = (float(shape["bottom"]) - float(shape["top"])) * k
                width = (float(shape["x1"]) - float(shape["x0"])) * k
                if height > 2.0 or width < 10.0:
                    continue  # a vertical line, a box or a dot: no rule
                red = _is_red(shape.get("stroking_color")) or _is_red(
                    shape.get("non_stroking_color")
                )
                rules.append(
                    Rule(
                        float(shape["x0"]) * k,
                        float(shape["x1"]) * k,
                        float(shape["top"]) * k,
                        float(shape["bottom"]) * k,
                        red,
                    )
                )
            rules.sort(key=lambda r: r.top)
            pages.append(
                Page(number, float(page.width) * k, float(page.height) * k, _lines(chars), rules)
            )
    return pages
