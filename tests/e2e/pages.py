"""Printed-page checks for replies: what an office looks at before sending a letter.

A PDF (LibreOffice) is read with pdfplumber into text lines; each check returns a list of
problems in Chinese (empty: the letter is fine). Numbers from GB/T 9704-2012 (docs/standard.md,
``gongwen.standard``): text area 156 × 225 mm from 28 mm left and 37 mm top, 22 lines of
``LINE_PITCH_TWIPS``; the letter's double rules 170 mm long, centred.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pdfplumber

from gongwen import standard as gb

MM = 72 / 25.4  # PDF points per millimetre
PITCH = gb.LINE_PITCH_TWIPS / 20  # one line slot in points
TEXT_LEFT = gb.MARGIN_LEFT_MM * MM
TEXT_RIGHT = (gb.MARGIN_LEFT_MM + gb.TEXT_WIDTH_MM) * MM
TEXT_BOTTOM = gb.TEXT_BOTTOM_MM * MM
RULE_LEFT = (gb.PAGE_WIDTH_MM - gb.LETTER_RULE_LENGTH_MM) / 2 * MM
RULE_RIGHT = (gb.PAGE_WIDTH_MM + gb.LETTER_RULE_LENGTH_MM) / 2 * MM
# The glyph bottom of the last of the 22 lines sits this far above the bottom of the text area.
LAST_LINE_GAP = 6.0
PAGE_NO = re.compile(r"^—\s*\d+\s*—$")
MAX_EMPTY_SLOTS = 4  # page 1 when another page follows (issue #12)


def squash(text: str) -> str:
    """Text without any whitespace (PDF lines carry justification spaces)."""
    return re.sub(r"\s+", "", text)


@dataclass
class Line:
    page: int
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    red: bool


@dataclass
class Printed:
    """The text lines of every page, and the horizontal rules (y, x0, x1) of every page."""

    pages: list[list[Line]]
    rules: list[list[tuple[float, float, float]]] = field(default_factory=list)

    def lines(self, page: int) -> list[Line]:
        return [ln for ln in self.pages[page] if not PAGE_NO.match(ln.text)]


def _is_red(colour: Any) -> bool:
    return isinstance(colour, (tuple, list)) and len(colour) == 3 and colour[0] > 0.8 > colour[1]


def read_pdf(pdf: bytes) -> Printed:
    """Lines (chars grouped by baseline) and rules of each page."""
    pages: list[list[Line]] = []
    rules: list[list[tuple[float, float, float]]] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            rows: dict[int, list[dict[str, Any]]] = {}
            for c in page.chars:
                if not c["text"].strip():
                    continue
                key = round(c["bottom"] / 2)
                rows.setdefault(key, []).append(c)
            out = []
            for key in sorted(rows):
                cs = sorted(rows[key], key=lambda c: c["x0"])
                out.append(
                    Line(
                        page=number,
                        bottom=max(c["bottom"] for c in cs),
                        x0=min(c["x0"] for c in cs),
                        x1=max(c["x1"] for c in cs),
                        text="".join(c["text"] for c in cs),
                        size=max(c["size"] for c in cs),
                        red=any(_is_red(c.get("non_stroking_color")) for c in cs),
                    )
                )
            pages.append(out)
            found = []
            for r in [*page.rects, *page.lines]:
                if r["width"] > 100 * MM and r["height"] < 2:
                    found.append(((r["top"] + r["bottom"]) / 2, r["x0"], r["x1"]))
            rules.append(found)
    return Printed(pages, rules)


@dataclass(frozen=True)
class Expected:
    """What the letter contains, as printed (whitespace-free)."""

    body: str  # title, salutation, body paragraphs, closing
    closing_block: tuple[str, ...]  # organ name, date, 附注
    copy_to: str  # "抄送：…" or ""
    mark: str  # the organ mark as printed ("…文件" in the file format)
    file_format: bool
    headings: tuple[str, ...] = ()  # headings on a line of their own


def _classify(printed: Printed, exp: Expected) -> dict[str, list[Line]]:
    kinds: dict[str, list[Line]] = {
        "body": [], "closing": [], "copy": [], "record": [], "mark": [], "other": []
    }  # fmt: skip
    for page in range(len(printed.pages)):
        for ln in printed.lines(page):
            t = squash(ln.text)
            if ln.red and ln.size > 20:
                kinds["mark"].append(ln)
            elif t in exp.closing_block:
                kinds["closing"].append(ln)
            elif exp.copy_to and (t.startswith("抄送：") or (t in exp.copy_to and ln.size < 15)):
                kinds["copy"].append(ln)
            elif exp.file_format and t.endswith("印发"):
                kinds["record"].append(ln)
            elif t and t in exp.body:
                kinds["body"].append(ln)
            else:
                kinds["other"].append(ln)
    return kinds


def _needed(printed: Printed, kinds: dict[str, list[Line]]) -> int:
    """Line slots of what must stay together on the last page: the last body paragraph (from
    its indented first line) through the 附注, and the bottom frame (抄送 with the blank line
    above it; 版记 rows and rules)."""
    last = len(printed.pages) - 1
    closing = [ln for ln in kinds["closing"] if ln.page == last]
    frame = [ln for ln in kinds["copy"] + kinds["record"] if ln.page == last]
    slots = len(frame) + 1 if frame else 0
    if not closing:
        return slots
    first = min(ln.bottom for ln in closing)
    before = sorted(
        (ln for ln in kinds["body"] if ln.page == last and ln.bottom < first),
        key=lambda ln: ln.bottom,
    )
    starts = [ln for ln in before if ln.x0 > TEXT_LEFT + gb.CHAR_TWIPS / 20]  # indented
    top = starts[-1].bottom if starts else first
    return slots + round((max(ln.bottom for ln in closing) - top) / PITCH) + 1


def page_problems(pdf: bytes, exp: Expected) -> list[str]:
    """Everything wrong with the printed pages (Chinese messages; empty when all is well)."""
    printed = read_pdf(pdf)
    n = len(printed.pages)
    kinds = _classify(printed, exp)
    problems: list[str] = []
    last = n - 1
    # every page carries body text
    body_pages = {ln.page for ln in kinds["body"]}
    for page in range(n):
        if page not in body_pages:
            problems.append(f"第{page + 1}页没有正文")
    # a heading on a line of its own never ends a page
    for page in range(last):
        flow = [ln for ln in kinds["body"] if ln.page == page]
        if flow and squash(max(flow, key=lambda ln: ln.bottom).text) in exp.headings:
            problems.append(f"第{page + 1}页末尾是单独成行的标题")
    # the signature, date and 附注: whole, on the last page
    closing = kinds["closing"]
    if {squash(ln.text) for ln in closing} != set(exp.closing_block):
        problems.append("署名、日期、附注不全")
    if any(ln.page != last for ln in closing):
        problems.append("署名、日期、附注不在最后一页")
    # 抄送 whole, on the last page, at the bottom of the text area (letters)
    if exp.copy_to:
        copy = kinds["copy"]
        if "".join(squash(ln.text) for ln in copy) != exp.copy_to:
            problems.append("抄送不完整")
        if any(ln.page != last for ln in copy):
            problems.append("抄送不在最后一页")
        elif copy and not exp.file_format:
            gap = TEXT_BOTTOM - max(ln.bottom for ln in copy)
            if not 0 <= gap <= LAST_LINE_GAP + 2:
                problems.append(f"抄送未排在版心底部（相差 {gap:.1f} 磅）")
    # 版记's last rule on the bottom edge of the text area (file format)
    if exp.file_format:
        rules = [y for y, x0, x1 in printed.rules[last] if x1 - x0 < TEXT_RIGHT - TEXT_LEFT + 3]
        if not rules or abs(max(rules) - TEXT_BOTTOM) > 2:
            where = f"{max(rules):.1f}" if rules else "无"
            problems.append(f"版记末条线不在版心下边缘（{where}，应为 {TEXT_BOTTOM:.1f}）")
        if any(r for p in range(last) for r in printed.rules[p] if r[0] > TEXT_BOTTOM - 5 * PITCH):
            problems.append("版记不在最后一页")
    # page 1 leaves at most MAX_EMPTY_SLOTS line slots empty when another page follows — unless
    # what the last page holds (the closing block kept with the last body lines, and the 抄送 or
    # 版记 at its bottom) could not have fitted into those slots
    if n > 1:
        flow = [ln for ln in kinds["body"] + kinds["closing"] if ln.page == 0]
        if flow:
            empty = int((TEXT_BOTTOM - LAST_LINE_GAP + 2 - max(ln.bottom for ln in flow)) / PITCH)
            if empty > MAX_EMPTY_SLOTS and (n > 2 or empty >= _needed(printed, kinds)):
                problems.append(f"第1页空了{empty}行")
    # the mark on one line, inside its rules
    marks = kinds["mark"]
    if len(marks) != 1 or squash(marks[0].text) != exp.mark:
        problems.append(f"发文机关标志不在一行：{[squash(m.text) for m in marks]}")
    else:
        left, right = (TEXT_LEFT, TEXT_RIGHT) if exp.file_format else (RULE_LEFT, RULE_RIGHT)
        if marks[0].x0 < left - 1 or marks[0].x1 > right + 1:
            problems.append("发文机关标志超出范围")
    # nothing outside the 156 mm text width
    for ln in [
        *kinds["body"],
        *kinds["closing"],
        *kinds["copy"],
        *kinds["record"],
        *kinds["other"],
    ]:
        if ln.x0 < TEXT_LEFT - 1 or ln.x1 > TEXT_RIGHT + 1:
            problems.append(f"第{ln.page + 1}页超出版心：{ln.text[:20]}")
    return problems
