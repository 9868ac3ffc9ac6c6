"""The summary across several units (各承办单位建议提案办理情况汇总): the annual report's
文件格式 header, body, 附件说明 and signature, then one portrait attachment with two tables —
办复情况 and 办理结果满意度 (with 未表态) per unit and the totals — and the note on how they count;
the 版记 (§7.4) at the bottom of the last page.

Context keys (``gongwen.documents.units.units_context``): ``org_mark``, ``doc_number``,
``title_lines``, ``body``, ``attachments``, ``sign_org``, ``date``, ``closing``, ``note``,
``att1_label``, ``att1_title``, ``unit_rows`` (``no``, ``unit``, ``sugg``, ``prop``, ``total``,
``replied``, ``rate``), ``sat_heads`` (four column heads), ``sat_rows`` (``no``, ``unit``,
``asked``, ``t`` — four counts —, ``rate``), ``basis_note``, ``copy_to``, ``issuer``,
``issue_date`` and the one-line fits of ``letterhead_context``.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]

from .common import (
    TEXT_WIDTH,
    add_page_number_footers,
    add_paragraph_style,
    add_signature_block,
    mm,
    new_document,
    paragraph,
    pt,
    run,
    save_template,
    spacer,
)
from .reply import record
from .report import TABLE_SZ, _front, _stat_table, _styles

# 4号 cells: a character is 4.94 mm, each cell has 1.5 mm margins either side, so a column of
# n characters on one line needs 4.94 n + 3 mm. 序号 14 mm (two characters); 征询件数 and a
# four-character rating (基本满意) 14 mm: two lines of two characters.
#: 序号, 承办单位, 建议, 提案, 合计, 已办复, 办复率 (mm; 156 in all)
UNIT_WIDTHS = [mm(v) for v in (14, 56, 16, 16, 16, 19, 19)]
#: 序号, 承办单位, 征询件数, four rating columns, 满意率 (mm; 156 in all)
SAT_WIDTHS = [mm(v) for v in (14, 46, 14, 14, 14, 18, 18, 18)]
assert sum(UNIT_WIDTHS) <= TEXT_WIDTH and sum(SAT_WIDTHS) <= TEXT_WIDTH


def _attachment(body: etree._Element) -> None:
    paragraph(body, "GwAttachLabelPage", run("{{ att1_label }}"))
    paragraph(body, "GwAttachTitle", run("{{ att1_title }}"))
    paragraph(body, "GwTableHeading", run("一、办复情况（件）"))
    _stat_table(
        body,
        UNIT_WIDTHS,
        ["序号", "承办单位", "建议", "提案", "合计", "已办复", "办复率"],
        "unit_rows",
        [
            ("GwTCell", "{{ r.no }}"),
            ("GwTCellLeft", "{{ r.unit }}"),
            ("GwTCell", "{{ r.sugg }}"),
            ("GwTCell", "{{ r.prop }}"),
            ("GwTCell", "{{ r.total }}"),
            ("GwTCell", "{{ r.replied }}"),
            ("GwTCell", "{{ r.rate }}"),
        ],
    )
    paragraph(body, "GwTableHeading", run("二、办理结果满意度（件）"))
    _stat_table(
        body,
        SAT_WIDTHS,
        [
            "序号",
            "承办单位",
            "征询件数",
            "{{ sat_heads[0] }}",
            "{{ sat_heads[1] }}",
            "{{ sat_heads[2] }}",
            "{{ sat_heads[3] }}",
            "满意率",
        ],
        "sat_rows",
        [
            ("GwTCell", "{{ r.no }}"),
            ("GwTCellLeft", "{{ r.unit }}"),
            ("GwTCell", "{{ r.asked }}"),
            ("GwTCell", "{{ r.t[0] }}"),
            ("GwTCell", "{{ r.t[1] }}"),
            ("GwTCell", "{{ r.t[2] }}"),
            ("GwTCell", "{{ r.t[3] }}"),
            ("GwTCell", "{{ r.rate }}"),
        ],
    )
    paragraph(body, "GwUnitsNote", run("{{ basis_note }}"))


def build_units_summary(path: Path) -> None:
    """units_summary.docx: the office's summary across its units, in 文件格式."""
    doc = new_document("各承办单位建议提案办理情况汇总")
    _styles(doc)
    add_paragraph_style(
        doc, "GwUnitsNote", "统计口径说明", sz=TABLE_SZ, line=pt(20), first_line_chars=2
    )
    body = doc.element.body
    _front(body)
    add_signature_block(body)
    _attachment(body)
    record(body)
    spacer(body, pt(1))  # the paragraph the 版记 frame is anchored to
    add_page_number_footers(doc, first_page_blank=False)
    save_template(doc, path)


TEMPLATES = {"units_summary.docx": build_units_summary}

__all__ = ["SAT_WIDTHS", "TEMPLATES", "UNIT_WIDTHS", "build_units_summary"]
