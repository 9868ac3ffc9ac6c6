"""The annual handling report (办理工作总结): 文件格式 header, body, 附件说明, signature, and two
attachments — the statistics tables (portrait) and the case list (landscape section).

Context keys (see ``gongwen.documents.report.report_context``): ``org_mark``, ``doc_number``
("" keeps the red separator in place), ``title_lines``, ``body`` (block dicts), ``attachments``,
``sign_org``, ``date``, ``closing``, ``note``, ``att1_label``, ``att1_title``, ``kind_heads``,
``count_rows``, ``class_rows``, ``rate_rows``, ``chart`` (an InlineImage or ""), ``att2_label``,
``att2_title``, ``case_rows``; the office's own attachments ``office_attachments`` (as the
reply's ``attachments``); the 版记 on a last portrait page: ``copy_to`` ("" drops its row),
``issuer``, ``issue_date``; the one-line fits ``file_mark_sz``, ``file_mark_w``, ``sign_org_w``,
``issuer_w`` (``gongwen.documents.reply.letterhead_context``).
"""

from __future__ import annotations

import copy
from pathlib import Path

from docx.document import Document as DocxDocument
from lxml import etree  # type: ignore[import-untyped]

from gongwen import standard as gb
from gongwen.ooxml import W_NS

from .common import (
    CHAR,
    HEITI,
    LINE_PITCH,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT,
    PAGE_NUMBER_DASH_BELOW_TEXT_MM,
    PAGE_WIDTH,
    RED,
    SZ_ERHAO,
    SZ_SIHAO,
    SZ_WUHAO,
    TEXT_WIDTH,
    XIAOBIAOSONG,
    _el,
    add_attachment_styles,
    add_attachments,
    add_base_styles,
    add_body_blocks,
    add_page_number_footers,
    add_paragraph_style,
    add_signature_block,
    mm,
    new_document,
    page_number_paragraph,
    paragraph,
    ppr_child,
    pt,
    run,
    save_template,
    spacer,
    tag,
    w,
)
from .common import FOOTER_DISTANCE_MM as PORTRAIT_FOOTER_MM
from .feedback import no_grid, row_tag, table, table_cell, table_row
from .reply import (
    DOC_NUMBER_BLANK_LINES,
    DOC_NUMBER_HEIGHT,
    FILE_MARK_BEFORE,
    FILE_MARK_HEIGHT,
    FILE_MARK_SCALE,
    FILE_MARK_SZ,
    SEPARATOR,
    add_record_styles,
    file_mark_runs,
    record,
)

# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------
# 五号 10.5 pt (SZ_WUHAO): the case list (nine columns)
TABLE_SZ = SZ_SIHAO  # 4号 in the statistics tables
TABLE_LINE = pt(20)
LIST_LINE = pt(14)
ATTACH_NOTE_HEAD = 3 * CHAR  # "附件："
ATTACH_NOTE_NAMES = gb.ATTACHMENT_NOTE_INDENT_CHARS * CHAR + ATTACH_NOTE_HEAD
# the attachment title on line 3, the label on line 1: one blank line between
ATTACH_TITLE_BEFORE = (gb.ATTACHMENT_TITLE_LINE - gb.ATTACHMENT_LABEL_LINE - 1) * LINE_PITCH
STAT_ROW = mm(9)
LIST_ROW = mm(8)
# Landscape section (§8): the portrait text area turned a quarter (225 × 156 mm). The binding edge
# (28 mm) goes to the top, the 37 mm head margin to the left.
LANDSCAPE_TOP_MM = MARGIN_LEFT_MM  # 28
LANDSCAPE_BOTTOM_MM = MARGIN_RIGHT_MM  # 26
LANDSCAPE_LEFT_MM = MARGIN_TOP_MM  # 37
LANDSCAPE_RIGHT_MM = MARGIN_BOTTOM_MM  # 35
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - mm(LANDSCAPE_LEFT_MM) - mm(LANDSCAPE_RIGHT_MM)  # 225 mm
# page number 7 mm below the text area, as in portrait
LANDSCAPE_FOOTER_MM = round(PORTRAIT_FOOTER_MM - (MARGIN_BOTTOM_MM - LANDSCAPE_BOTTOM_MM), 2)
assert PAGE_NUMBER_DASH_BELOW_TEXT_MM < LANDSCAPE_BOTTOM_MM
# Statistics tables (156 mm)
COUNT_WIDTHS = [mm(54), mm(34), mm(34)]
COUNT_WIDTHS.append(TEXT_WIDTH - sum(COUNT_WIDTHS))
CLASS_WIDTHS = [mm(20), mm(80), mm(26)]
CLASS_WIDTHS.append(TEXT_WIDTH - sum(CLASS_WIDTHS))
RATE_WIDTHS = [mm(50), mm(54), mm(15), mm(15)]
RATE_WIDTHS.append(TEXT_WIDTH - sum(RATE_WIDTHS))
# Case list (225 mm): 序号 案号 案由 提案人 办理类型 答复类别 答复日期 沟通方式 满意度
LIST_HEADS = (
    "序号",
    "案号",
    "案由",
    "提案人/领衔代表",
    "办理类型",
    "答复类别",
    "答复日期",
    "沟通方式",
    "满意度",
)
LIST_KEYS = ("no", "case_no", "title", "proposer", "role", "cls", "date", "contact", "satisfaction")
_LIST_MM = (11, 25, 50, 26, 18, 18, 33, 18)
LIST_WIDTHS = [mm(v) for v in _LIST_MM]
LIST_WIDTHS.append(LANDSCAPE_TEXT_WIDTH - sum(LIST_WIDTHS))
assert sum(LIST_WIDTHS) <= LANDSCAPE_TEXT_WIDTH and sum(RATE_WIDTHS) <= TEXT_WIDTH


def _page_break_before(doc: DocxDocument, style_id: str) -> None:
    for s in doc.part._styles_part._element.iter(w("style")):
        if s.get(w("styleId")) == style_id:
            ppr = s.find(w("pPr"))
            if ppr is None:
                ppr = etree.Element(w("pPr"))
                s.find(w("rPr")).addprevious(ppr)
            ppr_child(ppr, "pageBreakBefore")


def _auto_line(doc: DocxDocument, style_id: str) -> None:
    for s in doc.part._styles_part._element.iter(w("style")):
        if s.get(w("styleId")) == style_id:
            ppr = s.find(w("pPr"))
            sp = ppr.find(w("spacing"))
            if sp is None:
                sp = etree.Element(w("spacing"))
                jc = ppr.find(w("jc"))
                (jc.addprevious(sp) if jc is not None else ppr.append(sp))
            sp.set(w("line"), "240")
            sp.set(w("lineRule"), "auto")


def _styles(doc: DocxDocument) -> None:
    add_base_styles(doc)
    add_record_styles(doc)
    add_attachment_styles(doc)  # the office's own attachments, as on a reply
    add_paragraph_style(
        doc,
        "GwOrgMarkFileTop",
        "发文机关标志（文件）",
        font=XIAOBIAOSONG,
        sz=FILE_MARK_SZ,
        scale=FILE_MARK_SCALE,
        color=RED,
        bold=False,
        jc="center",
        line=FILE_MARK_HEIGHT,
        before=FILE_MARK_BEFORE + LINE_PITCH,
    )
    add_paragraph_style(
        doc,
        "GwDocNumber",
        "发文字号",
        jc="center",
        line=DOC_NUMBER_HEIGHT,
        before=DOC_NUMBER_BLANK_LINES * LINE_PITCH + (LINE_PITCH - DOC_NUMBER_HEIGHT),
        bottom_border=SEPARATOR,
    )
    add_paragraph_style(doc, "GwTitleCont", "公文标题（续行）", based_on="GwTitle", before=0)
    # 附件说明 (§7.3.4): one blank line below the body, two characters in, names aligned after
    # "附件：" (three characters)
    add_paragraph_style(
        doc,
        "GwAttachNote",
        "附件说明",
        left=ATTACH_NOTE_NAMES,
        hanging=ATTACH_NOTE_HEAD,
        before=gb.ATTACHMENT_NOTE_BLANK_LINES * LINE_PITCH,
        keep_next=True,
    )
    add_paragraph_style(
        doc, "GwAttachNoteMore", "附件说明（续）", left=ATTACH_NOTE_NAMES, keep_next=True
    )
    # 附件 (§7.3.7): "附件1" 黑体 flush left on line 1, title centred on line 3
    add_paragraph_style(doc, "GwAttachLabel", "附件标识", font=gb.ATTACHMENT_LABEL_FONT, jc="left")
    add_paragraph_style(doc, "GwAttachLabelPage", "附件标识（另页）", based_on="GwAttachLabel")
    _page_break_before(doc, "GwAttachLabelPage")
    add_paragraph_style(
        doc,
        "GwAttachTitle",
        "附件标题",
        font=XIAOBIAOSONG,
        sz=SZ_ERHAO,
        bold=False,
        jc="center",
        before=ATTACH_TITLE_BEFORE,
        after=LINE_PITCH // 2,
    )
    add_paragraph_style(
        doc,
        "GwTableHeading",
        "表格小标题",
        font=HEITI,
        first_line_chars=2,
        before=LINE_PITCH // 2,
        keep_next=True,
    )
    add_paragraph_style(doc, "GwTCell", "表格文字", sz=TABLE_SZ, jc="center", line=TABLE_LINE)
    add_paragraph_style(doc, "GwTCellLeft", "表格文字（左）", based_on="GwTCell", jc="left")
    add_paragraph_style(
        doc, "GwTHead", "表头", font=HEITI, sz=TABLE_SZ, jc="center", line=TABLE_LINE
    )
    add_paragraph_style(doc, "GwLCell", "一览表文字", sz=SZ_WUHAO, jc="center", line=LIST_LINE)
    add_paragraph_style(doc, "GwLCellLeft", "一览表文字（左）", based_on="GwLCell", jc="left")
    add_paragraph_style(
        doc, "GwLHead", "一览表表头", font=HEITI, sz=SZ_WUHAO, jc="center", line=LIST_LINE
    )
    add_paragraph_style(doc, "GwChart", "图", jc="center")
    _auto_line(doc, "GwChart")  # an exact line would clip the picture
    for sid in ("GwTCell", "GwTHead", "GwLCell", "GwLHead"):
        no_grid(doc, sid)


def _header(body: etree._Element) -> None:
    paragraph(body, "GwOrgMarkFileTop", *file_mark_runs())
    paragraph(body, "GwDocNumber", run("{{ doc_number }}"))


def _stat_table(
    body: etree._Element,
    widths: list[int],
    heads: list[str],
    loop: str,
    cells: list[tuple[str, str]],
) -> None:
    tbl = table(body, widths)
    tr = table_row(tbl, STAT_ROW, header=True)
    for width, head in zip(widths, heads, strict=True):
        table_cell(tr, width, "GwTHead", run(head))
    row_tag(tbl, f"for r in {loop}", sum(widths))
    tr = table_row(tbl, STAT_ROW)
    for width, (style, text) in zip(widths, cells, strict=True):
        table_cell(tr, width, style, run(text))
    row_tag(tbl, "endfor", sum(widths))
    spacer(body, pt(6))


def _attachment1(body: etree._Element) -> None:
    paragraph(body, "GwAttachLabelPage", run("{{ att1_label }}"))
    paragraph(body, "GwAttachTitle", run("{{ att1_title }}"))
    paragraph(body, "GwTableHeading", run("一、承办情况（件）"))
    _stat_table(
        body,
        COUNT_WIDTHS,
        ["项目", "{{ kind_heads[0] }}", "{{ kind_heads[1] }}", "合计"],
        "count_rows",
        [
            ("GwTCellLeft", "{{ r.label }}"),
            ("GwTCell", "{{ r.cols[0] }}"),
            ("GwTCell", "{{ r.cols[1] }}"),
            ("GwTCell", "{{ r.cols[2] }}"),
        ],
    )
    paragraph(body, "GwTableHeading", run("二、答复类别（主办和分办件）"))
    _stat_table(
        body,
        CLASS_WIDTHS,
        ["类别", "类别名称", "件数", "占比"],
        "class_rows",
        [
            ("GwTCell", "{{ r.code }}"),
            ("GwTCellLeft", "{{ r.label }}"),
            ("GwTCell", "{{ r.count }}"),
            ("GwTCell", "{{ r.share }}"),
        ],
    )
    paragraph(body, "GwTableHeading", run("三、主要指标"))
    _stat_table(
        body,
        RATE_WIDTHS,
        ["指标", "计算口径", "分子", "分母", "比率"],
        "rate_rows",
        [
            ("GwTCellLeft", "{{ r.name }}"),
            ("GwTCellLeft", "{{ r.basis }}"),
            ("GwTCell", "{{ r.num }}"),
            ("GwTCell", "{{ r.den }}"),
            ("GwTCell", "{{ r.value }}"),
        ],
    )
    tag(body, "if chart")
    paragraph(body, "GwChart", run("{{ chart }}"))
    tag(body, "endif")


def _attachment2(body: etree._Element) -> None:
    paragraph(body, "GwAttachLabel", run("{{ att2_label }}"))
    paragraph(body, "GwAttachTitle", run("{{ att2_title }}"))
    tbl = table(body, LIST_WIDTHS)
    tr = table_row(tbl, LIST_ROW, header=True)
    for width, head in zip(LIST_WIDTHS, LIST_HEADS, strict=True):
        table_cell(tr, width, "GwLHead", run(head))
    row_tag(tbl, "for r in case_rows", LANDSCAPE_TEXT_WIDTH)
    tr = table_row(tbl, LIST_ROW)
    for width, key in zip(LIST_WIDTHS, LIST_KEYS, strict=True):
        style = "GwLCellLeft" if key in ("title",) else "GwLCell"
        table_cell(tr, width, style, run("{{ r." + key + " }}"))
    row_tag(tbl, "endfor", LANDSCAPE_TEXT_WIDTH)
    spacer(body, pt(1))


def _section_break(body: etree._Element) -> None:
    """End the portrait section here (a copy of the body's sectPr); the rest is landscape."""
    final = body.find(w("sectPr"))
    p = paragraph(body, "Normal")
    ppr = p.find(w("pPr"))
    _el("spacing", ppr, before=0, after=0, line=pt(1), lineRule="exact")
    ppr.append(copy.deepcopy(final))
    pg = final.find(w("pgSz"))
    pg.set(w("w"), str(PAGE_HEIGHT))
    pg.set(w("h"), str(PAGE_WIDTH))
    pg.set(w("orient"), "landscape")
    mar = final.find(w("pgMar"))
    for side, value in (
        ("top", LANDSCAPE_TOP_MM),
        ("bottom", LANDSCAPE_BOTTOM_MM),
        ("left", LANDSCAPE_LEFT_MM),
        ("right", LANDSCAPE_RIGHT_MM),
        ("footer", LANDSCAPE_FOOTER_MM),
    ):
        mar.set(w(side), str(mm(value)))


def _portrait_record(body: etree._Element) -> None:
    """End the landscape section; the office's own attachments (``office_attachments``: 附件3 …,
    each on a portrait page of its own, as on a reply) follow, and the 版记 (§7.4) at the bottom
    of the text area of the last page: the last attachment's, or without them a page of its
    own."""
    final = body.find(w("sectPr"))
    portrait = next(body.iter(w("sectPr")))  # the first section's, in its last paragraph
    p = paragraph(body, "Normal")
    ppr = p.find(w("pPr"))
    _el("spacing", ppr, before=0, after=0, line=pt(1), lineRule="exact")
    ppr.append(copy.deepcopy(final))
    for tag_name in ("pgSz", "pgMar"):
        final.find(w(tag_name)).getparent().replace(
            final.find(w(tag_name)), copy.deepcopy(portrait.find(w(tag_name)))
        )
    tag(body, "if office_attachments")
    add_attachments(body, record, var="office_attachments")
    tag(body, "else")
    record(body)
    tag(body, "endif")
    spacer(body, pt(1))  # the paragraph the 版记 frame is anchored to (without attachments)


# Landscape page numbers (§7.5, §8: "页码位置与公文其他页码保持一致"): the table's head is at the
# binding edge on odd pages and at the outer edge on even pages, so the sheet turns a quarter
# counter-clockwise into portrait and the portrait bottom edge is the landscape left edge. The
# number is set in a text box along that edge, its text turned a quarter clockwise
# (``layout-flow:vertical``), centred 7 mm outside the portrait text area (28 mm from the paper
# edge) and ending one character inside the portrait text edge: near the bottom on odd pages
# (portrait right), near the top on even pages (portrait left). A VML text box: LibreOffice
# places a DrawingML box in the footer of a section's first page at the page origin when it
# converts from the command line; the VML box lands where it should in every path.
LANDSCAPE_NUMBER_CENTRE_MM = MARGIN_BOTTOM_MM - PAGE_NUMBER_DASH_BELOW_TEXT_MM  # 28 mm from left
LANDSCAPE_NUMBER_ACROSS_MM = gb.PAGE_NUMBER_SIZE.mm  # one 4号 line: the box holds exactly it
LANDSCAPE_NUMBER_ALONG_MM = 60.0
_VML = "urn:schemas-microsoft-com:vml"
_OFFICE = "urn:schemas-microsoft-com:office:office"


def _landscape_number_box(odd: bool) -> etree._Element:
    across, along = LANDSCAPE_NUMBER_ACROSS_MM, LANDSCAPE_NUMBER_ALONG_MM
    x = LANDSCAPE_NUMBER_CENTRE_MM - across / 2
    # along the landscape's left edge, distance from the top = portrait distance from the left
    y = MARGIN_LEFT_MM + gb.TEXT_WIDTH_MM - along if odd else MARGIN_LEFT_MM
    box = etree.Element(w("txbxContent"))
    page_number_paragraph(box, odd=odd)
    content = etree.tostring(box, encoding="unicode")
    style = (
        f"position:absolute;margin-left:{x:.2f}mm;margin-top:{y:.2f}mm;width:{across:.2f}mm;"
        f"height:{along:.2f}mm;z-index:{3 + odd};mso-position-horizontal-relative:page;"
        "mso-position-vertical-relative:page;layout-flow:vertical"
    )
    xml = (
        f'<w:r xmlns:w="{W_NS}" xmlns:v="{_VML}" xmlns:o="{_OFFICE}"><w:pict>'
        f'<v:shape id="gw_landscape_page_number_{"odd" if odd else "even"}" o:spt="202"'
        f' coordsize="21600,21600" path="m,l,21600r21600,l21600,xe" style="{style}"'
        ' filled="f" stroked="f">'
        f'<v:textbox style="layout-flow:vertical" inset="0,0,0,0">{content}</v:textbox>'
        "</v:shape></w:pict></w:r>"
    )
    return etree.fromstring(xml)


def _landscape_footers(doc: DocxDocument) -> None:
    """The landscape section's own odd and even footers: the page number on the short edge."""
    section = doc.sections[1]
    for ref in section._sectPr.findall(w("footerReference")):
        section._sectPr.remove(ref)
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        container = footer._element
        for child in list(container):
            container.remove(child)
        p = paragraph(container, "Footer")
        p.append(_landscape_number_box(odd))


def _front(body: etree._Element) -> None:
    """The red header, the title lines, the body blocks and the first line of the 附件说明 —
    the same in the annual report and the summary across units."""
    _header(body)
    paragraph(body, "GwTitle", run("{{ title_lines[0] }}"))
    tag(body, "for t in title_lines[1:]")
    paragraph(body, "GwTitleCont", run("{{ t }}"))
    tag(body, "endfor")
    spacer(body, LINE_PITCH)  # one blank line between title and body
    add_body_blocks(body)
    paragraph(body, "GwAttachNote", run("附件："), run("{{ attachments[0] }}"))


def build_annual_report(path: Path) -> None:
    """annual_report.docx: the 办理工作总结 in 文件格式 with its two attachments."""
    doc = new_document("建议提案办理工作总结")
    _styles(doc)
    body = doc.element.body
    _front(body)
    tag(body, "for a in attachments[1:]")
    paragraph(body, "GwAttachNoteMore", run("{{ a }}"))
    tag(body, "endfor")
    add_signature_block(body)
    _attachment1(body)
    add_page_number_footers(doc, first_page_blank=False)
    _section_break(body)
    _attachment2(body)
    _portrait_record(body)
    _landscape_footers(doc)
    save_template(doc, path)


TEMPLATES = {"annual_report.docx": build_annual_report}

__all__ = ["LANDSCAPE_TEXT_WIDTH", "TEMPLATES", "build_annual_report"]
