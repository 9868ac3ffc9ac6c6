"""The feedback form (征询意见表): one A4 page, GB/T 9704 page setup, a ruled table.

Context keys (see ``gongwen.documents.feedback.feedback_context``): ``form_title``,
``round_note``, ``case_no``, ``case_title``, ``proposer_label``, ``proposer_name``, ``unit_label``,
``unit``, ``co_label``, ``co_units``, ``result_class``, ``reply_date``, ``contact_options``,
``attitude_options``, ``result_options``, ``pertinence_options`` (lists of ``{"box", "label"}``),
``opinion``, ``sign_label``, ``sign_date``, ``return_note``.

Also the small table helpers the report template uses: :func:`table`, :func:`table_row`,
:func:`table_cell`, :func:`no_grid`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from lxml import etree  # type: ignore[import-untyped]

from .common import (
    BLACK,
    SZ_ERHAO,
    SZ_SIHAO,
    TEXT_WIDTH,
    XIAOBIAOSONG,
    Run,
    _el,
    add_character_style,
    add_paragraph_style,
    mm,
    new_document,
    optional_paragraph,
    paragraph,
    ppr_child,
    pt,
    run,
    save_template,
    w,
)

# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
TABLE_OUTER_SZ = 12  # eighths of a point: 1.5 pt outer frame (official forms)
TABLE_INNER_SZ = 6  # 0.75 pt inner rules
CELL_MARGIN = mm(1.5)


def _append_before_sectpr(parent: etree._Element, child: etree._Element) -> None:
    last = parent[-1] if len(parent) else None
    if last is not None and last.tag == w("sectPr"):
        last.addprevious(child)
    else:
        parent.append(child)


def table(
    parent: etree._Element,
    widths: Sequence[int],
    *,
    outer: int = TABLE_OUTER_SZ,
    inner: int = TABLE_INNER_SZ,
) -> etree._Element:
    """A fixed-layout ruled table with column ``widths`` (twips), centred, appended to parent."""
    tbl = _el("tbl")
    pr = _el("tblPr", tbl)
    _el("tblW", pr, w=sum(widths), type="dxa")
    _el("jc", pr, val="center")
    borders = _el("tblBorders", pr)
    for side in ("top", "left", "bottom", "right"):
        _el(side, borders, val="single", sz=outer, space=0, color=BLACK)
    for side in ("insideH", "insideV"):
        _el(side, borders, val="single", sz=inner, space=0, color=BLACK)
    _el("tblLayout", pr, type="fixed")
    mar = _el("tblCellMar", pr)
    _el("top", mar, w=0, type="dxa")
    _el("left", mar, w=CELL_MARGIN, type="dxa")
    _el("bottom", mar, w=0, type="dxa")
    _el("right", mar, w=CELL_MARGIN, type="dxa")
    _el(
        "tblLook",
        pr,
        val="0000",
        firstRow=0,
        lastRow=0,
        firstColumn=0,
        lastColumn=0,
        noHBand=1,
        noVBand=1,
    )
    grid = _el("tblGrid", tbl)
    for width in widths:
        _el("gridCol", grid, w=width)
    _append_before_sectpr(parent, tbl)
    return tbl


def table_row(
    tbl: etree._Element, height: int | None = None, *, exact: bool = False, header: bool = False
) -> etree._Element:
    """A row (at least ``height`` twips high, or exactly); ``header`` repeats on each page."""
    tr = _el("tr", tbl)
    pr = _el("trPr", tr)
    _el("cantSplit", pr)
    if height is not None:
        _el("trHeight", pr, val=height, hRule="exact" if exact else "atLeast")
    if header:
        _el("tblHeader", pr)
    return tr


def table_cell(
    tr: etree._Element, width: int, style: str, *runs: Run, span: int = 1, valign: str = "center"
) -> etree._Element:
    """A cell ``width`` twips wide (spanning ``span`` grid columns) with one paragraph."""
    tc = _el("tc", tr)
    pr = _el("tcPr", tc)
    _el("tcW", pr, w=width, type="dxa")
    if span > 1:
        _el("gridSpan", pr, val=span)
    _el("vAlign", pr, val=valign)
    paragraph(tc, style, *runs)
    return tc


def row_tag(tbl: etree._Element, statement: str, width: int) -> None:
    """A docxtpl row tag ``{%tr statement %}`` (the whole row is removed on render)."""
    tr = _el("tr", tbl)
    table_cell(
        tr, width, "Normal", run("{%tr " + statement + " %}"), span=len(tbl.find(w("tblGrid")))
    )


def no_grid(doc: DocxDocument, style_id: str, *, char_spacing: int | None = 0) -> None:
    """Do not snap the style's paragraphs to the document grid; reset character spacing.

    Tables use smaller sizes than the 3号 grid was made for.
    """
    root = doc.part._styles_part._element
    for s in root.iter(w("style")):
        if s.get(w("styleId")) != style_id:
            continue
        ppr = s.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            s.find(w("rPr")).addprevious(ppr)
        ppr_child(ppr, "snapToGrid", val="0")
        if char_spacing is not None:
            rpr = s.find(w("rPr"))
            sp = etree.Element(w("spacing"))
            sp.set(w("val"), str(char_spacing))
            later = [
                c for c in rpr if c.tag in {w(t) for t in ("w", "kern", "position", "sz", "szCs")}
            ]
            if later:
                later[0].addprevious(sp)
            else:
                rpr.append(sp)


# --------------------------------------------------------------------------------------------
# The form
# --------------------------------------------------------------------------------------------
FORM_SZ = SZ_SIHAO  # 4号仿宋 in the table and the note
FORM_LINE = pt(20)  # exact line in the cells
TITLE_LINE = pt(32)
LABEL_WIDTH = mm(38)
VALUE_WIDTH = mm(40)
LABEL2_WIDTH = mm(28)
VALUE2_WIDTH = TEXT_WIDTH - LABEL_WIDTH - VALUE_WIDTH - LABEL2_WIDTH  # 50 mm
SPAN3 = TEXT_WIDTH - LABEL_WIDTH
ROW_HEIGHT = mm(10)
QUESTION_HEIGHT = mm(12)
OPINION_HEIGHT = mm(42)
SIGN_HEIGHT = mm(16)
CHECKBOX_FONT = "Segoe UI Symbol"  # ☐ ☑ are not in GB2312 fonts
OPTION_GAP = "\u2002"  # an en space between options


def _styles(doc: DocxDocument) -> None:
    add_paragraph_style(
        doc,
        "GwFormTitle",
        "表格标题",
        font=XIAOBIAOSONG,
        sz=SZ_ERHAO,
        bold=False,
        jc="center",
        line=TITLE_LINE,
        after=pt(4),
    )
    add_paragraph_style(
        doc, "GwFormSubtitle", "表格副标题", sz=FORM_SZ, jc="center", line=FORM_LINE, after=pt(6)
    )
    add_paragraph_style(doc, "GwCell", "表格文字", sz=FORM_SZ, jc="left", line=FORM_LINE)
    add_paragraph_style(doc, "GwCellLabel", "表格栏目", based_on="GwCell", jc="center")
    add_paragraph_style(
        doc, "GwCellBox", "意见栏", based_on="GwCell", jc="both", first_line_chars=None
    )
    add_paragraph_style(
        doc,
        "GwFormNote",
        "表注",
        sz=FORM_SZ,
        jc="both",
        line=FORM_LINE,
        before=pt(6),
        left=pt(28),
        hanging=pt(28),
    )
    add_character_style(doc, "GwCheckBox", "复选框", font=CHECKBOX_FONT)
    for sid in ("GwFormTitle", "GwFormSubtitle", "GwCell", "GwFormNote"):
        no_grid(doc, sid)


def _options(var: str) -> list[Run]:
    return [
        run("{%r for o in " + var + " %}"),
        run("{{ o.box }}", "GwCheckBox"),
        run("{{ o.label }}"),
        run("{%r if not loop.last %}"),
        run(OPTION_GAP),
        run("{%r endif %}"),
        run("{%r endfor %}"),
    ]


def _label_row(tbl: etree._Element, label: str, *runs: Run, height: int = ROW_HEIGHT) -> None:
    tr = table_row(tbl, height)
    table_cell(tr, LABEL_WIDTH, "GwCellLabel", run(label))
    table_cell(tr, SPAN3, "GwCell", *runs, span=3)


def build_feedback_form(path: Path) -> None:
    """feedback_form.docx: the 征询意见表 with pre-filled header and printed check boxes."""
    doc = new_document("建议提案办理情况征询意见表")
    _styles(doc)
    body = doc.element.body
    paragraph(body, "GwFormTitle", run("{{ form_title }}"))
    optional_paragraph(body, "round_note", "GwFormSubtitle", run("{{ round_note }}"))
    tbl = table(body, [LABEL_WIDTH, VALUE_WIDTH, LABEL2_WIDTH, VALUE2_WIDTH])
    _label_row(tbl, "案　　号", run("{{ case_no }}"))
    _label_row(tbl, "案　　由", run("{{ case_title }}"))
    tr = table_row(tbl, ROW_HEIGHT)
    table_cell(tr, LABEL_WIDTH, "GwCellLabel", run("{{ proposer_label }}"))
    table_cell(tr, VALUE_WIDTH, "GwCell", run("{{ proposer_name }}"))
    table_cell(tr, LABEL2_WIDTH, "GwCellLabel", run("答复日期"))
    table_cell(tr, VALUE2_WIDTH, "GwCell", run("{{ reply_date }}"))
    tr = table_row(tbl, ROW_HEIGHT)
    table_cell(tr, LABEL_WIDTH, "GwCellLabel", run("{{ unit_label }}"))
    table_cell(tr, SPAN3, "GwCell", run("{{ unit }}"), span=3)
    tr = table_row(tbl, ROW_HEIGHT)
    table_cell(tr, LABEL_WIDTH, "GwCellLabel", run("{{ co_label }}"))
    table_cell(tr, SPAN3, "GwCell", run("{{ co_units }}"), span=3)
    _label_row(tbl, "答复类别", run("{{ result_class }}"))
    _label_row(tbl, "答复前沟通方式", *_options("contact_options"), height=QUESTION_HEIGHT)
    _label_row(tbl, "对办理态度评价", *_options("attitude_options"), height=QUESTION_HEIGHT)
    _label_row(tbl, "对办理结果评价", *_options("result_options"), height=QUESTION_HEIGHT)
    _label_row(tbl, "答复是否针对", *_options("pertinence_options"), height=QUESTION_HEIGHT)
    tr = table_row(tbl, OPINION_HEIGHT)
    table_cell(tr, LABEL_WIDTH, "GwCellLabel", run("意见和建议"))
    table_cell(tr, SPAN3, "GwCellBox", run("{{ opinion }}"), span=3, valign="top")
    tr = table_row(tbl, SIGN_HEIGHT)
    table_cell(tr, LABEL_WIDTH, "GwCellLabel", run("{{ sign_label }}"))
    table_cell(tr, VALUE_WIDTH, "GwCell", run("{{ sign_name }}"))
    table_cell(tr, LABEL2_WIDTH, "GwCellLabel", run("填表日期"))
    table_cell(tr, VALUE2_WIDTH, "GwCellLabel", run("{{ sign_date }}"))
    paragraph(body, "GwFormNote", run("注："), run("{{ return_note }}"))
    save_template(doc, path)


TEMPLATES = {"feedback_form.docx": build_feedback_form}

__all__ = [
    "TEMPLATES",
    "build_feedback_form",
    "no_grid",
    "row_tag",
    "table",
    "table_cell",
    "table_row",
]
