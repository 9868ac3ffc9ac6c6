"""Rules P1–P8: the printed pages of a .docx, laid out by LibreOffice (``gongwen verify --pages``).

The D rules read what a docx *asks for*; these read what is *printed*: the document goes through
the warm LibreOffice of :mod:`gongwen.preview` and :mod:`gongwen.verify.layout` reads the PDF's
text lines with their positions. Kind-aware (:class:`~gongwen.verify.document.Kind`): a table form
is judged only on its edges and blank pages; a merged file is cut into its letters at each
letterhead and every letter is judged on its own pages (its red mark is a letterhead, its page
numbers restart). Findings name the page and quote the printed line.

How printed lines get their role
--------------------------------
* **Page number** — a line ``— N —`` below the text area; on a landscape page also a turned
  (vertical) ``— N —`` in the margin at the sheet's foot edge — the left short edge for text
  turned clockwise — where the portrait position lands once the sheet is turned (§7.5).
* **Mark** — red text of 20 pt or more on a letter's first page.
* **Title** — the first lines of 20 pt or more (not red) on a letter's first page.
* **Record** (版记) — from a line starting ``抄送``/``印发`` to the foot of the page.
* **Closing block** (落款) — a date line pushed right; the right-pushed lines just above it
  (署名) and a bracketed line below it (附注).
* Everything else is **content** (正文, headings, tables, attachments).
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gongwen import standard as gb
from gongwen.findings import Finding, Problem, Severity, Subject
from gongwen.models.config import CheckConfig
from gongwen.verify.document import DocxContext, Kind
from gongwen.verify.layout import Line, Page, read_pages, text_width

if TYPE_CHECKING:
    from gongwen.preview.converter import Converter

__all__ = [
    "PAGE_RULES",
    "PageRule",
    "PrintedDocument",
    "Unit",
    "check_pdf",
    "page_rule",
    "run_page_rules",
    "verify_pages",
]

MM_PER_PT = gb.MM_PER_PT
CHAR_MM = gb.TEXT_WIDTH_MM / gb.CHARS_PER_LINE  # one 三号 character on the 28-character grid
LINE_MM = gb.TEXT_HEIGHT_MM / gb.LINES_PER_PAGE  # one line slot of the 22-line grid
PITCH_MIN_MM = gb.LINE_PITCH_MIN_TWIPS / gb.TWIPS_PER_MM
PITCH_MAX_MM = gb.LINE_PITCH_MAX_TWIPS / gb.TWIPS_PER_MM
EDGE_TOL_MM = 0.6  # how far a glyph may stray over the text-area edge (rounding, side bearings)
MAX_EMPTY_SLOTS = 4  # page 1 may end this many line slots early when another page follows
# The glyph bottom of the 22nd line sits about 6 pt above the text-area bottom; 2 pt tolerance.
LAST_GLYPH_GAP_MM = (6 - 2) * MM_PER_PT
MARK_MIN_PT = 20.0
TITLE_MIN_PT = 20.0
BODY_PT = gb.BODY_SIZE.pt

_PAGE_NUMBER = re.compile(r"([-－–―—─]{1,2})\s*(\d+)\s*([-－–―—─]{1,2})")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_HANGING = "，。、；：！？）》」』】〕〉”’．"


# --------------------------------------------------------------------------- the printed document


@dataclass
class Unit:
    """One letter's pages (a merged file has several units; other documents one)."""

    index: int  # 1-based
    pages: list[Page]
    letter: bool  # 信函格式: the mark above the text area, no page number on page 1


@dataclass
class PrintedDocument:
    """The laid-out pages of a docx, cut into letters, with every line's role."""

    kind: Kind
    pages: list[Page]
    units: list[Unit] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)  # id(line) → role

    @classmethod
    def build(cls, kind: Kind, pages: list[Page]) -> PrintedDocument:
        doc = cls(kind, pages)
        doc.units = doc._cut()
        for unit in doc.units:
            doc._classify(unit)
        return doc

    # ---- geometry

    @staticmethod
    def left(page: Page) -> float:
        return gb.MARGIN_LEFT_MM if not page.landscape else min(gb.MARGIN_TOP_MM, 35.0)

    @staticmethod
    def right(page: Page) -> float:
        if not page.landscape:
            return gb.MARGIN_LEFT_MM + gb.TEXT_WIDTH_MM
        return page.width - min(gb.MARGIN_TOP_MM, 35.0)

    @staticmethod
    def top(page: Page) -> float:
        return (
            gb.MARGIN_TOP_MM if not page.landscape else min(gb.MARGIN_LEFT_MM, gb.MARGIN_RIGHT_MM)
        )

    @staticmethod
    def bottom(page: Page) -> float:
        if not page.landscape:
            return gb.TEXT_BOTTOM_MM
        return page.height - min(gb.MARGIN_LEFT_MM, gb.MARGIN_RIGHT_MM)

    # ---- letters

    @staticmethod
    def _mark_lines(page: Page) -> list[Line]:
        return [
            ln
            for ln in page.lines
            if ln.red and ln.size >= MARK_MIN_PT and ln.top < page.height / 2
        ]

    def _cut(self) -> list[Unit]:
        starts = [0]
        if self.kind is Kind.MERGED:
            starts = [i for i, p in enumerate(self.pages) if self._mark_lines(p)] or [0]
            if starts[0] != 0:
                starts.insert(0, 0)
        ends = [*starts[1:], len(self.pages)]
        units = []
        for k, (a, b) in enumerate(zip(starts, ends, strict=True), start=1):
            pages = self.pages[a:b]
            marks = self._mark_lines(pages[0]) if pages else []
            letter = self.kind in (Kind.LETTER, Kind.MERGED) or (
                bool(marks) and marks[0].top < gb.MARGIN_TOP_MM
            )
            units.append(Unit(k, pages, letter and self.kind is not Kind.FORM))
        return units

    # ---- roles

    def _at_foot(self, page: Page, line: Line) -> bool:
        """A turned line in the margin that is the foot of the turned landscape sheet."""
        if not page.landscape:
            return False
        if line.rotation == 90:  # reads downwards: the sheet turns anticlockwise, left edge down
            return line.x1 < self.left(page) + EDGE_TOL_MM
        if line.rotation == 270:  # reads upwards: the right edge is the foot
            return line.x0 > self.right(page) - EDGE_TOL_MM
        return False

    def role(self, line: Line) -> str:
        return self.roles.get(id(line), "content")

    def _classify(self, unit: Unit) -> None:
        in_record = False  # a 版记 may run over to the next page
        for n, page in enumerate(unit.pages, start=1):
            for ln in page.lines:
                compact = re.sub(r"\s", "", ln.text)
                if _PAGE_NUMBER.fullmatch(compact) and (
                    ln.top > self.bottom(page) - 1 if not ln.rotation else self._at_foot(page, ln)
                ):
                    self.roles[id(ln)] = "page_number"
                elif n == 1 and ln in self._mark_lines(page):
                    self.roles[id(ln)] = "mark"
                elif re.match(r"(抄送|印发)", compact) or compact.endswith("印发"):
                    self.roles[id(ln)] = "record"
                    in_record = True
                elif in_record and ln.size < BODY_PT - 0.5:
                    self.roles[id(ln)] = "record"
                elif doc_role_free(self, ln):
                    in_record = False
            if n == 1:
                title_started = False
                for ln in page.lines:
                    big = ln.size >= TITLE_MIN_PT and not ln.red
                    if big and self.role(ln) == "content":
                        self.roles[id(ln)] = "title"
                        title_started = True
                    elif title_started and ln.size < TITLE_MIN_PT:
                        break
        flat = self.main_text(unit)
        dates = [
            i
            for i, (page, ln) in enumerate(flat)
            if _DATE.fullmatch(re.sub(r"\s", "", ln.text))
            and ln.x0 > self.left(page) + 4 * CHAR_MM
            and abs(ln.size - BODY_PT) <= 1.5
            and self.role(ln) == "content"
        ]
        if not dates:
            return
        d = dates[-1]
        self.roles[id(flat[d][1])] = "date"
        i = d - 1
        while i >= 0 and d - i <= 2:
            page, ln = flat[i]
            if (
                self.role(ln) != "content"
                or ln.x0 <= self.left(page) + 4 * CHAR_MM
                or ln.text.endswith("。")
            ):
                break
            self.roles[id(ln)] = "signature"
            i -= 1
        j = d + 1
        if j < len(flat) and re.sub(r"\s", "", flat[j][1].text).startswith(("（", "(")):
            while j < len(flat) and self.role(flat[j][1]) == "content":
                self.roles[id(flat[j][1])] = "note"
                if re.sub(r"\s", "", flat[j][1].text).endswith(("）", ")")):
                    break
                j += 1

    @staticmethod
    def flat(unit: Unit) -> list[tuple[Page, Line]]:
        """The unit's lines in reading order across its pages."""
        return [(page, ln) for page in unit.pages for ln in page.lines]

    def main_text(self, unit: Unit) -> list[tuple[Page, Line]]:
        """The unit's lines up to its first attachment page (a page opening with ``附件``)."""
        out: list[tuple[Page, Line]] = []
        for page in unit.pages:
            if out and _opens_attachment(self, page):
                break
            out += [(page, ln) for ln in page.lines]
        return out

    def where(self, unit: Unit, page: Page) -> str:
        """``第5页`` or, in a merged file, ``第5页（第3份的第1页）``."""
        if len(self.units) > 1:
            local = unit.pages.index(page) + 1
            return f"第{page.number}页（第{unit.index}份的第{local}页）"
        return f"第{page.number}页"


def doc_role_free(doc: PrintedDocument, line: Line) -> bool:
    """``line`` has no role yet (ends a running 版记 unless it is a page number)."""
    return doc.role(line) == "content"


def _opens_attachment(doc: PrintedDocument, page: Page) -> bool:
    first = next((ln for ln in page.lines if doc.role(ln) != "page_number"), None)
    return first is not None and re.match(r"附\s*件", first.text.strip()) is not None


def quote(line: Line, n: int = 20) -> str:
    """``“抄送：区人大常委会办公室…”``."""
    t = re.sub(r"\s+", "", line.text)
    return "“" + (t if len(t) <= n else t[:n] + "…") + "”"


# --------------------------------------------------------------------------- rules


PageCheck = Callable[[PrintedDocument], Iterable[Problem]]


@dataclass(frozen=True)
class PageRule:
    """A page rule: stable code ``P…``, default severity, Chinese title, the check."""

    code: str
    severity: Severity
    title: str
    check: PageCheck

    def run(self, doc: PrintedDocument, severity: Severity | None = None) -> Iterator[Finding]:
        for p in self.check(doc):
            sev = severity or p.severity or self.severity
            yield Finding(self.code, sev, Subject.PAGE, p.path, p.message, p.fix)


#: The page rules by code (kept apart from the pre-render registry, whose codes are GW/D).
PAGE_RULES: dict[str, PageRule] = {}


def page_rule(code: str, severity: str, title: str) -> Callable[[PageCheck], PageRule]:
    """Register a page rule (Subject.PAGE) under a stable code ``P…``."""

    def deco(fn: PageCheck) -> PageRule:
        if not re.fullmatch(r"P\d{1,2}", code) or code in PAGE_RULES:
            raise ValueError(f"bad or duplicate page rule code {code!r}")
        PAGE_RULES[code] = PageRule(code, Severity(severity), title, fn)
        return PAGE_RULES[code]

    return deco


def run_page_rules(doc: PrintedDocument, config: CheckConfig | None = None) -> list[Finding]:
    """Every enabled page rule, with the configured severity overrides (as for D rules)."""
    cfg = config or CheckConfig()
    out: list[Finding] = []
    for code, r in PAGE_RULES.items():
        if code in cfg.disabled:
            continue
        sev = Severity(cfg.severity[code]) if code in cfg.severity else None
        out.extend(r.run(doc, sev))
    return out


def _path(page: Page) -> str:
    return f"page[{page.number}]"


_ROLE_WORDS = {
    "record": "抄送",
    "signature": "署名",
    "date": "成文日期",
    "note": "附注",
    "title": "标题",
    "mark": "发文机关标志",
}


@page_rule("P1", "error", "每页都有正文")
def body_on_every_page(doc: PrintedDocument) -> Iterator[Problem]:
    """No page carries only 版记, only the closing block, or nothing (§7.3.5: 不得“此页无正文”)."""
    for unit in doc.units:
        for page in unit.pages:
            lines = [ln for ln in page.lines if doc.role(ln) != "page_number"]
            if any(doc.role(ln) == "content" for ln in lines):
                continue
            where = doc.where(unit, page)
            if not lines:
                yield Problem(_path(page), f"{where}：空白页，没有任何文字")
                continue
            earlier = unit.pages[: unit.pages.index(page)]
            if all(doc.role(ln) == "record" for ln in lines) and any(
                _opens_attachment(doc, p) for p in earlier[1:]
            ):
                continue  # after the attachments the 版记 may stand on a page of its own
            found = []
            for ln in lines:
                word = _ROLE_WORDS.get(doc.role(ln), "")
                if word and word not in found:
                    found.append(word)
            what = "和".join(found)
            yield Problem(_path(page), f"{where}：只有{what}，没有正文：{quote(lines[0])}")


def _title_end(doc: PrintedDocument, page: Page) -> float:
    titles = [ln for ln in page.lines if doc.role(ln) in ("title", "mark")]
    return max((ln.bottom for ln in titles), default=0.0)


@page_rule("P2", "error", "第一页有正文")
def body_on_page_one(doc: PrintedDocument) -> Iterator[Problem]:
    """A letter's page 1 carries its title and the start of the body (not only the letterhead)."""
    if doc.kind is Kind.FORM:
        return
    for unit in doc.units:
        if not unit.pages:
            continue
        page = unit.pages[0]
        where = doc.where(unit, page)
        has_title = any(doc.role(ln) == "title" for ln in page.lines)
        end = _title_end(doc, page)
        body = [
            ln
            for ln in page.lines
            if doc.role(ln) == "content"
            and ln.top >= end
            and not (ln.text.rstrip().endswith(("：", ":")) and len(ln.text) <= 30)
        ]
        if body:
            continue
        later = next(
            (ln for p in unit.pages[1:] for ln in p.lines if doc.role(ln) == "content"), None
        )
        moved = f"；正文从下一页开始：{quote(later)}" if later else ""
        what = "标题之后没有正文" if has_title else "版头之后没有标题和正文"
        yield Problem(_path(page), f"{where}：{what}{moved}")


@page_rule("P3", "error", "落款完整并在正文之后")
def closing_block(doc: PrintedDocument) -> Iterator[Problem]:
    """署名、成文日期、附注 stay together on one page and only 版记 follows them."""
    if doc.kind is Kind.FORM:
        return
    for unit in doc.units:
        flat = doc.flat(unit)
        block = [(p, ln) for p, ln in flat if doc.role(ln) in ("signature", "date", "note")]
        if not block:
            if unit.letter and unit.pages:
                yield Problem(
                    _path(unit.pages[-1]),
                    f"{doc.where(unit, unit.pages[-1])}：没有找到落款的成文日期",
                    severity=Severity.WARNING,
                )
            continue
        pages = sorted({p.number for p, _ in block})
        if len(pages) > 1:
            parts = "，".join(
                f"{doc.where(unit, p)}{quote(ln)}"
                for p, ln in block
                if ln is next(x for q, x in block if q is p)
            )
            yield Problem(_path(block[0][0]), f"落款（署名、成文日期、附注）被分在两页：{parts}")
        flat = doc.main_text(unit)
        last = flat.index(block[-1])
        for page, ln in flat[last + 1 :]:
            role = doc.role(ln)
            if role in ("record", "page_number"):
                continue
            yield Problem(
                _path(page),
                f"{doc.where(unit, page)}：成文日期之后还有正文，落款应在正文之后：{quote(ln)}",
            )
            break


@page_rule("P4", "error", "第一页排满")
def page_one_fill(doc: PrintedDocument) -> Iterator[Problem]:
    """When another page follows, page 1 ends at most four line slots above the text bottom."""
    if doc.kind is Kind.FORM:
        return
    for unit in doc.units:
        if len(unit.pages) < 2:
            continue
        page, nxt = unit.pages[0], unit.pages[1]
        first_next = next((ln for ln in nxt.lines if doc.role(ln) != "page_number"), None)
        if _opens_attachment(doc, nxt):
            continue
        printed = [ln for ln in page.lines if doc.role(ln) != "page_number"]
        if not printed:
            continue  # P1 reports the blank page
        last = max(ln.bottom for ln in printed)
        empty = int((doc.bottom(page) - LAST_GLYPH_GAP_MM - last) / LINE_MM)
        if empty > MAX_EMPTY_SLOTS and not _kept_apart(doc, unit, empty):
            moved = f"，下一页从{quote(first_next)}接续" if first_next else ""
            yield Problem(
                _path(page),
                f"{doc.where(unit, page)}：下方空了{empty}行（后面还有一页时最多空"
                f"{MAX_EMPTY_SLOTS}行）{moved}",
            )


def _kept_apart(doc: PrintedDocument, unit: Unit, empty: int) -> bool:
    """Page 1's empty slots are the closing block's due: page 2 ends the letter's text and what
    must stay together there — the last body paragraph (from its indented first line) through
    the 附注, and the 抄送/版记 with the blank line above it — needs more than ``empty`` slots."""
    page = unit.pages[1]
    closing = [ln for ln in page.lines if doc.role(ln) in ("signature", "date", "note")]
    if not any(doc.role(ln) == "date" for ln in closing):
        return False  # the closing block is further on: page 2 is a full page of its own
    rows = {round(ln.top) for ln in page.lines if doc.role(ln) == "record"}
    slots = len(rows) + 1 if rows else 0
    first = min(ln.top for ln in closing)
    starts = [
        ln
        for ln in page.lines
        if doc.role(ln) == "content"
        and ln.bottom < first
        and ln.x0 > doc.left(page) + CHAR_MM  # indented: a paragraph's first line
    ]
    top = max((ln.bottom for ln in starts), default=min(ln.bottom for ln in closing))
    slots += round((max(ln.bottom for ln in closing) - top) / LINE_MM) + 1
    return slots > empty


@page_rule("P5", "error", "发文机关标志排在一行并在红线以内")
def mark_inside_rules(doc: PrintedDocument) -> Iterator[Problem]:
    """The mark prints on one line, above its red rule and no wider than it (or the text area)."""
    for unit in doc.units:
        if not unit.pages:
            continue
        page = unit.pages[0]
        marks = [ln for ln in page.lines if doc.role(ln) == "mark"]
        if not marks:
            continue
        where = doc.where(unit, page)
        text = "".join(ln.text for ln in marks)
        shown = "“" + text[:24] + "”"
        rows = sorted({round(ln.top) for ln in marks})
        top = min(ln.top for ln in marks)
        rule_ = next((r for r in page.rules if r.red and r.top > top), None)
        if len(rows) > 1 and not _stacked(marks, unit.letter, rule_):
            yield Problem(
                _path(page), f"{where}：发文机关标志排成了{len(rows)}行，应排在一行内：{shown}"
            )
        if rule_ is None:
            left, right = doc.left(page), doc.right(page)
            if (
                min(ln.x0 for ln in marks) < left - EDGE_TOL_MM
                or max(ln.x1 for ln in marks) > right + EDGE_TOL_MM
            ):
                yield Problem(_path(page), f"{where}：发文机关标志超出版心左右边缘：{shown}")
            continue
        if max(ln.bottom for ln in marks) > rule_.top + 0.3:
            yield Problem(_path(page), f"{where}：发文机关标志压住了下方的红色分隔线：{shown}")
        if (
            min(ln.x0 for ln in marks) < rule_.x0 - EDGE_TOL_MM
            or max(ln.x1 for ln in marks) > rule_.x1 + EDGE_TOL_MM
        ):
            yield Problem(
                _path(page),
                f"{where}：发文机关标志比红色分隔线还宽"
                f"（线长{rule_.x1 - rule_.x0:.0f}毫米）：{shown}",
            )


def _stacked(marks: list[Line], letter: bool, rule_: object) -> bool:
    """A mark of several lines set so on purpose (a two-line mark, 联合行文 with 主办机关 first;
    ``Organisation.letterhead_lines``/``joint_letterheads``): its name lines evenly spaced, one
    below the other, and — letter format — all above the red double rule, or — file format —
    one “文件” at their right, centred on them (GB/T 9704 §7.2.4). A mark that wrapped does not
    look like that: its last line crosses the rule, or “文件” is split or stands under it."""
    word = [ln for ln in marks if re.sub(r"\s", "", ln.text) == "文件"]
    names = [ln for ln in marks if ln not in word]
    tops = sorted({round(ln.top, 1) for ln in names})
    if len(tops) < 2:
        return False
    pitches = [b - a for a, b in itertools.pairwise(tops)]
    if max(pitches) - min(pitches) > 1.0 or min(pitches) < min(ln.size for ln in names) * 0.3:
        return False  # uneven, or lines overprinting each other
    if letter:
        top = getattr(rule_, "top", None)
        return not word and top is not None and max(ln.bottom for ln in names) <= top + 0.3
    middle = (min(ln.top for ln in names) + max(ln.bottom for ln in names)) / 2
    if not word:
        # an odd number of lines: “文件” on the baseline of the middle one, read with it
        joined = [ln for ln in names if re.sub(r"\s", "", ln.text).endswith("文件")]
        if len(joined) != 1:
            return False
        j = joined[0]
        others = [ln for ln in names if ln is not j]
        em = j.size * MM_PER_PT
        return (
            abs((j.top + j.bottom) / 2 - middle) <= 3.0
            and j.x1 >= max(ln.x1 for ln in others) + em * 0.5
        )
    if len(word) != 1:
        return False
    w = word[0]
    centre = (w.top + w.bottom) / 2
    return w.x0 >= max(ln.x1 for ln in names) - EDGE_TOL_MM and abs(centre - middle) <= 3.0


@page_rule("P6", "error", "文字不超出版心（含标点）")
def inside_text_width(doc: PrintedDocument) -> Iterator[Problem]:
    """Nothing prints outside the 156 mm text width — hanging punctuation included (§5.2.1)."""
    for unit in doc.units:
        for page in unit.pages:
            left, right = doc.left(page), doc.right(page)
            for ln in page.lines:
                if doc.role(ln) in ("mark", "page_number"):
                    continue
                where = doc.where(unit, page)
                over = ln.x1 - right
                if over > EDGE_TOL_MM:
                    last = ln.text.rstrip()[-1:]
                    if last and last in _HANGING:
                        yield Problem(
                            _path(page),
                            f"{where}：行末标点“{last}”伸出版心右边缘{over:.1f}毫米"
                            f"（标点悬挂）：{quote(ln, 28)}",
                        )
                    else:
                        yield Problem(
                            _path(page),
                            f"{where}：文字超出版心右边缘{over:.1f}毫米：{quote(ln, 28)}",
                        )
                elif left - ln.x0 > EDGE_TOL_MM:
                    yield Problem(
                        _path(page),
                        f"{where}：文字超出版心左边缘{left - ln.x0:.1f}毫米：{quote(ln)}",
                    )


def _body_lines(doc: PrintedDocument, page: Page) -> list[Line]:
    return [
        ln
        for ln in page.lines
        if doc.role(ln) == "content" and abs(ln.size - BODY_PT) <= 0.5 and not ln.red
    ]


@page_rule("P7", "error", "每页22行、每行28字")
def grid(doc: PrintedDocument) -> Iterator[Problem]:
    """Body lines sit on the 22-line grid (28–28.95 pt) and hold 28 characters (5.57 mm each);
    no text prints below the text area."""
    for unit in doc.units:
        for page in unit.pages:
            where = doc.where(unit, page)
            below = [
                ln
                for ln in page.lines
                if doc.role(ln) not in ("page_number", "mark")
                and ln.bottom > doc.bottom(page) + EDGE_TOL_MM
            ]
            if below:
                yield Problem(_path(page), f"{where}：文字排到了版心下边缘以下：{quote(below[0])}")
            if doc.kind is Kind.FORM or page.landscape:
                continue
            body = _body_lines(doc, page)
            tops = sorted({round(ln.top, 1) for ln in body})
            steps = [b - a for a, b in itertools.pairwise(tops)]
            steps = [s for s in steps if 0.7 * LINE_MM < s < 1.4 * LINE_MM]
            if len(steps) >= 3:
                pitch = statistics.median(steps)
                if not PITCH_MIN_MM - 0.15 <= pitch <= PITCH_MAX_MM + 0.15:
                    per_page = int(gb.TEXT_HEIGHT_MM / pitch)
                    yield Problem(
                        _path(page),
                        f"{where}：正文行距为{pitch / MM_PER_PT:.1f}磅，每页排{per_page}行"
                        f"（应为{gb.LINES_PER_PAGE}行，行距28–28.95磅）",
                    )
            advances = [
                b.x0 - a.x0
                for ln in body
                for a, b in itertools.pairwise(ln.chars)
                if ord(a.text[:1] or " ") >= 0x4E00 and ord(b.text[:1] or " ") >= 0x4E00
            ]
            if len(advances) >= 20:
                adv = statistics.median(advances)
                if abs(adv - CHAR_MM) > 0.25:
                    yield Problem(
                        _path(page),
                        f"{where}：正文字距为{adv:.2f}毫米，每行约排{gb.TEXT_WIDTH_MM / adv:.0f}字"
                        f"（应为{gb.CHARS_PER_LINE}字，每字{CHAR_MM:.2f}毫米）",
                    )
            wide = [ln for ln in body if text_width(ln.text) > gb.CHARS_PER_LINE + 1]
            if wide:
                yield Problem(
                    _path(page),
                    f"{where}：一行排了{text_width(wide[0].text):g}字，"
                    f"超过{gb.CHARS_PER_LINE}字：{quote(wide[0], 28)}",
                )


_EM_DASH = "—"


def _across(doc: PrintedDocument, page: Page, ln: Line) -> tuple[float, float, float, float]:
    """Where a page number sits across the sheet as read (a landscape sheet turned so that its
    turned page number stands upright): its centre, the sheet's width, and its distances from
    the right and the left edge of the text area."""
    top, bottom = doc.top(page), doc.bottom(page)
    if ln.rotation == 90:  # the sheet turns anticlockwise: down the page is left to right
        return (ln.top + ln.bottom) / 2, page.height, bottom - ln.bottom, ln.top - top
    if ln.rotation == 270:  # clockwise: up the page is left to right
        return page.height - (ln.top + ln.bottom) / 2, page.height, ln.top - top, bottom - ln.bottom
    return (ln.x0 + ln.x1) / 2, page.width, doc.right(page) - ln.x1, ln.x0 - doc.left(page)


@page_rule("P8", "error", "页码“— N —”单页居右、双页居左，信函首页无页码")
def page_numbers(doc: PrintedDocument) -> Iterator[Problem]:
    """Odd pages right, even pages left, ``— N —``; no number on a letter's page 1 (§7.5, §10.1)."""
    if doc.kind is Kind.FORM:
        return
    for unit in doc.units:
        for k, page in enumerate(unit.pages, start=1):
            where = doc.where(unit, page)
            numbers = [ln for ln in page.lines if doc.role(ln) == "page_number"]
            if unit.letter and k == 1:
                if numbers:
                    yield Problem(
                        _path(page),
                        f"{where}：信函格式首页不显示页码，却印有{quote(numbers[0])}",
                    )
                continue
            if not numbers:
                if len(unit.pages) > 1:
                    yield Problem(_path(page), f"{where}：没有页码")
                continue
            ln = numbers[0]
            m = _PAGE_NUMBER.fullmatch(re.sub(r"\s", "", ln.text))
            assert m is not None
            want = gb.PAGE_NUMBER_FORMAT.format(k)
            if int(m.group(2)) != k:
                yield Problem(_path(page), f"{where}：页码印为{quote(ln)}，应为“{want}”")
            elif m.group(1) != _EM_DASH or m.group(3) != _EM_DASH:
                yield Problem(
                    _path(page),
                    f"{where}：页码印为{quote(ln)}，两侧应各为一字线“—”：{want}",
                    severity=Severity.WARNING,
                )
            centre, width, to_right, to_left = _across(doc, page, ln)
            odd = k % 2 == 1
            near_edge = to_right <= 3 * CHAR_MM if odd else to_left <= 3 * CHAR_MM
            on_side = centre > width / 2 if odd else centre < width / 2
            if not (on_side and near_edge):
                side = (
                    "居中"
                    if abs(centre - width / 2) < 3 * CHAR_MM
                    else "居右"
                    if centre > width / 2
                    else "居左"
                )
                want_side = "单页码应居右空一字" if odd else "双页码应居左空一字"
                yield Problem(_path(page), f"{where}：页码{quote(ln)}{side}，{want_side}")


# --------------------------------------------------------------------------- entry point


def verify_pages(
    docx: bytes | str | os.PathLike[str],
    converter: Converter | None = None,
    config: CheckConfig | None = None,
) -> list[Finding]:
    """Lay ``docx`` out through LibreOffice and run the page rules (P1–P8) on the printed pages.

    ``converter`` is a :class:`gongwen.preview.Converter` to reuse (one warm LibreOffice for
    many documents); without one, a converter is started and closed for this call. Raises
    :class:`~gongwen.errors.PreviewError` when LibreOffice is missing or fails and
    :class:`~gongwen.errors.DocxPackageError` for a file that is no docx.
    """
    from gongwen.preview import Converter
    from gongwen.verify import load_docx

    ctx: DocxContext = load_docx(docx)
    data = ctx.package.data
    if converter is None:
        with Converter() as own:
            pdf = own.to_pdf(data)
    else:
        pdf = converter.to_pdf(data)
    return check_pdf(pdf, ctx.kind, config)


def check_pdf(pdf: bytes, kind: Kind, config: CheckConfig | None = None) -> list[Finding]:
    """The page rules on an already made PDF of a document of ``kind``."""
    doc = PrintedDocument.build(kind, read_pages(pdf))
    return run_page_rules(doc, config)
