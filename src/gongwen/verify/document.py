"""The paragraphs of a .docx with their GB/T 9704 roles: what the layout (D) rules look at.

:class:`DocxContext` is built on the OOXML reader: :class:`~gongwen.ooxml.package.Package` finds
the main document, its styles, settings, theme and every header/footer part (with its type
``default``/``first``/``even`` per section) through the relationships;
:class:`~gongwen.ooxml.properties.PropertyReader` gives each paragraph and run its effective
properties (direct → style chains → ``docDefaults``, theme fonts resolved). This module adds only
what is about the standard: which paragraph is the letterhead, the title, body text, the date …

Paths in findings are 1-based: ``paragraph[12]`` is the 12th top-level paragraph of the body,
``table[2].paragraph[3]`` the 3rd paragraph inside the 2nd top-level table, ``footer1.xml
paragraph[1]`` a paragraph of a footer part, ``…textbox`` marks text-box content.

How paragraphs get their role (arbitrary documents, hand-typed ones included)
-----------------------------------------------------------------------------
Only top-level body paragraphs get roles; paragraphs in tables, text boxes, headers and footers
are never "body".

* **Title** — searched among the first 12 non-empty paragraphs, after the first rule (a
  paragraph border or a line of rule glyphs) if one occurs among the first 8: skipping red
  paragraphs, bordered paragraphs and 发文字号 lines, the first *centred* paragraph with a run of
  ``sz`` ≥ 40; failing that the first centred one; failing that the first with ``sz`` ≥ 40.
  Directly following centred paragraphs of the same size continue the title. Everything
  above the title is the **letterhead**.
* **Salutation** — the first paragraph after the title when it is short and ends with ``：``.
* **Headings** — text (after leading spaces) starting ``一、`` (level 1), ``（一）`` (2), ``1.``
  (3) or ``（1）`` (4). The heading span runs to the first ``。：！？`` or the paragraph's end.
  Levels 3 and 4 are set like body text and count as body paragraphs.
* **Date** — a paragraph that is nothing but a date (Arabic or Chinese numerals); a paragraph in
  full-width brackets after it is the 附注 (note).
* **Record** (版记) — paragraphs starting ``抄送`` or ``印发``/ending ``印发``.
* **Attachment note** — ``附件：…`` and its following ``2.名称`` lines; a line that is only
  ``附件1`` is an attachment label (黑体, not body).
* **Signature** — right-aligned paragraphs and paragraphs pushed right by ≥ 4 characters of
  indent or leading spaces; other centred paragraphs are *aligned* (not body).
* **Body** — every other non-empty paragraph after the title (or from the top when there is no
  title). Rules check each body paragraph and group the deviations, so one finding names every
  paragraph set the same wrong way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from xml.etree import ElementTree as ET

from gongwen.documents.blocks import heading_phrase
from gongwen.errors import DocxPackageError
from gongwen.ooxml.package import Package
from gongwen.ooxml.properties import (
    FONT_SLOTS,
    THEME_ATTRS,
    FontSlot,
    HeaderFooterPart,
    ParaProps,
    PropertyReader,
    RunProps,
    Section,
    Styles,
    read_header_footer_parts,
    read_sections,
)
from gongwen.ooxml.text import (
    block_children,
    field_text,
    has_line_shape,
    mm,
    on,
    own_runs,
    run_text,
    table_paragraphs,
    textbox_paragraphs,
    w,
    wattr,
)

# FONT_SLOTS … wattr are re-exported from gongwen.ooxml for the rules; new code imports them
# from gongwen.ooxml.properties / gongwen.ooxml.text.
__all__ = [
    "FONT_SLOTS",
    "THEME_ATTRS",
    "DocxContext",
    "FontSlot",
    "HeaderFooter",
    "Kind",
    "Para",
    "ParaProps",
    "Role",
    "Run",
    "RunProps",
    "Section",
    "Styles",
    "describe",
    "excerpt",
    "field_text",
    "heading_level",
    "is_red",
    "is_rule_text",
    "mm",
    "section_label",
    "w",
    "wattr",
]

_SPACES = " \t\u3000\u00a0"


# --------------------------------------------------------------------------- paragraphs


class Role(StrEnum):
    """What a top-level paragraph is (see the module docstring)."""

    EMPTY = "empty"
    LETTERHEAD = "letterhead"
    TITLE = "title"
    SALUTATION = "salutation"
    HEADING1 = "heading1"
    HEADING2 = "heading2"
    BODY = "body"
    ATTACHMENT_NOTE = "attachment_note"
    ATTACHMENT_LABEL = "attachment_label"
    SIGNATURE = "signature"
    ALIGNED = "aligned"
    DATE = "date"
    NOTE = "note"
    RECORD = "record"
    TABLE_NOTE = "table_note"


class Kind(StrEnum):
    """What kind of document a .docx is; rules that only fit some kinds ask this."""

    LETTER = "letter"  # 信函格式: the mark in the page head, no page number on page 1
    DOCUMENT = "document"  # 文件格式 (工作总结 …), or any other typed document
    FORM = "form"  # a table form (征询意见表): title, table, notes below it
    MERGED = "merged"  # several letters one after another (合订本), each with its own letterhead


@dataclass
class Run:
    """A text run with its effective properties; ``start`` is its offset in the paragraph text."""

    element: ET.Element
    text: str
    props: RunProps
    start: int
    path: str


@dataclass
class Para:
    """A paragraph of any part, with its text and effective properties."""

    element: ET.Element
    path: str
    part: str  # "document" or the header/footer part name
    number: int  # 1-based among top-level body paragraphs (text boxes: their anchor's), else 0
    in_table: bool
    in_textbox: bool
    text: str
    props: ParaProps
    runs: list[Run]
    role: Role = Role.EMPTY
    heading_level: int = 0
    heading_end: int = 0  # end offset of the heading span (0 when no heading)
    after_table: bool = False  # a top-level paragraph that directly follows a table
    # a table's paragraph: the number of the top-level paragraph before the table (0: none)
    table_after: int = 0

    @property
    def label(self) -> str:
        """The paragraph in office words: ``第6段“感谢您对我局工作的…”``."""
        return describe(self)

    @property
    def stripped(self) -> str:
        """Text without leading/trailing spaces (full-width included)."""
        return self.text.strip(_SPACES + "\r\n")

    @property
    def lead(self) -> int:
        """Offset of the first non-space character."""
        return len(self.text) - len(self.text.lstrip(_SPACES))

    def max_size(self) -> int:
        """Largest effective size of a run with visible text (0 if none)."""
        return max((r.props.size or 0 for r in self.runs if r.text.strip(_SPACES)), default=0)

    def visible_runs(self) -> list[Run]:
        """Runs with non-space text."""
        return [r for r in self.runs if r.text.strip(_SPACES)]


@dataclass
class HeaderFooter(HeaderFooterPart):
    """A header or footer part with its paragraphs (roles are not assigned there)."""

    paras: list[Para] = field(default_factory=list)


# --------------------------------------------------------------------------- context


_HEADING = (
    (1, re.compile(r"[一二三四五六七八九十百]+、")),
    (2, re.compile(r"[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"[0-9０-９]{1,2}(?:[.．](?![0-9０-９])|、)")),
    (4, re.compile(r"[（(][0-9０-９]{1,2}[）)]")),
)
_HEADING_END = re.compile(r"[。：！？]")
_DATE_LINE = re.compile(
    r"[0-9０-９〇○零Ｏ一二三四五六七八九]{2,4}\s*年\s*[0-9０-９〇○零一二三四五六七八九十]{1,3}\s*月"
    r"\s*[0-9０-９〇○零一二三四五六七八九十]{1,3}\s*日"
)
_DOC_NUMBER = re.compile(r"[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d+\s*号")
_TEMPLATE_TAG = re.compile(r"\{%-?\s*[pr]?\s.*%\}")
_RULE_GLYPHS = re.compile(r"^[\s\u3000─━—―–_＿-]+$")
_MARK_MIN_SIZE = 36  # red text this large at the top of a letter is its issuing-organ mark


def heading_level(text: str) -> int:
    """GB/T 9704 heading level of a paragraph's text (0 when it is no numbered heading)."""
    t = text.lstrip(_SPACES)
    for level, pattern in _HEADING:
        if pattern.match(t):
            return level
    return 0


def is_rule_text(text: str) -> bool:
    """True for text made only of rule glyphs (─ ━ — _), as hand-typed red lines are."""
    return bool(text) and _RULE_GLYPHS.match(text) is not None and bool(text.strip(_SPACES))


def is_red(color: str | None) -> bool:
    """FF0000 and near reds (R ≥ 0xC0, G and B ≤ 0x50)."""
    if not color or not re.fullmatch(r"[0-9A-Fa-f]{6}", color):
        return False
    r, g, b = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    return r >= 0xC0 and g <= 0x50 and b <= 0x50


class DocxContext:
    """A parsed .docx: parts, styles, settings, sections, paragraphs with effective properties."""

    def __init__(self, data: bytes, name: str = "") -> None:
        self.name = name
        self.package = Package(data, name)
        main = self.package.main_part
        document = self.package.xml(main)
        if document is None or document.find(w("body")) is None:
            raise DocxPackageError(f"{main} 中没有正文（w:body）")
        self.main_part = main
        self.document: ET.Element = document
        self.rels = self.package.rels(main)
        self.props = PropertyReader.from_package(self.package, main)
        self.styles = self.props.styles
        self.theme_fonts = self.props.theme_fonts
        self.settings = self.package.xml(self.package.related(main, "settings"))
        self.paragraphs: list[Para] = []
        self.table_paragraphs: list[Para] = []
        self.textbox_paragraphs: list[Para] = []
        self._parse_body()
        self.sections = read_sections(document, self.rels)
        self.parts = self._parse_headers_footers()
        self._classify()

    @classmethod
    def load(cls, source: bytes | str | os.PathLike[str]) -> DocxContext:
        """Build from bytes or a file path."""
        pkg = Package.open(source)
        return cls(pkg.data, name=pkg.name)

    def theme_font(self, theme: str) -> str:
        """The typeface a theme font reference stands for ("" when unknown)."""
        return self.props.theme_font(theme)

    # ---- paragraphs

    def _make_para(
        self, p: ET.Element, path: str, part: str, number: int, in_table: bool, in_textbox: bool
    ) -> Para:
        props = self.props.para_props(p)
        runs: list[Run] = []
        text = ""
        for i, r in enumerate(own_runs(p), start=1):
            t = run_text(r)
            runs.append(
                Run(
                    r,
                    t,
                    self.props.run_props(r, props.style_id, f"{path}.run[{i}]"),
                    len(text),
                    f"{path}.run[{i}]",
                )
            )
            text += t
        return Para(p, path, part, number, in_table, in_textbox, text, props, runs)

    def _textboxes(
        self, el: ET.Element, path: str, part: str, out: list[Para], anchor: int = 0
    ) -> None:
        for k, p in enumerate(textbox_paragraphs(el), start=1):
            out.append(
                self._make_para(p, f"{path}.textbox.paragraph[{k}]", part, anchor, False, True)
            )

    def _parse_body(self) -> None:
        body = self.document.find(w("body"))
        assert body is not None
        n_p = n_t = 0
        after_table = False
        for el in block_children(body):
            if el.tag == w("p"):
                n_p += 1
                para = self._make_para(el, f"paragraph[{n_p}]", "document", n_p, False, False)
                if para.stripped:
                    para.after_table, after_table = after_table, False
                self.paragraphs.append(para)
                self._textboxes(el, para.path, "document", self.textbox_paragraphs, n_p)
            elif el.tag == w("tbl"):
                n_t += 1
                after_table = True
                for k, p in enumerate(table_paragraphs(el), start=1):
                    path = f"table[{n_t}].paragraph[{k}]"
                    para = self._make_para(p, path, "document", 0, True, False)
                    para.table_after = n_p
                    self.table_paragraphs.append(para)
                    self._textboxes(p, path, "document", self.textbox_paragraphs)

    def _parse_headers_footers(self) -> dict[str, HeaderFooter]:
        parts: dict[str, HeaderFooter] = {}
        for name, found in read_header_footer_parts(
            self.package, self.sections, self.main_part
        ).items():
            hf = HeaderFooter(found.name, found.kind, found.root, found.uses, found.part)
            parts[name] = hf
            n = 0
            for el in block_children(hf.root):
                blocks = (
                    [el] if el.tag == w("p") else table_paragraphs(el) if el.tag == w("tbl") else []
                )
                for p in blocks:
                    n += 1
                    path = f"{hf.name} paragraph[{n}]"
                    hf.paras.append(self._make_para(p, path, hf.name, 0, el.tag == w("tbl"), False))
                    self._textboxes(p, path, hf.name, hf.paras)
        return parts

    @property
    def even_and_odd_headers(self) -> bool:
        """``w:evenAndOddHeaders`` is on in settings.xml."""
        if self.settings is None:
            return False
        return on(self.settings.find(w("evenAndOddHeaders"))) or False

    # ---- roles

    def _classify(self) -> None:
        paras = self.paragraphs
        for p in paras:
            if _TEMPLATE_TAG.fullmatch(p.stripped):
                p.text, p.runs = "", []  # a docxtpl paragraph tag: gone once rendered
            lvl = heading_level(p.text)
            if lvl:
                p.heading_level = lvl
                m = _HEADING_END.search(p.text, p.lead)
                end = m.end() if m else len(p.text)
                # a one-sentence item: only its heading phrase is in the heading font
                phrase, _ = heading_phrase(p.text[p.lead : end], p.text[end:].strip())
                p.heading_end = p.lead + len(phrase)
        self.letterheads: list[tuple[int, int]] = []
        self.segments = self._segments()
        self.rule_number = 0
        for k, (first, last) in enumerate(self.segments):
            rule_number = self._classify_segment(paras[first - 1 : last])
            if k == 0:
                self.rule_number = rule_number

    def _has_mark(self, p: Para) -> bool:
        """``p`` (or a text box anchored on it) carries large red text: an organ's mark."""
        boxes = [t for t in self.textbox_paragraphs if t.number == p.number]
        return any(
            is_red(r.props.color) and (r.props.size or 0) >= _MARK_MIN_SIZE
            for q in [p, *boxes]
            for r in q.visible_runs()
        )

    def _segments(self) -> list[tuple[int, int]]:
        """(first, last) paragraph numbers of each letter: a later mark starts a new one."""
        starts = [1]
        closed = False  # a date or 抄送 line came since the last start
        for p in self.paragraphs:
            text = p.stripped
            if closed and p.number > starts[-1] and self._has_mark(p):
                starts.append(p.number)
                closed = False
            elif re.match(r"(抄送|印发)", text) or _DATE_LINE.fullmatch(text.replace(" ", "")):
                closed = True
        ends = [s - 1 for s in starts[1:]] + [len(self.paragraphs)]
        return list(zip(starts, ends, strict=True))

    def _classify_segment(self, paras: list[Para]) -> int:
        """Give roles to one letter's paragraphs; returns the number of its letterhead rule."""
        nonempty = [p for p in paras if p.stripped]
        rule_number = self._find_rule(paras)
        title = self._find_title(nonempty, rule_number)
        offset = paras[0].number - 1 if paras else 0
        start = 0
        if title:
            first, last = title
            for p in paras[: first.number - 1 - offset]:
                p.role = Role.LETTERHEAD if p.stripped else Role.EMPTY
            for p in paras[first.number - 1 - offset : last.number - offset]:
                p.role = Role.TITLE if p.stripped else Role.EMPTY
            start = last.number - offset
            head_end = rule_number or first.number - 1
        else:
            head_end = rule_number or (paras[0].number + min(3, len(paras)) - 1 if paras else 0)
        if paras:
            self.letterheads.append((paras[0].number, head_end))
        after_date = False
        prev: Role | None = None
        seen_first = False
        for p in paras[start:]:
            text = p.stripped
            if not text:
                continue
            role: Role
            if (
                title
                and not seen_first
                and text[-1] in "：:"
                and len(text) <= 60
                and not p.heading_level
            ):
                role = Role.SALUTATION
            elif re.match(r"(抄送|印发)", text) or re.search(r"印发$", text):
                role = Role.RECORD
            elif _DATE_LINE.fullmatch(text.replace(" ", "")):
                role = Role.DATE
                after_date = True
            elif after_date and re.fullmatch(r"[（(].*[）)]", text):
                role = Role.NOTE
            elif (p.after_table or prev is Role.TABLE_NOTE) and re.match(
                r"(注|说明|备注|填表说明)\s*[0-9０-９]*\s*[:：]", text
            ):
                role = Role.TABLE_NOTE
            elif re.match(r"附\s*件\s*[:：]", text) or (
                prev is Role.ATTACHMENT_NOTE
                and re.match(r"[0-9０-９]+[.．、]", text)
                and not text.endswith("。")
            ):
                role = Role.ATTACHMENT_NOTE
            elif re.fullmatch(r"附\s*件\s*[0-9０-９一二三四五六七八九十]*", text):
                role = Role.ATTACHMENT_LABEL
            elif p.heading_level in (1, 2) and not p.props.centred:
                role = Role.HEADING1 if p.heading_level == 1 else Role.HEADING2
            elif p.props.right_aligned or self._pushed_right(p):
                role = Role.SIGNATURE
            elif p.props.centred or p.props.align == "distribute" or p.props.frame_x_align:
                role = Role.ALIGNED
            else:
                role = Role.BODY
            p.role = role
            prev = role
            seen_first = True
        return rule_number

    @staticmethod
    def _pushed_right(p: Para) -> bool:
        lead = p.text[: p.lead]
        spaces = lead.count("\u3000") + (len(lead) - lead.count("\u3000")) / 2
        if spaces >= 4:
            return True
        pp = p.props
        char = (p.max_size() or 32) * 10
        left = (pp.left_chars or 0) * char / 100 if pp.left_chars else (pp.left or 0)
        first = (
            (pp.first_line_chars or 0) * char / 100 if pp.first_line_chars else (pp.first_line or 0)
        )
        return left >= 4 * char or left + first >= 6 * char

    def _find_rule(self, paras: list[Para]) -> int:
        """Number of the first rule (border, rule glyphs or drawn line) near the top, or 0."""
        for p in paras[:12]:
            text = p.stripped
            if text.endswith(("：", ":")) or heading_level(text) or len(text) > 40:
                return 0  # body text came first: a later border is no letterhead rule
            if p.props.borders or is_rule_text(p.stripped) or has_line_shape(p.element):
                return p.number
        return 0

    def _find_title(self, nonempty: list[Para], rule_number: int) -> tuple[Para, Para] | None:
        head = [p for p in nonempty if p.number > rule_number][:12]

        def candidate(p: Para) -> bool:
            red = any(is_red(r.props.color) for r in p.visible_runs())
            return not (
                p.props.borders
                or (red and not rule_number)
                or _DOC_NUMBER.search(p.stripped)
                or is_rule_text(p.stripped)
            )

        cands = [p for p in head if candidate(p)]
        pick = next((p for p in cands if p.props.centred and p.max_size() >= 40), None)
        pick = pick or next((p for p in cands[:8] if p.props.centred), None)
        pick = pick or next((p for p in cands[:8] if p.max_size() >= 40), None)
        if pick is None:
            return None
        last = pick
        for p in self.paragraphs[pick.number :]:
            if (
                p.stripped
                and pick.props.centred
                and p.props.centred
                and p.max_size() == pick.max_size()
                and candidate(p)
            ):
                last = p
            else:
                break
        return pick, last

    @property
    def letterhead_end(self) -> int:
        """Number of the last top-level paragraph of the (first) letterhead (版头), or 0."""
        return self.letterheads[0][1] if self.letterheads else 0

    def in_letterhead(self, number: int) -> bool:
        """Top-level paragraph ``number`` lies in the letterhead of one of the letters."""
        return any(first <= number <= last for first, last in self.letterheads)

    @cached_property
    def kind(self) -> Kind:
        """Letter, typed document, table form or a merged file of letters."""
        if len(self.segments) > 1:
            return Kind.MERGED
        text_roles = {Role.BODY, Role.HEADING1, Role.HEADING2, Role.SALUTATION, Role.DATE}
        if self.table_paragraphs and not any(p.role in text_roles for p in self.paragraphs):
            return Kind.FORM
        first = self.sections[0] if self.sections else None
        boxed_mark = any(
            is_red(r.props.color) and (r.props.size or 0) >= _MARK_MIN_SIZE
            for t in self.textbox_paragraphs
            if t.number and self.in_letterhead(t.number)
            for r in t.visible_runs()
        )
        if first is not None and first.title_pg and boxed_mark:
            return Kind.LETTER
        return Kind.DOCUMENT

    # ---- queries used by rules

    def with_role(self, *roles: Role) -> list[Para]:
        """Top-level body paragraphs with one of ``roles``."""
        return [p for p in self.paragraphs if p.role in roles]

    @cached_property
    def used_styles(self) -> set[str]:
        """Style ids applied anywhere (with their basedOn ancestors and the default style)."""
        return self.styles.used([self.document] + [hf.root for hf in self.parts.values()])

    def all_paragraphs(self) -> Iterator[Para]:
        """Every paragraph: body, tables, text boxes, headers and footers."""
        yield from self.paragraphs
        yield from self.table_paragraphs
        yield from self.textbox_paragraphs
        for hf in self.parts.values():
            yield from hf.paras


# --------------------------------------------------------------------------- office words


def excerpt(text: str, n: int = 12) -> str:
    """The first ``n`` characters of ``text`` (whitespace folded), ``…`` when cut."""
    t = re.sub(r"\s+", " ", text).strip(_SPACES)
    return t if len(t) <= n else t[:n] + "…"


def describe(p: Para) -> str:
    """Where a paragraph is, in office words: ``第6段“感谢您对我局工作的…”``, ``页脚“— 1 —”``."""
    if p.part != "document":
        where = "页眉" if "header" in p.part else "页脚"
    elif p.in_textbox:
        where = f"第{p.number}段处的文本框" if p.number else "表格中的文本框"
    elif p.in_table:
        m = re.match(r"table\[(\d+)\]\.paragraph\[(\d+)\]", p.path)
        where = f"第{m.group(1)}个表格的第{m.group(2)}段" if m else "表格中"
    else:
        where = f"第{p.number}段"
    text = excerpt(p.stripped)
    return f"{where}“{text}”" if text else f"{where}（空段）"


def section_label(path: str) -> str:
    """``document.sectPr[2]…`` → ``第2节``; other paths unchanged."""
    m = re.match(r"document\.sectPr\[(\d+)\]", path)
    return f"第{m.group(1)}节" if m else path
