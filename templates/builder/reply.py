"""Reply templates: 信函格式 letter (§10.1), 文件格式 file with 版记 (§7.2, §7.4), co-opinion.

Context keys (all strings unless noted; docxtpl renders with autoescape):

- letter / co-opinion: ``org_mark``, ``mark_left``, ``mark_right``, ``title``, ``salutation``,
  ``body`` (list of ``{"kind", "head", "text"}``), ``closing``, ``sign_org``, ``date``, ``note``,
  ``copy_to``
- file: ``marks``, ``org_mark``, ``doc_number``, ``signer``, ``title``, ``salutation``, ``body``,
  ``closing``, ``sign_org``, ``date``, ``note``, ``copy_to``, ``issuer``, ``issue_date``

Empty ``closing``, ``note`` and ``copy_to`` drop their paragraphs (rows in the file's 版记).
Every format also takes the one-line fits of ``gongwen.documents.reply.letterhead_context``:
``letter_mark_sz``/``letter_mark_w`` (letter), ``file_mark_sz``/``file_mark_w`` (file),
``sign_org_w``, ``issuer_w`` (``w:sz`` half-points and ``w:w`` percent).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocxDocument
from lxml import etree  # type: ignore[import-untyped]

from gongwen import standard as gb
from gongwen.ooxml import NSMAP, WPS_NS

from .common import (
    BLACK,
    CHAR,
    GLYPH_TOP_IN_EXACT_LINE,
    LINE_PITCH,
    MARGIN_LEFT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    RED,
    SZ_SANHAO,
    SZ_XIAOCHU,
    TEXT_WIDTH,
    TWIPS_PER_MM,
    XIAOBIAOSONG,
    Border,
    Run,
    _append,
    _el,
    add_attachment_styles,
    add_attachments,
    add_base_styles,
    add_body_blocks,
    add_character_style,
    add_page_number_footers,
    add_paragraph_style,
    add_signature_block,
    fitted_run,
    mm,
    mm_emu,
    new_document,
    paragraph,
    ppr_child,
    pt,
    run,
    save_template,
    spacer,
    tab,
    tag,
)

# --------------------------------------------------------------------------------------------
# Letter format (信函格式, §10.1)
# --------------------------------------------------------------------------------------------
LETTER_MARK_TOP_MM = gb.LETTER_MARK_TOP_MM  # top edge of the organ mark from the paper's top
LETTER_MARK_SZ = SZ_XIAOCHU  # 小初 36 pt: practice is 二号–小初; 13 characters fit 170 mm
LETTER_MARK_PT = LETTER_MARK_SZ / 2
LETTER_MARK_HEIGHT_MM = LETTER_MARK_PT * 25.4 / 72  # one em: 12.7 mm
RULE_LENGTH_MM = gb.LETTER_RULE_LENGTH_MM  # both double rules, centred on the paper
RULE_BELOW_MARK_MM = gb.LETTER_RULE_BELOW_MARK_MM  # mark bottom → top of the upper double rule
# bottom of the lower double rule → paper bottom edge
BOTTOM_RULE_ABOVE_PAPER_EDGE_MM = gb.LETTER_BOTTOM_RULE_ABOVE_EDGE_MM
# practice (the standard names no thickness): thick 2.25 pt, thin 0.75 pt, 1 pt apart
RULE_THICK_PT = 2.25  # the "thick" line of a double rule (0.79 mm)
RULE_THIN_PT = 0.75  # the "thin" line (0.26 mm)
RULE_GAP_PT = 1.0  # white gap between the two lines (0.35 mm)
MARKS_BELOW_RULE_PT = gb.LETTER_MARKS_BELOW_RULE_PT  # 7/8 of a 三号 character (14 pt)
# class_mark_side: right — the top edge of the class marks' characters CLASS_MARK_TOP_MM from
# the paper's top, above the organ mark's top edge (LETTER_MARK_TOP_MM).
CLASS_MARK_TOP_MM = 20.0
# The mark's text box is taller than one line so that no renderer clips it.
MARK_LINE_FACTOR = 1.0

_PT_MM = gb.MM_PER_PT
_RULE_BLOCK_MM = (RULE_THICK_PT + RULE_GAP_PT + RULE_THIN_PT) * _PT_MM
TOP_RULE_TOP_MM = LETTER_MARK_TOP_MM + LETTER_MARK_HEIGHT_MM + RULE_BELOW_MARK_MM  # 46.7
TOP_RULE_BOTTOM_MM = TOP_RULE_TOP_MM + _RULE_BLOCK_MM
BOTTOM_RULE_BOTTOM_MM = PAGE_HEIGHT_MM - BOTTOM_RULE_ABOVE_PAPER_EDGE_MM  # 277
BOTTOM_RULE_TOP_MM = BOTTOM_RULE_BOTTOM_MM - _RULE_BLOCK_MM
# The marks line is the first paragraph of the text flow (which starts at the top margin);
# its space-before puts the top of its characters 14 pt under the upper double rule.
MARK_LINE_SZ = SZ_SANHAO
MARK_LINE_HEIGHT = pt(MARK_LINE_SZ / 2)  # exact line = font size (320 twips)
assert CLASS_MARK_TOP_MM + MARK_LINE_SZ / 2 * gb.MM_PER_PT < LETTER_MARK_TOP_MM
MARK_LINE_BEFORE = round(
    (TOP_RULE_BOTTOM_MM - MARGIN_TOP_MM) * TWIPS_PER_MM
    + pt(MARKS_BELOW_RULE_PT)
    - GLYPH_TOP_IN_EXACT_LINE * MARK_LINE_HEIGHT
)

# --------------------------------------------------------------------------------------------
# File format (文件格式, §7.2) and 版记 (§7.4)
# --------------------------------------------------------------------------------------------
FILE_MARK_BELOW_TEXT_TOP_MM = (
    gb.FILE_MARK_BELOW_TEXT_TOP_MM
)  # top edge of 发文机关标志 below the top of the text area
FILE_MARK_SZ = SZ_XIAOCHU  # 小初, narrowed so that "<11-character organ>文件" fits 156 mm
FILE_MARK_SCALE = 75  # w:w character scale in percent; 16 characters fit the text width
FILE_MARK_HEIGHT = pt(FILE_MARK_SZ / 2)  # exact line = font size (720 twips)
FILE_MARK_BEFORE = round(
    mm(FILE_MARK_BELOW_TEXT_TOP_MM) - LINE_PITCH - GLYPH_TOP_IN_EXACT_LINE * FILE_MARK_HEIGHT
)  # line 1 (份号/密级 area) is one LINE_PITCH high
DOC_NUMBER_BLANK_LINES = gb.DOC_NUMBER_BLANK_LINES  # 发文字号 two blank lines under the mark
DOC_NUMBER_HEIGHT = pt(SZ_SANHAO / 2)
SEPARATOR_BELOW_DOC_NUMBER_MM = gb.SEPARATOR_BELOW_DOC_NUMBER_MM
SEPARATOR = Border(
    val="single",
    sz=11,  # eighths of a point: 1.375 pt ≈ 0.49 mm (practice 0.35–0.5 mm)
    color=gb.SEPARATOR_COLOR,
    # pt between the bottom of the doc-number line and the rule; the characters' em box sits
    # -GLYPH_TOP_IN_EXACT_LINE em above the line bottom, and the rule's centre half its width below
    space=round(
        SEPARATOR_BELOW_DOC_NUMBER_MM / _PT_MM + GLYPH_TOP_IN_EXACT_LINE * SZ_SANHAO / 2 - 11 / 16
    ),
)
# 发文字号 one character from the left, 签发人 one from the right
SIGNER_INDENT = gb.SIGNER_INDENT_CHARS * CHAR
assert gb.UPWARD_DOC_NUMBER_INDENT_CHARS == gb.SIGNER_INDENT_CHARS
RECORD_THICK_SZ = gb.RECORD_THICK_RULE_SZ  # 版记 first and last rules: 1 pt ≈ 0.35 mm
RECORD_THIN_SZ = gb.RECORD_THIN_RULE_SZ  # middle rule: 0.75 pt ≈ 0.26 mm (0.25 mm recommended)
RECORD_SZ = gb.RECORD_SIZE.sz  # 4号仿宋
RECORD_INDENT = gb.RECORD_INDENT_CHARS * CHAR  # one character in on each side
RECORD_COPY_HEAD = 3 * gb.RECORD_SIZE.twips  # width of "抄送："


def _add_reply_styles(doc: DocxDocument) -> None:
    add_base_styles(doc)
    add_attachment_styles(doc)
    add_paragraph_style(
        doc, "GwOrgMark", "发文机关标志", font=XIAOBIAOSONG, sz=LETTER_MARK_SZ, color=RED,
        bold=False, jc="center", line=round(MARK_LINE_FACTOR * pt(LETTER_MARK_PT)),
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwMarkLine", "版头标注行", jc="left", line=MARK_LINE_HEIGHT,
        before=MARK_LINE_BEFORE, tabs=[("right", TEXT_WIDTH)],
    )  # fmt: skip
    add_paragraph_style(doc, "GwMarks", "份号密级行", jc="left")
    # class_mark_side: right — the marks at the right of line 1 (file), or of the top of page 1
    add_paragraph_style(doc, "GwMarksRight", "份号密级行（居右）", jc="right")
    add_paragraph_style(
        doc, "GwClassMarkTop", "答复类别标注（首页右上角）", jc="right", line=MARK_LINE_HEIGHT
    )
    add_paragraph_style(
        doc, "GwOrgMarkFile", "发文机关标志（文件）", font=XIAOBIAOSONG, sz=FILE_MARK_SZ,
        scale=FILE_MARK_SCALE, color=RED, bold=False, jc="center", line=FILE_MARK_HEIGHT,
        before=FILE_MARK_BEFORE,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwOrgMarkFileTop", "发文机关标志（文件，无份号行）", based_on="GwOrgMarkFile",
        before=FILE_MARK_BEFORE + LINE_PITCH,
    )  # fmt: skip
    # 联合行文 / two-line mark: each organ name spread to the longest line, "文件" at the right
    add_paragraph_style(
        doc, "GwOrgMarkRow", "发文机关标志（多行）", based_on="GwOrgMarkFile", jc="distribute",
        before=0,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwOrgMarkWord", "发文机关标志（多行）“文件”", based_on="GwOrgMarkFile",
        jc="distribute", before=0,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwDocNumber", "发文字号", jc="center", line=DOC_NUMBER_HEIGHT,
        before=DOC_NUMBER_BLANK_LINES * LINE_PITCH + (LINE_PITCH - DOC_NUMBER_HEIGHT),
        bottom_border=SEPARATOR,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwDocNumberSigner", "发文字号与签发人", based_on="GwDocNumber", jc="left",
        tabs=[("left", SIGNER_INDENT), ("right", TEXT_WIDTH - SIGNER_INDENT)],
    )  # fmt: skip
    add_character_style(doc, "GwSignerName", "签发人姓名", font=gb.SIGNER_NAME_FONT)
    add_record_styles(doc)


def add_record_styles(doc: DocxDocument) -> None:
    """The 版记's paragraph styles: 抄送 and 印发机关/印发日期 (§7.4.2, §7.4.3)."""
    add_paragraph_style(
        doc, "GwRecordCopyTo", "版记抄送", sz=RECORD_SZ, left=RECORD_INDENT + RECORD_COPY_HEAD,
        hanging=RECORD_COPY_HEAD, right=RECORD_INDENT,
    )  # fmt: skip
    add_paragraph_style(
        doc, "GwRecordImprint", "印发机关和印发日期", sz=RECORD_SZ, left=RECORD_INDENT,
        right=RECORD_INDENT, tabs=[("right", TEXT_WIDTH - RECORD_INDENT)],
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# DrawingML: the letter's red double rules and the organ-mark text box, anchored to the page
# --------------------------------------------------------------------------------------------
def _anchor(
    shape_id: int, name: str, x_mm: float, y_emu: int | str, cx: int, cy: int | str, graphic: str
) -> etree._Element:
    xml = f"""<w:r xmlns:w="{NSMAP["w"]}" xmlns:wp="{NSMAP["wp"]}" xmlns:a="{NSMAP["a"]}"
 xmlns:wps="{NSMAP["wps"]}"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{shape_id}"
 behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="page"><wp:posOffset>{mm_emu(x_mm)}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/>
<wp:effectExtent l="0" t="0" r="0" b="0"/>
<wp:wrapNone/>
<wp:docPr id="{shape_id}" name="{name}"/>
<wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="{WPS_NS}">{graphic}</a:graphicData></a:graphic>
</wp:anchor></w:drawing></w:r>"""
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.fromstring(xml.replace("\n", ""), parser)


def _line(
    shape_id: int, name: str, top_mm: float, width_pt: float, shift: str = ""
) -> etree._Element:
    """A red horizontal rule ``RULE_LENGTH_MM`` long, centred, its top edge at ``top_mm``
    (moved down by the context variable ``shift``, in EMU, when given)."""
    cx = mm_emu(RULE_LENGTH_MM)
    width_emu = round(width_pt * gb.EMU_PER_PT)
    centre: int | str = mm_emu(top_mm) + width_emu // 2
    if shift:
        centre = "{{ " + f"{centre} + {shift}|default(0)" + " }}"
    graphic = (
        "<wps:wsp><wps:cNvCnPr/><wps:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm>'
        '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{width_emu}" cap="flat"><a:solidFill><a:srgbClr val="{RED}"/></a:solidFill>'
        "</a:ln></wps:spPr><wps:bodyPr/></wps:wsp>"
    )
    return _anchor(shape_id, name, (PAGE_WIDTH_MM - RULE_LENGTH_MM) / 2, centre, cx, 0, graphic)


def _double_rule(
    first_id: int, name: str, top_mm: float, thick_first: bool, shift: str = ""
) -> list[etree._Element]:
    widths = (RULE_THICK_PT, RULE_THIN_PT) if thick_first else (RULE_THIN_PT, RULE_THICK_PT)
    second_top = top_mm + (widths[0] + RULE_GAP_PT) * _PT_MM
    return [
        _line(first_id, f"{name} 1", top_mm, widths[0], shift),
        _line(first_id + 1, f"{name} 2", second_top, widths[1], shift),
    ]


def _mark_text_box(shape_id: int, rows: bool = False) -> etree._Element:
    """Text box for ``{{ org_mark }}``: 170 mm wide, centred, top edge at 30 mm."""
    cx = mm_emu(RULE_LENGTH_MM)
    # one more mark line for each further line (two-line mark, 联合行文)
    cy: int | str = mm_emu(LETTER_MARK_HEIGHT_MM * 1.5)
    if rows:
        cy = "{{ " + f"{cy} + letter_rows_emu|default(0)" + " }}"
    box_top = mm_emu(LETTER_MARK_TOP_MM) - round(
        GLYPH_TOP_IN_EXACT_LINE * LETTER_MARK_PT * gb.EMU_PER_PT
    )

    # a mark of several lines (two-line mark, 联合行文): ``org_mark`` holds line breaks
    text = "{{ org_mark }}"
    graphic = (
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        '</wps:spPr><wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="GwOrgMark"/></w:pPr>'
        # the run repeats the style's font, colour and size: LibreOffice ignores the colour of a
        # paragraph style inside a text box
        f'<w:r><w:rPr><w:rFonts w:ascii="{XIAOBIAOSONG}" w:hAnsi="{XIAOBIAOSONG}"'
        f' w:eastAsia="{XIAOBIAOSONG}" w:cs="{XIAOBIAOSONG}" w:hint="eastAsia"/>'
        # size and character scale from the context: each line of the mark fits (§10.1)
        f'<w:color w:val="{RED}"/><w:w w:val="{{{{ letter_mark_w }}}}"/>'
        '<w:sz w:val="{{ letter_mark_sz }}"/><w:szCs w:val="{{ letter_mark_sz }}"/>'
        f'</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:txbxContent>'
        '</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0"'
        ' bIns="0" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>'
    )
    x_mm = (PAGE_WIDTH_MM - RULE_LENGTH_MM) / 2
    return _anchor(shape_id, "发文机关标志", x_mm, box_top, cx, cy, graphic)


def _letter_page_one_graphics(anchor_paragraph: etree._Element, rows: bool = False) -> None:
    """Anchor the organ mark and both red double rules, positioned on the page, in the first
    paragraph of the body (so they appear on page 1 only and never move the text). ``rows``:
    the mark may have several lines (``letter_rows_emu`` moves the upper rule down)."""
    anchor_paragraph.append(_mark_text_box(1, rows))
    shift = "letter_rows_emu" if rows else ""
    for e in _double_rule(2, "红色双线（上）", TOP_RULE_TOP_MM, thick_first=True, shift=shift):
        anchor_paragraph.append(e)
    for e in _double_rule(4, "红色双线（下）", BOTTOM_RULE_TOP_MM, thick_first=False):
        anchor_paragraph.append(e)
    # only with class_mark_side: right (docxtpl drops the runs between the run tags otherwise)
    anchor_paragraph.append(run("{%r if mark_top %}").xml())
    anchor_paragraph.append(_class_mark_box(6))
    anchor_paragraph.append(run("{%r endif %}").xml())


# --------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------
def _main_part(body: etree._Element, bottom: Callable[[etree._Element], None]) -> None:
    """Title, salutation, body blocks, 附件说明, signature and attachments — identical in every
    reply format; ``bottom`` adds the frame at the bottom of the last page (抄送 or 版记): the
    page of the signature, or with attachments the last attachment's last page (§7.3.7: the
    attachments go before the 版记)."""

    def before_signature(p: etree._Element) -> None:
        tag(p, "if not attachments")
        bottom(p)
        tag(p, "endif")

    paragraph(body, "GwTitle", run("{{ title }}"))
    paragraph(body, "GwSalutation", run("{{ salutation }}"))
    add_body_blocks(body, bottom=before_signature)
    add_signature_block(body, before_signature, notes=True)
    add_attachments(body, bottom)


def _letter(title: str, rows: bool = False) -> DocxDocument:
    """The letter format; ``rows``: the organ mark may have several lines (two-line mark,
    联合行文; context ``letter_rows_twips``/``letter_rows_emu``, replies and co-opinions)."""
    doc = new_document(title)
    _add_reply_styles(doc)
    body = doc.element.body
    if rows:
        # a mark of several lines moves the upper double rule and the text under it down by
        # one mark line for each further line
        tag(body, "if letter_rows_twips|default(0)")
        rows_space = paragraph(body, "Normal")
        ppr_child(
            rows_space[0], "spacing", before=0, after=0, line="{{ letter_rows_twips }}",
            lineRule="exact",
        )  # fmt: skip
        tag(body, "endif")
    marks = paragraph(body, "GwMarkLine", run("{{ mark_left }}"), tab(), run("{{ mark_right }}"))
    _letter_page_one_graphics(marks, rows)
    _main_part(body, letter_copy_to)
    add_page_number_footers(doc, first_page_blank=not gb.LETTER_FIRST_PAGE_NUMBERED)
    return doc


def _class_mark_box(shape_id: int) -> etree._Element:
    """``{{ mark_top }}`` (``class_mark_side: right``): the class and disclosure marks at the top
    right of page 1, above the organ mark, flush with the right edge of the text area; the
    发文字号 keeps its place under the double rule at the right (§10.1). A text box as wide as
    the text area, anchored on page 1 like the organ mark (empty: nothing prints)."""
    cx = mm_emu(gb.TEXT_WIDTH_MM)
    cy = mm_emu(2 * MARK_LINE_SZ / 2 * gb.MM_PER_PT)
    box_top = mm_emu(CLASS_MARK_TOP_MM) - round(
        GLYPH_TOP_IN_EXACT_LINE * MARK_LINE_SZ / 2 * gb.EMU_PER_PT
    )
    graphic = (
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        '</wps:spPr><wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="GwClassMarkTop"/>'
        '</w:pPr><w:r><w:t xml:space="preserve">{{ mark_top }}</w:t></w:r></w:p>'
        '</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0"'
        ' tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>'
        "</wps:wsp>"
    )
    return _anchor(shape_id, "答复类别标注", MARGIN_LEFT_MM, box_top, cx, cy, graphic)


def build_reply_letter(path: Path) -> None:
    """reply_letter.docx: the 信函格式 reply (red mark, double rules, no number on page 1)."""
    save_template(_letter("答复函（信函格式）", rows=True), path)


def build_co_opinion(path: Path) -> None:
    """co_opinion.docx: a co-handler's 协办/会办意见 to the lead unit, in letter format.

    Same layout and context keys as the reply letter; ``salutation`` is the lead unit.
    """
    save_template(_letter("协办意见（信函格式）", rows=True), path)


def file_mark_runs() -> tuple[Run, Run]:
    """``{{ org_mark }}文件`` with the size and character scale the context computed from the
    mark's length (``file_mark_sz``, ``file_mark_w``): always one line in the text width."""
    return (
        fitted_run("{{ org_mark }}", "file_mark_w", "file_mark_sz"),
        fitted_run("文件", "file_mark_w", "file_mark_sz"),
    )


def bottom_frame(p: etree._Element) -> etree._Element:
    """Put paragraph ``p`` in a frame as wide as the text area whose bottom edge is the bottom
    of the text area (``w:framePr`` ``w:yAlign="bottom"`` relative to the margin), on the page
    where the paragraph falls. Word, WPS and LibreOffice join consecutive paragraphs with the same
    frame into one frame; text of the page flows above it, never beside it."""
    ppr_child(
        p[0], "framePr", w=TEXT_WIDTH, wrap="notBeside", vAnchor="margin", hAnchor="margin",
        xAlign="center", yAlign="bottom",
    )  # fmt: skip
    return p


def _record_rules(p: etree._Element) -> etree._Element:
    """The 版记's first and last rules: every paragraph of the frame has the same top and bottom
    border, which Word, WPS and LibreOffice draw above and below the group (LibreOffice as the
    frame's border; it does not make a frame of paragraphs whose borders differ)."""
    bdr = ppr_child(p[0], "pBdr")
    for side in ("top", "bottom"):
        _el(side, bdr, val="single", sz=RECORD_THICK_SZ, space=0, color=BLACK)
    return p


def _thin_rule(body: etree._Element) -> None:
    """The middle rule: a paragraph of the frame exactly as high as the thin rule, shaded."""
    p = _record_rules(bottom_frame(spacer(body, round(RECORD_THIN_SZ / 8 * 20))))
    ppr_child(p[0], "shd", val="clear", color="auto", fill=BLACK)


def record(body: etree._Element) -> None:
    """版记 (§7.4): 抄送 and 印发机关/印发日期 in one frame at the bottom of the last page's text
    area (:func:`bottom_frame`): thick first and last rules, a thin one between, the last on the
    bottom edge of the text area. Called before the organ name (see
    ``common.add_signature_block``), so the 版记 prints on the page of the signature."""
    tag(body, "if copy_to")
    _record_rules(
        bottom_frame(paragraph(body, "GwRecordCopyTo", run("抄送："), run("{{ copy_to }}")))
    )
    _thin_rule(body)
    tag(body, "endif")
    _record_rules(bottom_frame(_imprint(body)))


def letter_copy_to(body: etree._Element) -> None:
    """抄送 at the bottom of the last page's text area (§10.1), whole, with the signature."""
    tag(body, "if copy_to")
    bottom_frame(paragraph(body, "GwCopyTo", run("抄送："), run("{{ copy_to }}")))
    tag(body, "endif")


def _imprint(body: etree._Element) -> etree._Element:
    return paragraph(
        body, "GwRecordImprint", fitted_run("{{ issuer }}", "issuer_w"), tab(),
        run("{{ issue_date }}"), run("印发"),
    )  # fmt: skip


def _mark_cell(tr: etree._Element, width: str, right_gap: str = "") -> etree._Element:
    tc = _el("tc", tr)
    tcpr = _el("tcPr", tc)
    _el("tcW", tcpr, w=width, type="dxa")
    if right_gap:
        _el("right", _el("tcMar", tcpr), w=right_gap, type="dxa")
    _el("vAlign", tcpr, val="center")
    return tc


def joint_file_mark(body: etree._Element) -> None:
    """The file-format mark of several lines (联合行文, 主办机关 first; or a two-line mark):
    the organ names stacked, each line spread to the width of the longest (分散对齐), and one
    “文件” at their right, centred on them (GB/T 9704 §7.2.4). A borderless one-row table:
    Word, WPS and LibreOffice set it alike (no text box). Context: ``mark_rows``,
    ``file_mark_sz``/``file_mark_w``, ``file_names_w``, ``file_word_w``, ``file_gap_w``
    (twips). The top edge of the first name 35 mm below the top of the text area, as for
    the one-line mark (a blank of the mark's space before, one line more without 份号 line)."""
    tag(body, "if marks")
    spacer(body, FILE_MARK_BEFORE)
    tag(body, "else")
    spacer(body, FILE_MARK_BEFORE + LINE_PITCH)
    tag(body, "endif")
    tbl = _el("tbl")
    tblpr = _el("tblPr", tbl)
    _el("tblW", tblpr, w="{{ file_names_w + file_gap_w + file_word_w }}", type="dxa")
    _el("jc", tblpr, val="center")
    borders = _el("tblBorders", tblpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(side, borders, val="nil")
    _el("tblLayout", tblpr, type="fixed")
    margins = _el("tblCellMar", tblpr)
    for side in ("top", "left", "bottom", "right"):
        _el(side, margins, w=0, type="dxa")
    grid = _el("tblGrid", tbl)
    _el("gridCol", grid, w="{{ file_names_w + file_gap_w }}")
    _el("gridCol", grid, w="{{ file_word_w }}")
    tr = _el("tr", tbl)
    _el("cantSplit", _el("trPr", tr))
    names = _mark_cell(tr, "{{ file_names_w + file_gap_w }}", "{{ file_gap_w }}")
    tag(names, "for row in mark_rows")
    paragraph(names, "GwOrgMarkRow", fitted_run("{{ row }}", "file_mark_w", "file_mark_sz"))
    tag(names, "endfor")
    word = _mark_cell(tr, "{{ file_word_w }}")
    paragraph(word, "GwOrgMarkWord", fitted_run("文件", "file_mark_w", "file_mark_sz"))
    _append(body, tbl)


def _file() -> DocxDocument:
    doc = new_document("答复函（文件格式）")
    _add_reply_styles(doc)
    body = doc.element.body
    # Line 1 (份号/密级 area) is dropped when ``marks`` is empty; the mark then takes one more
    # line of space before, so its top edge stays 35 mm below the top of the text area.
    tag(body, "if mark_rows|default([])|length > 1")  # 联合行文 or a two-line mark
    tag(body, "if marks and marks_right")
    paragraph(body, "GwMarksRight", run("{{ marks }}"))
    tag(body, "elif marks")
    paragraph(body, "GwMarks", run("{{ marks }}"))
    tag(body, "endif")
    joint_file_mark(body)
    tag(body, "elif marks and marks_right")
    paragraph(body, "GwMarksRight", run("{{ marks }}"))
    paragraph(body, "GwOrgMarkFile", *file_mark_runs())
    tag(body, "elif marks")
    paragraph(body, "GwMarks", run("{{ marks }}"))
    paragraph(body, "GwOrgMarkFile", *file_mark_runs())
    tag(body, "else")
    paragraph(body, "GwOrgMarkFileTop", *file_mark_runs())
    tag(body, "endif")
    tag(body, "if signer")
    paragraph(
        body, "GwDocNumberSigner", tab(), run("{{ doc_number }}"), tab(), run("签发人："),
        run("{{ signer }}", "GwSignerName"),
    )  # fmt: skip
    tag(body, "else")
    paragraph(body, "GwDocNumber", run("{{ doc_number }}"))
    tag(body, "endif")
    _main_part(body, record)
    add_page_number_footers(doc, first_page_blank=False)
    return doc


def build_reply_file(path: Path) -> None:
    """reply_file.docx: 文件格式 with red header, 发文字号/签发人, separator and 版记."""
    save_template(_file(), path)


TEMPLATES = {
    "reply_letter.docx": build_reply_letter,
    "reply_file.docx": build_reply_file,
    "co_opinion.docx": build_co_opinion,
}

__all__ = [
    "TEMPLATES",
    "add_record_styles",
    "bottom_frame",
    "build_co_opinion",
    "build_reply_file",
    "build_reply_letter",
    "file_mark_runs",
    "joint_file_mark",
    "record",
]
