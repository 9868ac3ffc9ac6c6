"""The summary across several units (各承办单位建议提案办理情况汇总): the template context.

A 文件格式 document of the reporting office (the annual report's family): title, 一、基本情况
from :func:`gongwen.units.units_sentences`, the office's own text, 附件说明, signature, and the
attachment with two tables — 办复情况 and 办理结果满意度 (with 未表态) per unit, with totals —
and the note on how they count; the 版记 on the last page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongwen.documents.blocks import body_blocks
from gongwen.documents.naming import safe_component
from gongwen.documents.reply import letterhead_context
from gongwen.models.organisation import Organisation
from gongwen.text.dates import format_date
from gongwen.text.numerals import heading_marker
from gongwen.units import UnitRow, UnitsSummary, basis_note, units_sentences

__all__ = [
    "REQUIRED_PLACEHOLDERS",
    "UNITS_TEMPLATE",
    "units_context",
    "units_name",
    "units_title",
]

UNITS_TEMPLATE = "units_summary.docx"
#: Placeholders the template must contain.
REQUIRED_PLACEHOLDERS = frozenset(
    {"org_mark", "doc_number", "title_lines", "body", "sign_org", "date", "unit_rows", "sat_rows"}
)


def units_title(summary: UnitsSummary, org: Organisation) -> str:
    """``东江市临湖区人民政府2024年建议提案办理情况汇总``."""
    return f"{org.name}{summary.year}年建议提案办理情况汇总"


def units_name(summary: UnitsSummary) -> str:
    """File name: ``2024年各单位建议提案办理情况汇总.docx``."""
    return safe_component(f"{summary.year}年各单位建议提案办理情况汇总", 60) + ".docx"


def _title_lines(summary: UnitsSummary, org: Organisation) -> list[str]:
    title = units_title(summary, org)
    if len(title) <= 20:
        return [title]
    return [org.name, title[len(org.name) :]]


def _unit_cells(no: str, row: UnitRow, decimals: int) -> dict[str, Any]:
    return {
        "no": no,
        "unit": row.unit,
        "sugg": row.by_kind[0],
        "prop": row.by_kind[1],
        "total": row.total,
        "replied": row.replied.numerator,
        "rate": row.replied.format(decimals),
    }


def _sat_cells(no: str, row: UnitRow, decimals: int) -> dict[str, Any]:
    return {
        "no": no,
        "unit": row.unit,
        "asked": row.asked,
        "t": list(row.tiers),
        "rate": row.satisfaction.format(decimals),
    }


def units_context(
    summary: UnitsSummary,
    org: Organisation,
    text: str = "",
    *,
    doc_number: str | None = None,
    report_date: date,
    office: str | None = None,
) -> dict[str, Any]:
    """The template context. ``office`` is how the sentences name the reporter (default: the
    organisation's ``self_name``, e.g. ``区政府``); ``text`` adds the office's own paragraphs
    after the generated ones (body-text convention)."""
    d = org.config.decimals
    sentences = "".join(units_sentences(summary, office or org.self_name, d))
    body: list[dict[str, Any]] = [
        {"kind": "h1", "head": heading_marker(1, 1) + "基本情况", "text": ""},
        {"kind": "p", "head": "", "text": sentences},
    ]
    if text.strip():
        body.extend(body_blocks(text))
    att = f"{summary.year}年各承办单位建议提案办理情况统计表"
    rows = list(enumerate(summary.rows, start=1))
    dated = format_date(report_date)
    return {
        "org_mark": org.mark,
        "doc_number": doc_number or "",
        "title_lines": _title_lines(summary, org),
        "body": body,
        "attachments": [att],
        "sign_org": org.name,
        "date": dated,
        "closing": "",
        "note": "",
        "att1_label": "附件",
        "att1_title": att,
        "unit_rows": [_unit_cells(str(i), r, d) for i, r in rows]
        + [_unit_cells("", summary.total, d)],
        "sat_heads": list(summary.labels),
        "sat_rows": [_sat_cells(str(i), r, d) for i, r in rows]
        + [_sat_cells("", summary.total, d)],
        "basis_note": basis_note(summary),
        "copy_to": "，".join(org.copy_to) + "。" if org.copy_to else "",
        "issuer": org.issuing_office,
        "issue_date": dated,
        **letterhead_context(org, dated),
    }
