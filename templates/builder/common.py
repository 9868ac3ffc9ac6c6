"""Shared GB/T 9704-2012 building blocks for the gongwen docx templates.

The standard's numbers (paper, margins, grid, sizes, faces, indents, page numbers, letter format)
come from :mod:`gongwen.standard`; this module adds what turns them into OOXML for LibreOffice and
Word alike (character spacing, where glyphs sit in an exact line, footer distance), each with the
reason. The small public API:

- units: :func:`mm`, :func:`mm_emu`, :func:`pt`
- document: :func:`new_document`, :func:`save_template`
- styles: :func:`add_paragraph_style`, :func:`add_character_style`, :func:`ppr_child`
- content: :func:`paragraph`, :func:`run`, :func:`tab`, :func:`tag`, :func:`spacer`
- reusable blocks: :func:`add_body_blocks`, :func:`add_signature_block`,
  :func:`add_page_number_footers`

Content helpers take a *parent* element (``w:body``, ``w:hdr``, ``w:ftr``, ``w:tc`` or
``w:txbxContent``) and append to it (before a trailing ``w:sectPr``). Jinja tags for docxtpl are
always written as a whole run (``{{ x }}``) or a paragraph of their own (``{%p ... %}``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree  # type: ignore[import-untyped]

from gongwen import standard as gb
from gongwen.ooxml import W_NS, qn

# --------------------------------------------------------------------------------------------
# XML
# --------------------------------------------------------------------------------------------


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` → ``{ns}p``."""
    return qn(f"w:{tag}")


def _el(tag: str, parent: etree._Element | None = None, **attrs: str | int) -> etree._Element:
    """Create ``w:tag`` with ``w:``-attributes (``w_val`` style keys are not needed: ``val=``)."""
    e = etree.Element(w(tag)) if parent is None else etree.SubElement(parent, w(tag))
    for k, v in attrs.items():
        e.set(w(k), str(v))
    return e


# Children of w:pPr in schema order (ECMA-376 CT_PPrBase, then CT_PPr's rPr/sectPr/pPrChange).
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)  # fmt: skip
_PPR_RANK = {w(tag): i for i, tag in enumerate(PPR_ORDER)}


def ppr_child(ppr: etree._Element, tag: str, **attrs: str | int) -> etree._Element:
    """Set ``w:tag`` in ``ppr`` at its schema position (an existing one is replaced)."""
    for old in ppr.findall(w(tag)):
        ppr.remove(old)
    el = _el(tag, **attrs)
    rank = _PPR_RANK[w(tag)]
    later = [c for c in ppr if _PPR_RANK.get(c.tag, -1) > rank]
    if later:
        later[0].addprevious(el)
    else:
        ppr.append(el)
    return el


def no_overflow_punctuation(ppr: etree._Element) -> None:
    """``w:overflowPunct w:val="0"``: no punctuation hangs past the 156 mm text area.

    Word, WPS and LibreOffice hang a line-end "，。" into the margin unless told otherwise
    (“允许标点溢出边界”); off, the line is compressed and stays inside the text area
    (``gongwen.standard.OVERFLOW_PUNCTUATION``).
    """
    ppr_child(ppr, "overflowPunct", val="1" if gb.OVERFLOW_PUNCTUATION else "0")


# --------------------------------------------------------------------------------------------
# Units (gongwen.standard)
# --------------------------------------------------------------------------------------------
TWIPS_PER_MM = gb.TWIPS_PER_MM
mm = gb.mm_to_twips
"""Millimetres → twips (rounded)."""
mm_emu = gb.mm_to_emu
"""Millimetres → EMU."""
pt = gb.pt_to_twips
"""Points → twips."""

# --------------------------------------------------------------------------------------------
# Page (§5.1, §5.2): gongwen.standard; the names the template modules use
# --------------------------------------------------------------------------------------------
PAGE_WIDTH_MM = gb.PAGE_WIDTH_MM
PAGE_HEIGHT_MM = gb.PAGE_HEIGHT_MM
PAGE_WIDTH = gb.PAGE_WIDTH_TWIPS
PAGE_HEIGHT = gb.PAGE_HEIGHT_TWIPS
MARGIN_TOP_MM = gb.MARGIN_TOP_MM
MARGIN_BOTTOM_MM = gb.MARGIN_BOTTOM_MM
MARGIN_LEFT_MM = gb.MARGIN_LEFT_MM
MARGIN_RIGHT_MM = gb.MARGIN_RIGHT_MM
MARGIN_TOP = gb.MARGIN_TOP_TWIPS
MARGIN_BOTTOM = gb.MARGIN_BOTTOM_TWIPS
MARGIN_LEFT = gb.MARGIN_LEFT_TWIPS
MARGIN_RIGHT = gb.MARGIN_RIGHT_TWIPS
TEXT_WIDTH = gb.TEXT_WIDTH_TWIPS  # 8844 twips
TEXT_HEIGHT = gb.TEXT_HEIGHT_TWIPS  # 12756 twips
TEXT_WIDTH_MM = gb.TEXT_WIDTH_MM
TEXT_BOTTOM_MM = gb.TEXT_BOTTOM_MM
HEADER_DISTANCE_MM = 15.0  # header paragraphs only carry anchors; any value < 37 mm works

# Chinese font sizes as w:sz half-points
SZ_XIAOCHU = gb.XIAOCHU.sz
SZ_ERHAO = gb.ERHAO.sz
SZ_SANHAO = gb.SANHAO.sz
SZ_SIHAO = gb.SIHAO.sz
SZ_WUHAO = gb.WUHAO.sz

BODY_SZ = gb.BODY_SIZE.sz
BODY_PT = gb.BODY_SIZE.pt
CHAR = gb.CHAR_TWIPS  # 一字: 320 twips, the unit of every indent
LINE_PITCH = gb.LINE_PITCH_TWIPS  # exact line spacing: 22 lines fill the 225 mm text height
assert gb.LINES_PER_PAGE * LINE_PITCH <= TEXT_HEIGHT
CHAR_SPACE = gb.DOC_GRID_CHAR_SPACE  # -848
# LibreOffice (7.x) lays out a character grid with a negative charSpace by giving each 16 pt
# character two grid cells (14 characters a line). So paragraphs do not snap to the grid
# (w:snapToGrid="0" in Normal) and the same 28 characters a line come from character spacing
# (w:spacing in the run defaults): -5 twips → 15.75 pt a character, 28 × 15.75 pt ≤ 156 mm.
# Word and LibreOffice then agree; the docGrid still documents the 22 × 28 page.
CHAR_SPACING = (TEXT_WIDTH // gb.CHARS_PER_LINE) - CHAR - 1  # -5 twips
assert gb.CHARS_PER_LINE * (CHAR + CHAR_SPACING) <= TEXT_WIDTH

# --------------------------------------------------------------------------------------------
# Fonts and colours (§5.2.2, §5.2.4): canonical names from gongwen.standard
# --------------------------------------------------------------------------------------------
FANGSONG = gb.FANGSONG
KAITI = gb.KAITI
HEITI = gb.HEITI
XIAOBIAOSONG = gb.XIAOBIAOSONG
SONGTI = gb.SONGTI
# fontTable entries: name → altName (the Windows face Word substitutes). charset 86 = GB2312.
FONT_TABLE: dict[str, str] = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    HEITI: "SimHei",
    XIAOBIAOSONG: "方正小标宋_GBK",
    SONGTI: "SimSun",
}
BLACK = gb.BLACK
RED = gb.RED  # only the organ mark and the red rules (§7.2.4, §7.2.7, §10.1)

# Heading levels (§7.3.3): 一、黑体 · （一）楷体 · 1. 仿宋 · （1）仿宋, all 3号.
HEADING_FONTS = dict(gb.HEADING_FONTS)

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
PAGE_NUMBER_SZ = gb.PAGE_NUMBER_SIZE.sz
PAGE_NUMBER_INDENT = gb.PAGE_NUMBER_INDENT_CHARS * CHAR
PAGE_NUMBER_DASH_BELOW_TEXT_MM = gb.PAGE_NUMBER_BELOW_TEXT_MM
# The footer paragraph is one exact 4号 line; the dash sits at mid-height of the characters' em
# box, which rises GLYPH_TOP_IN_EXACT_LINE above the line. The footer distance (paper bottom →
# bottom of the footer line) follows.
PAGE_NUMBER_LINE = gb.PAGE_NUMBER_SIZE.twips  # 280 twips
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
DATE_RIGHT_INDENT = gb.SEAL_DATE_RIGHT_INDENT_CHARS * CHAR
TYPICAL_DATE_WIDTH = 7 * CHAR
_DATE_CENTRE = TEXT_WIDTH - DATE_RIGHT_INDENT - TYPICAL_DATE_WIDTH // 2
SIGN_ORG_LEFT_INDENT = 2 * _DATE_CENTRE - TEXT_WIDTH
SIGN_SPACE_BEFORE_LINES = 2  # blank lines between the last text and the organ name
NOTE_INDENT_CHARS = gb.NOTE_INDENT_CHARS

# 抄送 (§7.4.2): 4号仿宋, one character in on each side, wrapped lines under the first character
# after "抄送：" (three 4号 characters).
COPY_TO_SZ = gb.RECORD_SIZE.sz
COPY_TO_INDENT = gb.RECORD_INDENT_CHARS * CHAR
COPY_TO_HEAD_WIDTH = 3 * gb.RECORD_SIZE.twips

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
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


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
    no_overflow_punctuation(ppr)
    _el("spacing", ppr, line=LINE_PITCH, lineRule="exact")
    # Normal: the default paragraph style; every other style derives from it.
    normal = _style(root, "paragraph", "Normal", "Normal", default=True)
    p = _el("pPr", normal)
    # no widow/orphan control: every page keeps its 22 lines
    _el("widowControl", p, val="0")
    no_overflow_punctuation(p)
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
    cp.comments = "由 templates/build.py 生成，请勿手工修改；版式数值见 gongwen.standard"
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
    Overflow punctuation is off in every style (:func:`no_overflow_punctuation`).
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
    # every paragraph style repeats it: a style copied into another document keeps it
    no_overflow_punctuation(p)
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
    add_paragraph_style(doc, "GwBody", "正文", first_line_chars=gb.BODY_INDENT_CHARS)
    # the closing sentence stays on the page of the signature (§7.3.5: no signature page without
    # body text)
    add_paragraph_style(doc, "GwClosing", "结束语", based_on="GwBody", keep_next=True)
    add_paragraph_style(
        doc, "GwTitle", "公文标题", font=XIAOBIAOSONG, sz=SZ_ERHAO, bold=False, jc="center",
        before=gb.TITLE_BLANK_LINES * LINE_PITCH, next_style="GwSalutation",
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwSalutation", "主送机关", before=gb.SALUTATION_BLANK_LINES * LINE_PITCH,
        next_style="GwBody",
    )  # fmt: skip
    for level, font in HEADING_FONTS.items():
        add_paragraph_style(
            doc, f"Heading{level}", f"heading {level}", font=font, sz=BODY_SZ, bold=False,
            first_line_chars=gb.BODY_INDENT_CHARS, keep_next=True, outline_level=level - 1,
            next_style="GwBody",
        )  # fmt: skip
    add_character_style(doc, "GwRunIn", "标题后正文", font=FANGSONG, sz=BODY_SZ)
    add_paragraph_style(
        doc, "GwSignOrg", "发文机关署名", jc="center", left=SIGN_ORG_LEFT_INDENT,
        before=SIGN_SPACE_BEFORE_LINES * LINE_PITCH, keep_next=True, next_style="GwDate",
    )  # fmt: skip
    # the date keeps with the 附注 (and the 版记 or 抄送 anchor) that follow it (§7.3.5, §7.3.6)
    add_paragraph_style(
        doc, "GwDate", "成文日期", jc="right", right=DATE_RIGHT_INDENT, keep_next=True
    )
    # …and the 附注 with the anchor of the bottom-aligned 抄送/版记 frame
    add_paragraph_style(doc, "GwNote", "附注", first_line_chars=NOTE_INDENT_CHARS, keep_next=True)
    add_paragraph_style(
        doc, "GwCopyTo", "抄送", sz=COPY_TO_SZ, left=COPY_TO_INDENT + COPY_TO_HEAD_WIDTH,
        hanging=COPY_TO_HEAD_WIDTH, right=COPY_TO_INDENT, before=LINE_PITCH,
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


def fitted_run(
    text: str,
    scale_var: str,
    sz_var: str | None = None,
    *,
    style: str | None = None,
    font: str | None = None,
    color: str | None = None,
) -> Run:
    """A run whose character scale (``w:w``) and optionally size (``w:sz``) come from context
    variables (``{{ scale_var }}``): the context computes them from the text's length so that the
    line never wraps (``gongwen.standard.fit_line``)."""
    r = etree.Element(w("r"))
    rpr = _el("rPr", r)
    if style:
        _el("rStyle", rpr, val=style)
    if font:
        _rfonts(rpr, font)
    if color:
        _el("color", rpr, val=color)
    _el("w", rpr, val="{{ " + scale_var + " }}")
    if sz_var:
        _el("sz", rpr, val="{{ " + sz_var + " }}")
        _el("szCs", rpr, val="{{ " + sz_var + " }}")
    t = _el("t", r)
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return Run(element=r)


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


def add_body_blocks(
    parent: etree._Element,
    var: str = "body",
    bottom: Callable[[etree._Element], None] | None = None,
    last: str = "loop.last and not closing",
    anchor: str = "b.anchor|default(loop.last) and not closing",
) -> None:
    """The body: ``var`` is a list of ``{"kind", "head", "text"}`` dicts.

    kind "p" → one GwBody paragraph with ``text``; "h1"…"h4" → one HeadingN paragraph with
    ``head`` in the level's font followed by the run-in ``text`` in 仿宋 (character style GwRunIn).
    Any other kind is rendered as "p". A heading on its own line keeps with the next paragraph
    (the style's keep-with-next); a run-in heading ("一、…。" and text in one paragraph, or a
    numbered paragraph that ends with a full stop) is body text and does not
    (``w:keepNext w:val="0"``), so headings never chain the rest of the letter to the next page.
    The last paragraph keeps with what follows (closing, 附件说明, signature) unless a separate
    ``closing`` sentence does, so the signature never stands on a page without body text
    (§7.3.5). ``bottom``: see :func:`add_signature_block`. ``last`` is the Jinja condition for
    that last paragraph (an attachment's body: the last paragraph of the last attachment).
    ``anchor`` is the condition for the block the bottom frame is anchored on: the first of the
    blocks that keep together with the signature — the last paragraph, or the headings on a
    line of their own just above it (``b.anchor``, ``gongwen.documents.blocks.mark_anchor``;
    without it the last block), so that a heading never stays behind at the foot of a page when
    the frame moves the end down.
    """
    tag(parent, f"for b in {var}")
    if bottom is not None:  # the bottom frame's anchor: see add_signature_block
        tag(parent, f"if {anchor}")
        bottom(parent)
        tag(parent, "endif")
    for level in HEADING_FONTS:
        # run-in text, or a whole numbered sentence ("二、…提升。"): body text, no keep —
        # unless it is the last paragraph and no closing sentence follows
        runs = (run("{{ b.head }}"), run("{{ b.text }}", "GwRunIn"))
        run_in = f'b.kind == "h{level}" and (b.text or b.head[-1:] in "。；！？")'
        tag(parent, f"{'if' if level == 1 else 'elif'} {run_in} and {last}")
        paragraph(parent, f"Heading{level}", *runs)
        tag(parent, f"elif {run_in}")
        p = paragraph(parent, f"Heading{level}", *runs)
        ppr_child(p[0], "keepNext", val="0")
        tag(parent, f'elif b.kind == "h{level}"')
        paragraph(parent, f"Heading{level}", run("{{ b.head }}"))
    tag(parent, f"elif {last}")
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


def add_signature_block(
    parent: etree._Element,
    bottom: Callable[[etree._Element], None] | None = None,
    *,
    notes: bool = False,
) -> None:
    """Closing, organ name, date and 附注 (§7.3.5.1 with seal, §7.3.6).

    Context keys: ``closing`` (optional), ``sign_org``, ``sign_org_w`` (its character scale),
    ``date``, ``note`` (optional). ``bottom`` adds the paragraphs of a frame at the bottom of the
    text area (抄送, 版记) just before the closing sentence (or, without one, before the last body
    paragraph: pass the same ``bottom`` to :func:`add_body_blocks`). Word and LibreOffice anchor
    a frame to the paragraph after it, so the frame prints on the page of the first paragraph of
    the kept-together closing block; when the block does not fit above the frame, the whole block
    moves with it (LibreOffice does not move paragraphs before an anchor that it pushes down).
    With ``notes`` the 附件说明 (:func:`add_attachment_notes`) follows the closing sentence.
    """
    tag(parent, "if closing")
    if bottom is not None:
        bottom(parent)
    paragraph(parent, "GwClosing", run("{{ closing }}"))
    tag(parent, "endif")
    if notes:
        add_attachment_notes(parent)
    paragraph(parent, "GwSignOrg", fitted_run("{{ sign_org }}", "sign_org_w"))
    paragraph(parent, "GwDate", run("{{ date }}"))
    optional_paragraph(parent, "note", "GwNote", run("{{ note }}"))


# 附件说明 (§7.3.4): one blank line under the body, two characters in: "附件：名称", or with
# several "附件：1.名称" and each further number under the first; a wrapped name lines up with
# the first character of the name. The number column starts after "附件：" (2 + 3 characters);
# names start 1.5 characters further ("1." or "10." and a small gap).
ATTACHMENT_NOTE_INDENT = gb.ATTACHMENT_NOTE_INDENT_CHARS * CHAR
ATTACHMENT_NOTE_NUMBER_AT = ATTACHMENT_NOTE_INDENT + 3 * CHAR
ATTACHMENT_NOTE_NAME_AT = ATTACHMENT_NOTE_NUMBER_AT + 3 * CHAR // 2
# 附件 pages (§7.3.7): "附件N" 黑体 flush left on line 1, the title centred on line 3
ATTACHMENT_TITLE_BEFORE = (gb.ATTACHMENT_TITLE_LINE - gb.ATTACHMENT_LABEL_LINE - 1) * LINE_PITCH


def add_attachment_styles(doc: DocxDocument) -> None:
    """Styles of the 附件说明 and of the first lines of each 附件 page."""
    note_before = gb.ATTACHMENT_NOTE_BLANK_LINES * LINE_PITCH
    add_paragraph_style(
        doc, "GwAttachmentNote", "附件说明", left=ATTACHMENT_NOTE_NUMBER_AT,
        hanging=ATTACHMENT_NOTE_NUMBER_AT - ATTACHMENT_NOTE_INDENT, before=note_before,
        keep_next=True,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwAttachmentNotes", "附件说明（多个附件）", left=ATTACHMENT_NOTE_NAME_AT,
        hanging=ATTACHMENT_NOTE_NAME_AT - ATTACHMENT_NOTE_INDENT, keep_next=True,
        tabs=[("left", ATTACHMENT_NOTE_NUMBER_AT), ("left", ATTACHMENT_NOTE_NAME_AT)],
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwAttachmentNotesFirst", "附件说明（多个附件，首行）", based_on="GwAttachmentNotes",
        before=note_before,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwAttachmentLabel", "附件序号", font=gb.ATTACHMENT_LABEL_FONT, bold=False,
        jc="left", keep_next=True,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwAttachmentTitle", "附件标题", font=XIAOBIAOSONG, sz=SZ_ERHAO, bold=False,
        jc="center", before=ATTACHMENT_TITLE_BEFORE, after=LINE_PITCH, keep_next=True,
    )  # fmt: skip


def add_attachment_notes(parent: etree._Element) -> None:
    """The 附件说明 lines; context ``attachment_notes``: ``[{"number", "name"}]`` (``number``
    ``"1."`` … when there are several). Each keeps with the next paragraph (the signature)."""
    tag(parent, "for n in attachment_notes")
    tag(parent, "if attachment_notes|length == 1")
    paragraph(parent, "GwAttachmentNote", run("附件："), run("{{ n.name }}"))
    tag(parent, "elif loop.first")
    paragraph(
        parent, "GwAttachmentNotesFirst", run("附件："), run("{{ n.number }}"), tab(),
        run("{{ n.name }}"),
    )  # fmt: skip
    tag(parent, "else")
    paragraph(parent, "GwAttachmentNotes", tab(), run("{{ n.number }}"), tab(), run("{{ n.name }}"))
    tag(parent, "endif")
    tag(parent, "endfor")


def add_attachments(
    parent: etree._Element,
    bottom: Callable[[etree._Element], None] | None = None,
    var: str = "attachments",
) -> None:
    """Each attachment on a new page (§7.3.7): context ``var`` (default ``attachments``):
    ``[{"label", "title", "body", "last"}]`` (``body`` as for :func:`add_body_blocks`). ``bottom``
    puts the bottom frame (抄送, 版记) on the last page of the last attachment."""
    tag(parent, f"for a in {var}")
    label = paragraph(parent, "GwAttachmentLabel", run("{{ a.label }}"))
    ppr_child(label[0], "pageBreakBefore")
    paragraph(parent, "GwAttachmentTitle", run("{{ a.title }}"))
    add_body_blocks(
        parent,
        "a.body",
        bottom=bottom,
        last="loop.last and a.last",
        anchor="b.anchor|default(loop.last) and a.last",
    )
    tag(parent, "endfor")


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
    dash = gb.PAGE_NUMBER_DASH
    runs = (run(dash + " "), *(Run(element=e) for e in _page_field()), run(" " + dash))
    if odd:  # right, one character in
        return paragraph(
            parent, "Footer", *runs, jc=gb.PAGE_NUMBER_ODD_SIDE, right=PAGE_NUMBER_INDENT
        )
    return paragraph(parent, "Footer", *runs, jc=gb.PAGE_NUMBER_EVEN_SIDE, left=PAGE_NUMBER_INDENT)


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
