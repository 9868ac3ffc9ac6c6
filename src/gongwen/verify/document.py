"""A .docx package parsed into what the GB/T 9704 layout rules (D1–D13) need.

:class:`DocxContext` reads ``word/document.xml``, ``styles.xml``, ``settings.xml``, the theme and
every header/footer part (with its type ``default``/``first``/``even`` per section) straight from
the zip. Effective properties follow Word's order: direct run ``rPr`` → character style chain →
paragraph style chain (``w:basedOn``) → ``docDefaults``; a paragraph without ``w:pStyle`` uses the
default paragraph style. Each ``w:rFonts`` slot (ascii, hAnsi, eastAsia, cs) is inherited on its
own; a theme attribute (``w:eastAsiaTheme`` …) beats the explicit name on the same element.
Numbering-level properties and table styles are not applied.

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

import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from xml.etree import ElementTree as ET

from gongwen.errors import DocxPackageError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

TWIPS_PER_MM = 1440 / 25.4
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTRS = {
    "ascii": "asciiTheme",
    "hAnsi": "hAnsiTheme",
    "eastAsia": "eastAsiaTheme",
    "cs": "cstheme",
}
_FALSE = {"0", "false", "off"}
_SPACES = " \t\u3000\u00a0"


def w(tag: str) -> str:
    """Qualified WordprocessingML name: ``w("p")`` → ``{…/main}p``."""
    return f"{{{W_NS}}}{tag}"


def wattr(el: ET.Element | None, name: str) -> str | None:
    """A ``w:`` attribute of ``el`` (None when ``el`` or the attribute is missing)."""
    return None if el is None else el.get(w(name))


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None


def _on(el: ET.Element | None) -> bool | None:
    """A toggle element (``w:b``): None when absent, else its value."""
    if el is None:
        return None
    return (wattr(el, "val") or "true").lower() not in _FALSE


def mm(twips: int) -> float:
    """Twips to millimetres."""
    return twips / TWIPS_PER_MM


# --------------------------------------------------------------------------- properties


@dataclass(frozen=True)
class FontSlot:
    """One ``w:rFonts`` slot as resolved: explicit name and/or theme font, and where it was set."""

    name: str | None
    theme: str | None
    origin: str


@dataclass(frozen=True)
class RunProps:
    """Effective run properties."""

    size: int | None  # half-points
    fonts: dict[str, FontSlot]
    color: str | None  # upper-case RRGGBB or "AUTO"
    bold: bool
    vert_align: str | None

    @property
    def east_asia(self) -> str | None:
        """The explicit east-Asian font name in force (None when unset or overridden by a theme)."""
        slot = self.fonts.get("eastAsia")
        return slot.name if slot is not None and slot.theme is None else None


@dataclass(frozen=True)
class ParaProps:
    """Effective paragraph properties (twips unless named ``*_chars``, hundredths of a char)."""

    style_id: str | None
    align: str | None
    first_line: int | None
    first_line_chars: int | None
    hanging: int | None
    hanging_chars: int | None
    left: int | None
    left_chars: int | None
    right: int | None
    right_chars: int | None
    line: int | None
    line_rule: str | None
    frame_x_align: str | None
    borders: dict[str, str | None]  # side → colour of paragraph borders

    @property
    def centred(self) -> bool:
        """True for ``w:jc="center"``."""
        return self.align == "center"

    @property
    def right_aligned(self) -> bool:
        """True for ``w:jc="right"``/``"end"``."""
        return self.align in ("right", "end")


class Styles:
    """``styles.xml``: docDefaults, styles by id, the default paragraph style, basedOn chains."""

    def __init__(self, root: ET.Element | None) -> None:
        self.root = root
        self.by_id: dict[str, ET.Element] = {}
        self.default_para: str | None = None
        self.default_rpr: ET.Element | None = None
        self.default_ppr: ET.Element | None = None
        if root is None:
            return
        for s in root.iter(w("style")):
            sid = wattr(s, "styleId")
            if sid is None:
                continue
            self.by_id[sid] = s
            if wattr(s, "type") == "paragraph" and wattr(s, "default") in ("1", "true", "on"):
                self.default_para = sid
        self.default_rpr = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
        self.default_ppr = root.find(f"{w('docDefaults')}/{w('pPrDefault')}/{w('pPr')}")

    def chain(self, style_id: str | None) -> list[tuple[str, ET.Element]]:
        """The style and its ``w:basedOn`` ancestors, base-most first (cycles cut)."""
        out: list[tuple[str, ET.Element]] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            s = self.by_id[style_id]
            out.append((style_id, s))
            style_id = wattr(s.find(w("basedOn")), "val")
        return out[::-1]


# --------------------------------------------------------------------------- document parts


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
class Section:
    """One ``w:sectPr`` with its page settings and (inherited) header/footer part names."""

    index: int
    element: ET.Element
    page_w: int | None
    page_h: int | None
    margins: dict[str, int | None]
    title_pg: bool
    grid_type: str | None
    line_pitch: int | None
    headers: dict[str, str] = field(default_factory=dict)
    footers: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """Finding path of the section."""
        return f"document.sectPr[{self.index}]"


@dataclass
class HeaderFooter:
    """A header or footer part and the (section, type) pairs that use it."""

    name: str
    kind: str  # "header" | "footer"
    root: ET.Element
    uses: list[tuple[int, str]]
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
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            document = self._xml("word/document.xml")
            if document is None or document.find(w("body")) is None:
                raise DocxPackageError("word/document.xml 中没有正文（w:body）")
            self.document: ET.Element = document
            self._read_parts()
        except (
            zipfile.BadZipFile,
            KeyError,
            ET.ParseError,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            raise DocxPackageError(str(exc) or type(exc).__name__) from exc

    def _read_parts(self) -> None:
        self.styles = Styles(self._xml("word/styles.xml"))
        self.settings = self._xml("word/settings.xml")
        rels = self._xml("word/_rels/document.xml.rels")
        self.rels: dict[str, tuple[str, str]] = {}
        if rels is not None:
            for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
                self.rels[r.get("Id", "")] = (r.get("Type", ""), r.get("Target", ""))
        self.theme_fonts = self._theme_fonts()
        self.paragraphs: list[Para] = []
        self.table_paragraphs: list[Para] = []
        self.textbox_paragraphs: list[Para] = []
        self._parse_body()
        self.sections = self._parse_sections()
        self.parts = self._parse_headers_footers()
        self._classify()

    # ---- loading

    @classmethod
    def load(cls, source: bytes | str | os.PathLike[str]) -> DocxContext:
        """Build from bytes or a file path."""
        if isinstance(source, bytes):
            return cls(source)
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocxPackageError(f"{path}：{exc.strerror or exc}") from exc
        return cls(data, name=str(path))

    def _xml(self, name: str) -> ET.Element | None:
        try:
            raw = self.zip.read(name)
        except KeyError:
            if name == "word/document.xml":
                raise
            return None
        return ET.fromstring(raw)

    def part_xml(self, name: str) -> ET.Element | None:
        """A part under ``word/`` by its file name (None when missing)."""
        return self._xml(f"word/{name}")

    def _theme_fonts(self) -> dict[str, str]:
        target = next((t for typ, t in self.rels.values() if typ.endswith("/theme")), None)
        root = self._xml(f"word/{target}") if target else None
        out: dict[str, str] = {}
        if root is None:
            return out
        for kind in ("major", "minor"):
            font = root.find(f".//{{{A_NS}}}{kind}Font")
            if font is None:
                continue
            latin = font.find(f"{{{A_NS}}}latin")
            ea = font.find(f"{{{A_NS}}}ea")
            cs = font.find(f"{{{A_NS}}}cs")
            hans = next(
                (
                    f.get("typeface", "")
                    for f in font.findall(f"{{{A_NS}}}font")
                    if f.get("script") == "Hans"
                ),
                "",
            )
            latin_face = latin.get("typeface", "") if latin is not None else ""
            out[f"{kind}HAnsi"] = out[f"{kind}Ascii"] = latin_face
            out[f"{kind}EastAsia"] = (ea.get("typeface", "") if ea is not None else "") or hans
            out[f"{kind}Bidi"] = cs.get("typeface", "") if cs is not None else ""
        return out

    def theme_font(self, theme: str) -> str:
        """The typeface a theme font reference stands for ("" when unknown)."""
        return self.theme_fonts.get(theme, "")

    # ---- effective properties

    def run_props(self, run: ET.Element, para_style: str | None, origin: str) -> RunProps:
        """Effective properties of a run in a paragraph of style ``para_style``."""
        rpr = run.find(w("rPr"))
        levels: list[tuple[str, ET.Element | None]] = [
            ("styles.xml docDefaults", self.styles.default_rpr)
        ]
        levels += [
            (f"styles.xml style[{sid}]", s.find(w("rPr")))
            for sid, s in self.styles.chain(para_style)
        ]
        rstyle = wattr(rpr.find(w("rStyle")) if rpr is not None else None, "val")
        levels += [
            (f"styles.xml style[{sid}]", s.find(w("rPr"))) for sid, s in self.styles.chain(rstyle)
        ]
        levels.append((origin, rpr))
        return self._merge_rpr(levels)

    def style_run_props(self, para_style: str | None) -> RunProps:
        """Effective run properties that a paragraph style gives its text."""
        levels: list[tuple[str, ET.Element | None]] = [
            ("styles.xml docDefaults", self.styles.default_rpr)
        ]
        levels += [
            (f"styles.xml style[{sid}]", s.find(w("rPr")))
            for sid, s in self.styles.chain(para_style)
        ]
        return self._merge_rpr(levels)

    @staticmethod
    def _merge_rpr(levels: list[tuple[str, ET.Element | None]]) -> RunProps:
        size: int | None = None
        color: str | None = None
        bold = False
        vert: str | None = None
        fonts: dict[str, FontSlot] = {}
        for origin, rpr in levels:
            if rpr is None:
                continue
            sz = _int(wattr(rpr.find(w("sz")), "val"))
            size = sz if sz is not None else size
            c = wattr(rpr.find(w("color")), "val")
            color = c.upper() if c is not None else color
            b = _on(rpr.find(w("b")))
            bold = b if b is not None else bold
            va = wattr(rpr.find(w("vertAlign")), "val")
            vert = va if va is not None else vert
            rf = rpr.find(w("rFonts"))
            if rf is not None:
                for slot in FONT_SLOTS:
                    name, theme = wattr(rf, slot), wattr(rf, THEME_ATTRS[slot])
                    if name is not None or theme is not None:
                        fonts[slot] = FontSlot(name, theme, origin)
        return RunProps(size, fonts, color, bold, vert)

    def para_props(self, p: ET.Element) -> ParaProps:
        """Effective paragraph properties (direct → style chain → docDefaults)."""
        ppr = p.find(w("pPr"))
        style_id = wattr(ppr.find(w("pStyle")) if ppr is not None else None, "val")
        style_id = style_id or self.styles.default_para
        levels = (
            [self.styles.default_ppr]
            + [s.find(w("pPr")) for _, s in self.styles.chain(style_id)]
            + [ppr]
        )
        vals: dict[str, str | None] = {}
        borders: dict[str, str | None] = {}
        groups = {
            "first": ("firstLine", "firstLineChars", "hanging", "hangingChars"),
            "left": ("left", "leftChars", "start", "startChars"),
            "right": ("right", "rightChars", "end", "endChars"),
        }
        for lv in levels:
            if lv is None:
                continue
            jc = wattr(lv.find(w("jc")), "val")
            if jc is not None:
                vals["jc"] = jc
            ind = lv.find(w("ind"))
            if ind is not None:
                for names in groups.values():
                    if any(wattr(ind, n) is not None for n in names):
                        for n in names:
                            vals[n] = wattr(ind, n)
            sp = lv.find(w("spacing"))
            if sp is not None and wattr(sp, "line") is not None:
                vals["line"] = wattr(sp, "line")
                vals["lineRule"] = wattr(sp, "lineRule") or "auto"
            fr = lv.find(w("framePr"))
            if fr is not None:
                vals["xAlign"] = wattr(fr, "xAlign")
            bdr = lv.find(w("pBdr"))
            if bdr is not None:
                for side in bdr:
                    if wattr(side, "val") not in (None, "nil", "none"):
                        borders[side.tag.split("}")[-1]] = wattr(side, "color")
        align = vals.get("jc")
        align = {"start": "left", "end": "right"}.get(align or "", align)

        def num(a: str, b: str) -> int | None:
            return _int(vals.get(a)) if vals.get(a) is not None else _int(vals.get(b))

        return ParaProps(
            style_id=style_id,
            align=align,
            first_line=_int(vals.get("firstLine")),
            first_line_chars=_int(vals.get("firstLineChars")),
            hanging=_int(vals.get("hanging")),
            hanging_chars=_int(vals.get("hangingChars")),
            left=num("left", "start"),
            left_chars=num("leftChars", "startChars"),
            right=num("right", "end"),
            right_chars=num("rightChars", "endChars"),
            line=_int(vals.get("line")),
            line_rule=vals.get("lineRule"),
            frame_x_align=vals.get("xAlign"),
            borders=borders,
        )

    # ---- paragraphs

    def _make_para(
        self, p: ET.Element, path: str, part: str, number: int, in_table: bool, in_textbox: bool
    ) -> Para:
        props = self.para_props(p)
        runs: list[Run] = []
        text = ""
        for i, r in enumerate(own_runs(p), start=1):
            t = run_text(r)
            runs.append(
                Run(
                    r,
                    t,
                    self.run_props(r, props.style_id, f"{path}.run[{i}]"),
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
        for el in block_children(body):
            if el.tag == w("p"):
                n_p += 1
                para = self._make_para(el, f"paragraph[{n_p}]", "document", n_p, False, False)
                self.paragraphs.append(para)
                self._textboxes(el, para.path, "document", self.textbox_paragraphs, n_p)
            elif el.tag == w("tbl"):
                n_t += 1
                for k, p in enumerate(table_paragraphs(el), start=1):
                    path = f"table[{n_t}].paragraph[{k}]"
                    self.table_paragraphs.append(
                        self._make_para(p, path, "document", 0, True, False)
                    )
                    self._textboxes(p, path, "document", self.textbox_paragraphs)

    def _parse_sections(self) -> list[Section]:
        body = self.document.find(w("body"))
        assert body is not None
        elements = [
            p.find(f"{w('pPr')}/{w('sectPr')}") for p in block_children(body) if p.tag == w("p")
        ]
        found = [e for e in elements if e is not None]
        last = body.find(w("sectPr"))
        if last is not None:
            found.append(last)
        sections: list[Section] = []
        headers: dict[str, str] = {}
        footers: dict[str, str] = {}
        for i, s in enumerate(found, start=1):
            pg = s.find(w("pgSz"))
            mar = s.find(w("pgMar"))
            grid = s.find(w("docGrid"))
            for kind, store in (("header", headers), ("footer", footers)):
                for ref in s.findall(w(f"{kind}Reference")):
                    typ = wattr(ref, "type") or "default"
                    rel = self.rels.get(ref.get(f"{{{R_NS}}}id", ""))
                    if rel is not None:
                        store[typ] = rel[1].split("/")[-1]
            margins = {
                k: _int(wattr(mar, k))
                for k in ("top", "bottom", "left", "right", "gutter", "header", "footer")
            }
            sections.append(
                Section(
                    index=i,
                    element=s,
                    page_w=_int(wattr(pg, "w")),
                    page_h=_int(wattr(pg, "h")),
                    margins=margins,
                    title_pg=_on(s.find(w("titlePg"))) or False,
                    grid_type=wattr(grid, "type"),
                    line_pitch=_int(wattr(grid, "linePitch")),
                    headers=dict(headers),
                    footers=dict(footers),
                )
            )
        return sections

    def _parse_headers_footers(self) -> dict[str, HeaderFooter]:
        parts: dict[str, HeaderFooter] = {}
        for sec in self.sections:
            for kind, refs in (("header", sec.headers), ("footer", sec.footers)):
                for typ, name in refs.items():
                    if name not in parts:
                        root = self.part_xml(name)
                        if root is None:
                            continue
                        parts[name] = HeaderFooter(name, kind, root, [])
                    parts[name].uses.append((sec.index, typ))
        for hf in parts.values():
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
        return _on(self.settings.find(w("evenAndOddHeaders"))) or False

    # ---- roles

    def _classify(self) -> None:
        paras = self.paragraphs
        nonempty = [p for p in paras if p.stripped]
        for p in paras:
            if _TEMPLATE_TAG.fullmatch(p.stripped):
                p.text, p.runs = "", []  # a docxtpl paragraph tag: gone once rendered
            lvl = heading_level(p.text)
            if lvl:
                p.heading_level = lvl
                m = _HEADING_END.search(p.text, p.lead)
                p.heading_end = m.end() if m else len(p.text)
        self.rule_number = 0
        title = self._find_title(nonempty)
        start = 0
        if title:
            first, last = title
            for p in paras[: first.number - 1]:
                p.role = Role.LETTERHEAD if p.stripped else Role.EMPTY
            for p in paras[first.number - 1 : last.number]:
                p.role = Role.TITLE if p.stripped else Role.EMPTY
            start = last.number
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

    def _find_rule(self) -> int:
        """Number of the first rule (border, rule glyphs or drawn line) near the top, or 0."""
        for p in self.paragraphs[:12]:
            text = p.stripped
            if text.endswith(("：", ":")) or heading_level(text) or len(text) > 40:
                return 0  # body text came first: a later border is no letterhead rule
            if p.props.borders or is_rule_text(p.stripped) or has_line_shape(p.element):
                return p.number
        return 0

    def _find_title(self, nonempty: list[Para]) -> tuple[Para, Para] | None:
        self.rule_number = self._find_rule()
        head = [p for p in nonempty if p.number > self.rule_number][:12]

        def candidate(p: Para) -> bool:
            red = any(is_red(r.props.color) for r in p.visible_runs())
            return not (
                p.props.borders
                or (red and not self.rule_number)
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
        """Number of the last top-level paragraph of the letterhead (版头), or 0."""
        if self.rule_number:
            return self.rule_number
        title = next((p.number for p in self.paragraphs if p.role is Role.TITLE), 0)
        return title - 1 if title else min(3, len(self.paragraphs))

    # ---- queries used by rules

    def with_role(self, *roles: Role) -> list[Para]:
        """Top-level body paragraphs with one of ``roles``."""
        return [p for p in self.paragraphs if p.role in roles]

    @cached_property
    def used_styles(self) -> set[str]:
        """Style ids applied anywhere (with their basedOn ancestors and the default style)."""
        roots = [self.document] + [hf.root for hf in self.parts.values()]
        direct: set[str] = set()
        if self.styles.default_para:
            direct.add(self.styles.default_para)
        for root in roots:
            for tag in ("pStyle", "rStyle", "tblStyle"):
                for el in root.iter(w(tag)):
                    val = wattr(el, "val")
                    if val:
                        direct.add(val)
        out: set[str] = set()
        for sid in direct:
            out.update(s for s, _ in self.styles.chain(sid))
        return out

    def all_paragraphs(self) -> Iterator[Para]:
        """Every paragraph: body, tables, text boxes, headers and footers."""
        yield from self.paragraphs
        yield from self.table_paragraphs
        yield from self.textbox_paragraphs
        for hf in self.parts.values():
            yield from hf.paras


# --------------------------------------------------------------------------- XML walking


def block_children(container: ET.Element) -> Iterator[ET.Element]:
    """Block-level ``w:p``/``w:tbl`` children, looking through content controls."""
    for el in container:
        if el.tag in (w("p"), w("tbl")):
            yield el
        elif el.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from block_children(el)


def table_paragraphs(tbl: ET.Element) -> list[ET.Element]:
    """Paragraphs inside a table's cells (nested tables included), in order."""
    out: list[ET.Element] = []
    for tr in tbl.iter(w("tc")):
        for el in block_children(tr):
            if el.tag == w("p"):
                out.append(el)
    return out


def own_runs(p: ET.Element) -> list[ET.Element]:
    """The paragraph's runs, not those of text boxes anchored in it (nor mc:Fallback copies)."""
    out: list[ET.Element] = []

    def walk(el: ET.Element) -> None:
        for child in el:
            if child.tag == w("r"):
                out.append(child)
            elif child.tag in (
                w("p"),
                w("txbxContent"),
                f"{{{MC_NS}}}Fallback",
                w("pPr"),
                w("rPr"),
            ):
                continue
            else:
                walk(child)

    walk(p)
    return out


def textbox_paragraphs(p: ET.Element) -> list[ET.Element]:
    """Paragraphs inside text boxes anchored in ``p`` (skipping mc:Fallback duplicates)."""
    out: list[ET.Element] = []

    def walk(el: ET.Element, inside: bool) -> None:
        for child in el:
            if child.tag == f"{{{MC_NS}}}Fallback":
                continue
            if child.tag == w("txbxContent"):
                walk(child, True)
            elif inside and child.tag == w("p"):
                out.append(child)
                walk(child, False)
            elif inside and child.tag == w("tbl"):
                out.extend(table_paragraphs(child))
            else:
                walk(child, inside)

    for child in p:
        if child.tag != w("pPr"):
            walk(child, False)
    return out


def has_line_shape(p: ET.Element) -> bool:
    """True when a drawn line (DrawingML connector/line or VML line) is anchored in ``p``."""
    for el in p.iter():
        tag = el.tag.split("}")[-1]
        if (
            tag == "cNvCnPr"
            or (tag == "prstGeom" and el.get("prst") in ("line", "straightConnector1"))
            or tag == "line"
        ):
            return True
    return False


def run_text(r: ET.Element) -> str:
    """Visible text of a run (tabs as ``\\t``, breaks as ``\\n``; field codes excluded)."""
    out: list[str] = []
    for el in r:
        if el.tag == w("t"):
            out.append(el.text or "")
        elif el.tag == w("tab"):
            out.append("\t")
        elif el.tag in (w("br"), w("cr")):
            out.append("\n")
        elif el.tag == w("noBreakHyphen"):
            out.append("-")
    return "".join(out)


_PAGE_FIELD = re.compile(r"^\s*PAGE\b", re.IGNORECASE)


def field_text(p: ET.Element) -> tuple[str, bool, list[ET.Element]]:
    """Paragraph text with each PAGE field's result replaced by ``n``.

    Returns the text, whether a PAGE field is present, and the runs that carry the page number
    (its result runs, or the field's first run when it has no cached result).
    """
    out: list[str] = []
    page_runs: list[ET.Element] = []
    stack: list[dict[str, object]] = []  # complex fields: instr, mode, emitted
    found = False

    def in_instr() -> bool:
        return any(f["mode"] == "instr" for f in stack)

    def in_page_result() -> bool:
        return any(f["mode"] == "result" and _PAGE_FIELD.match(str(f["instr"])) for f in stack)

    def walk(el: ET.Element) -> None:
        nonlocal found
        for child in el:
            tag = child.tag
            if tag in (w("txbxContent"), f"{{{MC_NS}}}Fallback", w("pPr"), w("rPr")):
                continue
            if tag == w("fldSimple"):
                if _PAGE_FIELD.match(wattr(child, "instr") or ""):
                    found = True
                    out.append("n")
                    page_runs.extend(child.iter(w("r")))
                else:
                    walk(child)
            elif tag == w("r"):
                for rc in child:
                    if rc.tag == w("fldChar"):
                        kind = wattr(rc, "fldCharType")
                        if kind == "begin":
                            stack.append({"instr": "", "mode": "instr", "first": child})
                        elif kind == "separate" and stack:
                            stack[-1]["mode"] = "result"
                            if _PAGE_FIELD.match(str(stack[-1]["instr"])):
                                found = True
                                out.append("n")
                                stack[-1]["emitted"] = True
                        elif kind == "end" and stack:
                            f = stack.pop()
                            if _PAGE_FIELD.match(str(f["instr"])) and not f.get("emitted"):
                                found = True
                                out.append("n")
                                first = f["first"]
                                if isinstance(first, ET.Element):
                                    page_runs.append(first)
                    elif rc.tag == w("instrText") and stack and stack[-1]["mode"] == "instr":
                        stack[-1]["instr"] = str(stack[-1]["instr"]) + (rc.text or "")
                    elif rc.tag == w("t"):
                        if in_instr():
                            continue
                        if in_page_result():
                            page_runs.append(child)
                            continue
                        out.append(rc.text or "")
                    elif rc.tag == w("tab") and not in_instr() and not in_page_result():
                        out.append("\t")
            elif tag != w("p"):
                walk(child)

    walk(p)
    return "".join(out), found, page_runs
