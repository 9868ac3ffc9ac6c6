"""Shared GB/T 9704-2012 building blocks for the gongwen docx templates.

Every layout number is a named constant in this module (or in the template module that uses it),
with the clause of the standard it comes from. The small public API:

- units: :func:`mm`, :func:`mm_emu`, :func:`pt`
- document: :func:`new_document`, :func:`save_template`
- styles: :func:`add_paragraph_style`, :func:`add_character_style`
- content: :func:`paragraph`, :func:`run`, :func:`tab`, :func:`tag`, :func:`spacer`
- reusable blocks: :func:`add_body_blocks`, :func:`add_signature_block`,
  :func:`add_page_number_footers`

Content helpers take a *parent* element (``w:body``, ``w:hdr``, ``w:ftr``, ``w:tc`` or
``w:txbxContent``) and append to it (before a trailing ``w:sectPr``). Jinja tags for docxtpl are
always written as a whole run (``{{ x }}``) or a paragraph of their own (``{%p ... %}``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

# --------------------------------------------------------------------------------------------
# XML namespaces
# --------------------------------------------------------------------------------------------
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` → ``{ns}p``."""
    return f"{{{W_NS}}}{tag}"


def _el(tag: str, parent: etree._Element | None = None, **attrs: str | int) -> etree._Element:
    """Create ``w:tag`` with ``w:``-attributes (``w_val`` style keys are not needed: ``val=``)."""
    e = etree.Element(w(tag)) if parent is None else etree.SubElement(parent, w(tag))
    for k, v in attrs.items():
        e.set(w(k), str(v))
    return e


# --------------------------------------------------------------------------------------------
# Units (gbt9704.md "Units")
# --------------------------------------------------------------------------------------------
TWIPS_PER_MM = 1440 / 25.4  # 56.693
EMU_PER_MM = 36_000


def mm(value: float) -> int:
    """Millimetres → twips (rounded)."""
    return round(value * TWIPS_PER_MM)


def mm_emu(value: float) -> int:
    """Millimetres → EMU."""
    return round(value * EMU_PER_MM)


def pt(value: float) -> int:
    """Points → twips."""
    return round(value * 20)


# --------------------------------------------------------------------------------------------
# Page (§5.2.1, §5.2.2)
# --------------------------------------------------------------------------------------------
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
PAGE_WIDTH = 11906  # A4 in twips, as Word writes it
PAGE_HEIGHT = 16838
MARGIN_TOP_MM = 37.0  # 天头
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0  # 订口
MARGIN_RIGHT_MM = 26.0
# twips as in the spec's table (28 mm = 1587.4 twips is written 1588, so that the text width
# is exactly 8844 twips = 156 mm)
MARGIN_TOP = 2098
MARGIN_BOTTOM = 1984
MARGIN_LEFT = 1588
MARGIN_RIGHT = 1474
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 8844 twips
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_BOTTOM_MM  # 262: bottom edge of the text area
HEADER_DISTANCE_MM = 15.0  # header paragraphs only carry anchors; any value < 37 mm works

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Chinese font sizes as w:sz half-points
SZ_XIAOCHU = 72  # 小初 36 pt
SZ_ERHAO = 44  # 二号 22 pt
SZ_SANHAO = 32  # 三号 16 pt
SZ_SIHAO = 28  # 四号 14 pt

BODY_SZ = SZ_SANHAO
BODY_PT = BODY_SZ / 2  # 16
# One "字" (character width) of body text, the unit of every indent in the standard.
CHAR = pt(BODY_PT)  # 320 twips
# Exact line spacing: 22 lines must fit the 225 mm text height → ≤ 579 twips (28.95 pt).
LINE_PITCH = 579
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm = 12756 twips
assert LINES_PER_PAGE * LINE_PITCH <= TEXT_HEIGHT
# docGrid charSpace: 1/4096 pt added to the 16 pt grid cell so that 28 cells fill 156 mm.
CHAR_SPACE = round((TEXT_WIDTH_MM * 72 / 25.4 / CHARS_PER_LINE - BODY_PT) * 4096)  # -848
# LibreOffice (7.x) lays out a character grid with a negative charSpace by giving each 16 pt
# character two grid cells (14 characters a line). So paragraphs do not snap to the grid
# (w:snapToGrid="0" in Normal) and the same 28 characters a line come from character spacing
# (w:spacing in the run defaults): -5 twips → 15.75 pt a character, 28 × 15.75 pt ≤ 156 mm.
# Word and LibreOffice then agree; the docGrid still documents the 22 × 28 page.
CHAR_SPACING = (TEXT_WIDTH // CHARS_PER_LINE) - CHAR - 1  # -5 twips
assert CHARS_PER_LINE * (CHAR + CHAR_SPACING) <= TEXT_WIDTH

# --------------------------------------------------------------------------------------------
# Fonts and colours (§5.1 / gbt9704.md "Fonts in docx")
# --------------------------------------------------------------------------------------------
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
# fontTable entries: name → (altName, panose, pitch). charset 86 = GB2312.
FONT_TABLE: dict[str, str] = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    HEITI: "SimHei",
    XIAOBIAOSONG: "方正小标宋_GBK",
    SONGTI: "SimSun",
}
BLACK = "000000"
RED = "FF0000"  # only the organ mark and the red rules (§5.1, §7.2.3, §10.1)

# Heading levels (§7.3.3): 一、黑体 · （一）楷体 · 1. 仿宋 · （1）仿宋, all 3号.
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}

# Where the top of the characters' em box sits in a paragraph whose exact line height equals the
# font size, as a fraction of the font size below the top of the line (negative: above). Exact
# spacing keeps the descent at the bottom, so the em box rises ≈ 0.18–0.2 em above the line
# (measured in the LibreOffice PDF with the preview fonts: 0.17 em for 仿宋, 0.197 em for the
# mark's stand-in). Used to put the top edges where the standard wants them.
GLYPH_TOP_IN_EXACT_LINE = -0.19

# --------------------------------------------------------------------------------------------
# Page numbers (§7.5): 4号 半角 宋体, "— n —", 一字线 7 mm below the text area,
# odd pages right one character in, even pages left one character in.
# --------------------------------------------------------------------------------------------
PAGE_NUMBER_SZ = SZ_SIHAO
PAGE_NUMBER_INDENT = CHAR
PAGE_NUMBER_DASH_BELOW_TEXT_MM = 7.0
# The footer paragraph is one exact 4号 line; the dash sits at mid-height of the characters' em
# box, which rises GLYPH_TOP_IN_EXACT_LINE above the line. The footer distance (paper bottom →
# bottom of the footer line) follows.
PAGE_NUMBER_LINE = pt(PAGE_NUMBER_SZ / 2)  # 280 twips
_DASH_ABOVE_LINE_BOTTOM_MM = (0.5 - GLYPH_TOP_IN_EXACT_LINE) * PAGE_NUMBER_LINE / TWIPS_PER_MM
FOOTER_DISTANCE_MM = round(
    PAGE_HEIGHT_MM - TEXT_BOTTOM_MM - PAGE_NUMBER_DASH_BELOW_TEXT_MM - _DASH_ABOVE_LINE_BOTTOM_MM,
    2,
)  # ≈ 24.6 mm

# --------------------------------------------------------------------------------------------
# Signature block with seal (§7.3.5.1): date four characters in from the right, the organ name
# centred on the date. A centred paragraph whose left indent puts the centre of the remaining
# width on the centre of a typical date line ("2024年12月18日": 4+2 digits half width + 年月日
# = 7 characters). Space above it leaves room for the seal.
# --------------------------------------------------------------------------------------------
DATE_RIGHT_INDENT = 4 * CHAR
TYPICAL_DATE_WIDTH = 7 * CHAR
_DATE_CENTRE = TEXT_WIDTH - DATE_RIGHT_INDENT - TYPICAL_DATE_WIDTH // 2
SIGN_ORG_LEFT_INDENT = 2 * _DATE_CENTRE - TEXT_WIDTH
SIGN_SPACE_BEFORE_LINES = 2  # blank lines between the last text and the organ name

# 抄送 (§7.4.2): 4号仿宋, one character in on each side, wrapped lines under the first character
# after "抄送：" (three 4号 characters).
COPY_TO_SZ = SZ_SIHAO
COPY_TO_HEAD_WIDTH = 3 * pt(COPY_TO_SZ / 2)

# --------------------------------------------------------------------------------------------
# The package: python-docx's default template minus everything the templates do not use
# --------------------------------------------------------------------------------------------
_DROP_PART_RELS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.WEB_SETTINGS,
    RT.CUSTOM_XML,
    RT.NUMBERING,
    RT.THEME,
)
_FIXED_DATE = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)

_WORD_URI = "http://schemas.microsoft.com/office/word"
SETTINGS_XML = f"""<w:settings xmlns:w="{W_NS}">
  <w:zoom w:percent="100"/>
  <w:defaultTabStop w:val="{CHAR}"/>
  <w:evenAndOddHeaders/>
  <w:characterSpacingControl w:val="doNotCompress"/>
  <w:compat>
    <w:useFELayout/>
    <w:compatSetting w:name="compatibilityMode" w:uri="{_WORD_URI}" w:val="15"/>
  </w:compat>
  <w:decimalSymbol w:val="."/>
  <w:listSeparator w:val=","/>
</w:settings>"""


def _font_table_xml() -> bytes:
    root = etree.Element(w("fonts"), nsmap={"w": W_NS})
    for name, alt in FONT_TABLE.items():
        f = _el("font", root, name=name)
        _el("altName", f, val=alt)
        _el("charset", f, val="86")
        _el("family", f, val="modern" if name in (FANGSONG, KAITI, HEITI) else "roman")
        _el("pitch", f, val="fixed" if name in (FANGSONG, KAITI, HEITI) else "variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rfonts(parent: etree._Element, font: str) -> None:
    _el("rFonts", parent, ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


def _styles_skeleton() -> etree._Element:
    """styles.xml with docDefaults and the styles Word expects as defaults; no latent styles."""
    root = etree.Element(w("styles"), nsmap={"w": W_NS})
    dd = _el("docDefaults", root)
    rpr = _el("rPr", _el("rPrDefault", dd))
    _rfonts(rpr, FANGSONG)
    _el("color", rpr, val=BLACK)
    _el("spacing", rpr, val=CHAR_SPACING)
    _el("kern", rpr, val="0")
    _el("sz", rpr, val=BODY_SZ)
    _el("szCs", rpr, val=BODY_SZ)
    _el("lang", rpr, val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = _el("pPr", _el("pPrDefault", dd))
    _el("spacing", ppr, line=LINE_PITCH, lineRule="exact")
    # Normal: the default paragraph style; every other style derives from it.
    normal = _style(root, "paragraph", "Normal", "Normal", default=True)
    p = _el("pPr", normal)
    # no widow/orphan control: every page keeps its 22 lines
    _el("widowControl", p, val="0")
    # no automatic space between Chinese and Latin letters/digits: keeps 28 characters a line
    _el("autoSpaceDE", p, val="0")
    _el("autoSpaceDN", p, val="0")
    _el("snapToGrid", p, val="0")
    _el("spacing", p, before=0, after=0, line=LINE_PITCH, lineRule="exact")
    _el("jc", p, val="both")
    r = _el("rPr", normal)
    _rfonts(r, FANGSONG)
    _el("color", r, val=BLACK)
    _el("spacing", r, val=CHAR_SPACING)
    _el("sz", r, val=BODY_SZ)
    _el("szCs", r, val=BODY_SZ)
    dpf = _style(
        root, "character", "DefaultParagraphFont", "Default Paragraph Font", default=True,
        hidden_default=True,
    )  # fmt: skip
    r = _el("rPr", dpf)
    _rfonts(r, FANGSONG)
    tn = _style(root, "table", "TableNormal", "Normal Table", default=True, hidden_default=True)
    r = _el("rPr", tn)
    _rfonts(r, FANGSONG)
    tbl = _el("tblPr", tn)
    _el("tblInd", tbl, w=0, type="dxa")
    mar = _el("tblCellMar", tbl)
    for side in ("top", "left", "bottom", "right"):
        _el(side, mar, w=0, type="dxa")
    return root


def _style(
    root: etree._Element,
    kind: str,
    style_id: str,
    name: str,
    *,
    default: bool = False,
    based_on: str | None = None,
    next_style: str | None = None,
    hidden_default: bool = False,
) -> etree._Element:
    s = _el("style", root, type=kind, styleId=style_id)
    if default:
        s.set(w("default"), "1")
    _el("name", s, val=name)
    if based_on:
        _el("basedOn", s, val=based_on)
    if next_style:
        _el("next", s, val=next_style)
    if hidden_default:  # CT_Style order: uiPriority, semiHidden, unhideWhenUsed, qFormat
        _el("uiPriority", s, val="1" if kind == "character" else "99")
        _el("semiHidden", s)
        _el("unhideWhenUsed", s)
    else:
        _el("qFormat", s)
    return s


def new_document(title: str) -> DocxDocument:
    """A new document: A4, GB/T 9704 margins, 22×28 grid, base styles, no unused parts.

    The section is blank: templates add their own paragraphs, headers and footers.
    """
    doc = Document()
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype in _DROP_PART_RELS:
            part.drop_rel(rid)
    pkg = part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.rels.pop(rid)
    # styles.xml, settings.xml and fontTable.xml are replaced wholesale.
    part._styles_part._element = _styles_skeleton()
    part._settings_part._element = etree.fromstring(SETTINGS_XML.encode())
    for rel in part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = _font_table_xml()
    cp = doc.core_properties
    cp.title = title
    cp.author = "gongwen"
    cp.last_modified_by = "gongwen"
    cp.created = _FIXED_DATE
    cp.modified = _FIXED_DATE
    cp.revision = 1
    cp.comments = "由 templates/build.py 生成，请勿手工修改；版式数值见 templates/builder/"
    # Empty body: only the section properties, rebuilt from scratch.
    body = doc.element.body
    for child in list(body):
        body.remove(child)
    sect = _el("sectPr", body)
    _el("pgSz", sect, w=PAGE_WIDTH, h=PAGE_HEIGHT)
    _el(
        "pgMar",
        sect,
        top=MARGIN_TOP,
        right=MARGIN_RIGHT,
        bottom=MARGIN_BOTTOM,
        left=MARGIN_LEFT,
        header=mm(HEADER_DISTANCE_MM),
        footer=mm(FOOTER_DISTANCE_MM),
        gutter=0,
    )
    _el("cols", sect, space=0)
    _el("docGrid", sect, type="linesAndChars", linePitch=LINE_PITCH, charSpace=CHAR_SPACE)
    add_paragraph_style(doc, "Header", "header", line=pt(1), font=SONGTI, sz=2)
    add_paragraph_style(
        doc, "Footer", "footer", line=PAGE_NUMBER_LINE, font=SONGTI, sz=PAGE_NUMBER_SZ
    )
    return doc


def _styles_root(doc: DocxDocument) -> etree._Element:
    root: etree._Element = doc.part._styles_part._element
    return root


# --------------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Border:
    """A paragraph border: OOXML type, width in eighths of a point, colour, space in points."""

    val: str = "single"
    sz: int = 8
    color: str = BLACK
    space: int = 0


def _rpr_children(
    rpr: etree._Element,
    *,
    font: str | None = None,
    bold: bool | None = None,
    color: str | None = None,
    scale: int | None = None,
    sz: int | None = None,
) -> None:
    """Append run properties in schema order (CT_RPr)."""
    if font:
        _rfonts(rpr, font)
    if bold is not None:
        _el("b", rpr, val="1" if bold else "0")
        _el("bCs", rpr, val="1" if bold else "0")
    if color:
        _el("color", rpr, val=color)
    if scale is not None:
        _el("w", rpr, val=scale)
    if sz is not None:
        _el("sz", rpr, val=sz)
        _el("szCs", rpr, val=sz)


def add_paragraph_style(
    doc: DocxDocument,
    style_id: str,
    name: str,
    *,
    based_on: str = "Normal",
    font: str | None = None,
    sz: int | None = None,
    color: str | None = None,
    bold: bool | None = None,
    scale: int | None = None,
    jc: str | None = None,
    first_line_chars: int | None = None,
    left: int | None = None,
    right: int | None = None,
    hanging: int | None = None,
    line: int | None = None,
    before: int | None = None,
    after: int | None = None,
    tabs: Sequence[tuple[str, int]] = (),
    bottom_border: Border | None = None,
    keep_next: bool = False,
    outline_level: int | None = None,
    next_style: str | None = None,
) -> None:
    """Add a paragraph style. Lengths in twips; ``line`` is an exact line height.

    ``first_line_chars`` is in characters (2 → ``firstLineChars=200`` plus 640 twips).
    Fonts are written to ascii/hAnsi/eastAsia/cs with ``hint="eastAsia"``; no theme fonts.
    """
    root = _styles_root(doc)
    if based_on == style_id:
        based_on = ""
    s = _style(root, "paragraph", style_id, name, based_on=based_on or None, next_style=next_style)
    p = _el("pPr", s)
    if keep_next:
        _el("keepNext", p)
    if bottom_border:
        bdr = _el("pBdr", p)
        b = bottom_border
        _el("bottom", bdr, val=b.val, sz=b.sz, space=b.space, color=b.color)
    if tabs:
        t = _el("tabs", p)
        for kind, pos in tabs:
            _el("tab", t, val=kind, pos=pos)
    if line is not None or before is not None or after is not None:
        sp = _el("spacing", p)
        if before is not None:
            sp.set(w("before"), str(before))
        if after is not None:
            sp.set(w("after"), str(after))
        if line is not None:
            sp.set(w("line"), str(line))
            sp.set(w("lineRule"), "exact")
    if any(v is not None for v in (first_line_chars, left, right, hanging)):
        ind = _el("ind", p)
        if left is not None:
            ind.set(w("left"), str(left))
        if right is not None:
            ind.set(w("right"), str(right))
        if hanging is not None:
            ind.set(w("hanging"), str(hanging))
        if first_line_chars is not None:
            ind.set(w("firstLineChars"), str(first_line_chars * 100))
            ind.set(w("firstLine"), str(first_line_chars * CHAR))
    if jc:
        _el("jc", p, val=jc)
    if outline_level is not None:
        _el("outlineLvl", p, val=outline_level)
    if len(p) == 0:
        s.remove(p)
    r = _el("rPr", s)
    # every style names its fonts explicitly (inheritance alone is not enough for some readers)
    font = font or _inherited_font(root, based_on) or FANGSONG
    _rpr_children(r, font=font, bold=bold, color=color, scale=scale, sz=sz)


def _inherited_font(root: etree._Element, style_id: str) -> str | None:
    """The east-Asian font a style (or its nearest ancestor) names, if any."""
    while style_id:
        found = root.xpath(f'w:style[@w:styleId="{style_id}"]', namespaces={"w": W_NS})
        if not found:
            return None
        fonts = found[0].find(f"{w('rPr')}/{w('rFonts')}")
        if fonts is not None:
            return str(fonts.get(w("eastAsia")))
        based = found[0].find(w("basedOn"))
        style_id = based.get(w("val")) if based is not None else ""
    return None


def add_character_style(
    doc: DocxDocument,
    style_id: str,
    name: str,
    *,
    font: str | None = None,
    sz: int | None = None,
    color: str | None = None,
) -> None:
    """Add a character style (explicit east-Asian font, no theme fonts)."""
    s = _style(_styles_root(doc), "character", style_id, name, based_on="DefaultParagraphFont")
    _rpr_children(_el("rPr", s), font=font or FANGSONG, color=color, sz=sz)


def add_base_styles(doc: DocxDocument) -> None:
    """Styles shared by the body of every document: body text, title, salutation, headings,
    signature, date, 附注 and the letter-format 抄送 line."""
    add_paragraph_style(doc, "GwBody", "正文", first_line_chars=2)
    # the closing sentence stays on the page of the signature (§7.3.5: no signature page without
    # body text)
    add_paragraph_style(doc, "GwClosing", "结束语", based_on="GwBody", keep_next=True)
    add_paragraph_style(
        doc, "GwTitle", "公文标题", font=XIAOBIAOSONG, sz=SZ_ERHAO, bold=False, jc="center",
        before=2 * LINE_PITCH, next_style="GwSalutation",
    )  # fmt: skip
    add_paragraph_style(doc, "GwSalutation", "主送机关", before=LINE_PITCH, next_style="GwBody")
    for level, font in HEADING_FONTS.items():
        add_paragraph_style(
            doc, f"Heading{level}", f"heading {level}", font=font, sz=BODY_SZ, bold=False,
            first_line_chars=2, keep_next=level <= 2, outline_level=level - 1,
            next_style="GwBody",
        )  # fmt: skip
    add_character_style(doc, "GwRunIn", "标题后正文", font=FANGSONG, sz=BODY_SZ)
    add_paragraph_style(
        doc, "GwSignOrg", "发文机关署名", jc="center", left=SIGN_ORG_LEFT_INDENT,
        before=SIGN_SPACE_BEFORE_LINES * LINE_PITCH, keep_next=True, next_style="GwDate",
    )  # fmt: skip
    add_paragraph_style(doc, "GwDate", "成文日期", jc="right", right=DATE_RIGHT_INDENT)
    add_paragraph_style(doc, "GwNote", "附注", first_line_chars=2)
    add_paragraph_style(
        doc, "GwCopyTo", "抄送", sz=COPY_TO_SZ, left=CHAR + COPY_TO_HEAD_WIDTH,
        hanging=COPY_TO_HEAD_WIDTH, right=CHAR, before=LINE_PITCH,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------
def _append(parent: etree._Element, child: etree._Element) -> etree._Element:
    last = parent[-1] if len(parent) else None
    if last is not None and last.tag == w("sectPr"):
        last.addprevious(child)
    else:
        parent.append(child)
    return child


@dataclass(frozen=True)
class Run:
    """A run: text (or a tab, or a raw element) with an optional character style / direct props."""

    text: str = ""
    style: str | None = None
    font: str | None = None
    color: str | None = None
    is_tab: bool = False
    element: Any = None

    def xml(self) -> etree._Element:
        if self.element is not None:
            e: etree._Element = self.element
            return e
        r = etree.Element(w("r"))
        if self.style or self.font or self.color:
            rpr = _el("rPr", r)
            if self.style:
                _el("rStyle", rpr, val=self.style)
            _rpr_children(rpr, font=self.font, color=self.color)
        if self.is_tab:
            _el("tab", r)
        else:
            t = _el("t", r)
            t.text = self.text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return r


def run(text: str, style: str | None = None, *, font: str | None = None) -> Run:
    """A text run; ``text`` may be a whole docxtpl tag such as ``{{ title }}``."""
    return Run(text=text, style=style, font=font)


def tab() -> Run:
    """A tab run."""
    return Run(is_tab=True)


def paragraph(
    parent: etree._Element,
    style: str,
    *runs: Run,
    frame: dict[str, str | int] | None = None,
    jc: str | None = None,
    left: int | None = None,
    right: int | None = None,
) -> etree._Element:
    """Append a paragraph with style ``style`` and the given runs (direct jc/indents optional)."""
    p = etree.Element(w("p"))
    ppr = _el("pPr", p)
    _el("pStyle", ppr, val=style)
    if frame:
        _el("framePr", ppr, **frame)
    if left is not None or right is not None:
        ind = _el("ind", ppr)
        if left is not None:
            ind.set(w("left"), str(left))
        if right is not None:
            ind.set(w("right"), str(right))
    if jc:
        _el("jc", ppr, val=jc)
    for r in runs:
        p.append(r.xml())
    return _append(parent, p)


def tag(parent: etree._Element, statement: str) -> etree._Element:
    """A docxtpl paragraph tag ``{%p statement %}`` alone in its paragraph (removed on render)."""
    return paragraph(parent, "Normal", run("{%p " + statement + " %}"))


def spacer(parent: etree._Element, height: int, style: str = "Normal") -> etree._Element:
    """An empty paragraph exactly ``height`` twips high (e.g. a blank line, or a 1 pt end mark)."""
    p = paragraph(parent, style)
    ppr = p[0]
    _el("spacing", ppr, before=0, after=0, line=height, lineRule="exact")
    if height < LINE_PITCH:
        _rpr_children(_el("rPr", ppr), sz=2)
    return p


def add_body_blocks(parent: etree._Element, var: str = "body") -> None:
    """The body: ``var`` is a list of ``{"kind", "head", "text"}`` dicts.

    kind "p" → one GwBody paragraph with ``text``; "h1"…"h4" → one HeadingN paragraph with
    ``head`` in the level's font followed by the run-in ``text`` in 仿宋 (character style GwRunIn).
    Any other kind is rendered as "p". The last paragraph keeps with what follows (closing,
    附件说明, signature), so the signature never stands on a page without body text (§7.3.5).
    """
    tag(parent, f"for b in {var}")
    for level in HEADING_FONTS:
        tag(parent, f'{"if" if level == 1 else "elif"} b.kind == "h{level}"')
        paragraph(parent, f"Heading{level}", run("{{ b.head }}"), run("{{ b.text }}", "GwRunIn"))
    tag(parent, "elif loop.last")
    paragraph(parent, "GwClosing", run("{{ b.text }}"))
    tag(parent, "else")
    paragraph(parent, "GwBody", run("{{ b.text }}"))
    tag(parent, "endif")
    tag(parent, "endfor")


def optional_paragraph(parent: etree._Element, var: str, style: str, *runs: Run) -> None:
    """A paragraph that docxtpl drops entirely when ``var`` is empty."""
    tag(parent, f"if {var}")
    paragraph(parent, style, *runs)
    tag(parent, "endif")


def add_signature_block(parent: etree._Element) -> None:
    """Closing, organ name, date and 附注 (§7.3.5.1 with seal, §7.3.6).

    Context keys: ``closing`` (optional), ``sign_org``, ``date``, ``note`` (optional).
    """
    optional_paragraph(parent, "closing", "GwClosing", run("{{ closing }}"))
    paragraph(parent, "GwSignOrg", run("{{ sign_org }}"))
    paragraph(parent, "GwDate", run("{{ date }}"))
    optional_paragraph(parent, "note", "GwNote", run("{{ note }}"))


# --------------------------------------------------------------------------------------------
# Headers and footers
# --------------------------------------------------------------------------------------------
def _page_field() -> list[etree._Element]:
    runs = []
    for kind in ("begin", None, "separate", "1", "end"):
        r = etree.Element(w("r"))
        if kind is None:
            it = _el("instrText", r)
            it.text = " PAGE "
            it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "1":
            t = _el("t", r)
            t.text = "1"
        else:
            _el("fldChar", r, fldCharType=kind)
        runs.append(r)
    return runs


def _clear(container: etree._Element) -> etree._Element:
    for child in list(container):
        container.remove(child)
    return container


def page_number_paragraph(parent: etree._Element, *, odd: bool) -> etree._Element:
    """``— PAGE —`` in 4号宋体; odd pages right one character in, even pages left."""
    field = [Run(element=e) for e in _page_field()]
    if odd:
        return paragraph(
            parent, "Footer", run("— "), *field, run(" —"), jc="right", right=PAGE_NUMBER_INDENT
        )
    return paragraph(
        parent, "Footer", run("— "), *field, run(" —"), jc="left", left=PAGE_NUMBER_INDENT
    )


def add_page_number_footers(doc: DocxDocument, *, first_page_blank: bool) -> None:
    """Odd/even page-number footers; with ``first_page_blank`` page 1 gets an empty footer
    (``w:titlePg``, letter format). ``w:evenAndOddHeaders`` is set in settings.xml."""
    section = doc.sections[0]
    page_number_paragraph(_clear(section.footer._element), odd=True)
    page_number_paragraph(_clear(section.even_page_footer._element), odd=False)
    if first_page_blank:
        section.different_first_page_header_footer = True
        paragraph(_clear(section.first_page_footer._element), "Footer")


# --------------------------------------------------------------------------------------------
# Finishing
# --------------------------------------------------------------------------------------------
def _used_style_ids(doc: DocxDocument) -> set[str]:
    parts: list[etree._Element] = [doc.element]
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            parts.append(rel.target_part._element)
    used: set[str] = set()
    for root in parts:
        for t in ("pStyle", "rStyle", "tblStyle"):
            for e in root.iter(w(t)):
                used.add(e.get(w("val")))
    return used


def prune_styles(doc: DocxDocument) -> None:
    """Remove styles nothing refers to (keeping defaults and basedOn/next chains)."""
    root = _styles_root(doc)
    styles = {s.get(w("styleId")): s for s in root.iter(w("style"))}
    keep = _used_style_ids(doc) | {sid for sid, s in styles.items() if s.get(w("default")) == "1"}
    todo = list(keep)
    while todo:
        s = styles.get(todo.pop())
        if s is None:
            continue
        for t in ("basedOn", "next", "link"):
            e = s.find(w(t))
            if e is not None and e.get(w("val")) not in keep:
                keep.add(e.get(w("val")))
                todo.append(e.get(w("val")))
    for sid, s in styles.items():
        if sid not in keep:
            root.remove(s)
    # a "next" pointing to a removed style is dropped
    for s in root.iter(w("style")):
        n = s.find(w("next"))
        if n is not None and n.get(w("val")) not in keep:
            s.remove(n)


def save_template(doc: DocxDocument, path: Path) -> None:
    """Prune unused styles and save ``doc`` to ``path`` (parent folders created)."""
    prune_styles(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
