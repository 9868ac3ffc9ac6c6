"""Writing ledgers: CaseRecords → rows with the canonical Chinese headers (xlsx, csv, json, yaml).

Used to produce the example ledgers and test/benchmark inputs; a ledger carries the first-round
data of each case and one later reply (the re-handling reply, or a single 跟踪答复, in the
``重新办理……`` columns); their feedback, and any further follow-ups, stay in YAML/JSON year files.

The columns of :data:`EXTRA_KEYS` (承办单位, 附议人, 并案案号, 平台上传日期, 延期至 …) are
written only when a record has a value for them, so ledgers of records without them are
unchanged. The extension notice's own text (``case.extension_notice.body``) stays in YAML/JSON.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from gongwen.ledger.columns import BY_KEY
from gongwen.models.enums import AssistKind, Round, Signing
from gongwen.models.proposer import Proposer
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.output.atomic import atomic_write

__all__ = ["EXTRA_KEYS", "LEDGER_KEYS", "ledger_rows", "write_ledger"]

#: The columns written, in order.
LEDGER_KEYS: tuple[str, ...] = (
    "kind",
    "session",
    "number",
    "title",
    "proposers",
    "category",
    "role",
    "lead_unit",
    "co_units",
    "assigned_date",
    "key",
    "consent_publish",
    "region",
    "doc_number",
    "reply_date",
    "result_class",
    "class_reason",
    "disclosure",
    "disclosure_reason",
    "reply_title",
    "co_opinions",
    "re_doc_number",
    "re_date",
    "re_class",
    "re_contact_method",
    "re_contact_date",
    "re_body",
    "contact_method",
    "contact_date",
    "attitude",
    "result",
    "pertinence",
    "opinion",
    "feedback_date",
    "body",
)
#: Columns written after :data:`LEDGER_KEYS` when any record has a value for them.
EXTRA_KEYS: tuple[str, ...] = (
    "unit",
    "joint_units",
    "seconders",
    "merged_numbers",
    "uploaded_on",
    "re_kind",
    "case_text",
    "case_attachments",
    "time_limit",
    "extended_to",
    "extension_reason",
    "notice_date",
    "notice_doc_number",
)


def _proposer_cell(record: CaseRecord) -> str:
    names = []
    for p in _listed(record)[0]:
        if p.collective and not _auto_collective(p.name):
            names.append(f"{p.name}（集体）")
        else:
            names.append(p.name)
    unnamed = sum(p.unnamed_cosigners for p in record.case.proposers)
    if unnamed:  # ``张建国等3人``, as offices write it
        return f"{'、'.join(names)}等{len(names) + unnamed}人"
    return "、".join(names)


def _listed(record: CaseRecord) -> tuple[list[Proposer], list[Proposer]]:
    """The proposers of the 提案人 column and those of the 附议人 column (the proposers marked
    附议 after the last one that is not; none unless some proposer is marked)."""
    ps = list(record.case.proposers)
    cut = len(ps)
    while cut > 1 and ps[cut - 1].signing is Signing.SECONDER:
        cut -= 1
    return ps[:cut], ps[cut:]


def _auto_collective(name: str) -> bool:
    from gongwen.ledger.cells import COLLECTIVE_PREFIXES, COLLECTIVE_SUFFIXES

    return name.endswith(COLLECTIVE_SUFFIXES) or name.startswith(COLLECTIVE_PREFIXES)


def _ratings(record: CaseRecord, attr: str) -> str | None:
    forms = [f for f in record.feedback if f.round is Round.FIRST]
    values = [(f.proposer, getattr(f, attr)) for f in forms if getattr(f, attr) is not None]
    if not values:
        return None
    lead = record.case.lead.name
    if len(values) == 1 and values[0][0] == lead:
        return str(values[0][1].value)
    return "；".join(f"{name}：{value.value}" for name, value in values)


def _row(record: CaseRecord) -> dict[str, Any]:
    c, r = record.case, record.reply
    first = [f for f in record.feedback if f.round is Round.FIRST]
    row: dict[str, Any] = {
        "kind": c.kind.value,
        "session": c.session.display,
        "number": c.number,
        "title": c.title,
        "proposers": _proposer_cell(record),
        "category": c.category,
        "role": c.role.value,
        "lead_unit": c.lead_unit,
        "co_units": "、".join(c.co_units) or None,
        "assigned_date": c.assigned_date,
        "key": "是" if c.key else "否",
        "consent_publish": None
        if c.consent_publish is None
        else ("是" if c.consent_publish else "否"),
        "region": c.session.region,
        "attitude": _ratings(record, "attitude"),
        "result": _ratings(record, "result"),
        "pertinence": _ratings(record, "pertinence"),
        "opinion": next((f.opinion for f in first if f.opinion), None),
        "feedback_date": next((f.date for f in first if f.date), None),
    }
    methods = [f.contact_method for f in first if f.contact_method]
    seconders = _listed(record)[1]
    if seconders:
        row["seconders"] = "、".join(p.name for p in seconders)
    if c.unit is not None:
        row["unit"] = c.unit
    if c.joint_units:
        row["joint_units"] = "、".join(c.joint_units)
    if c.merged_numbers:
        row["merged_numbers"] = "、".join(str(n) for n in c.merged_numbers)
    if c.text:
        row["case_text"] = c.text
    if c.attachments:
        row["case_attachments"] = "、".join(c.attachments)
    if c.time_limit_months is not None:
        row["time_limit"] = c.time_limit_months
    if c.extended_to is not None:
        row["extended_to"] = c.extended_to
        row["extension_reason"] = c.extension_reason
    if c.extension_notice is not None:
        row["notice_date"] = c.extension_notice.date
        if c.extension_notice.doc_number is not None:
            row["notice_doc_number"] = str(c.extension_notice.doc_number)
    if c.assist_kind is AssistKind.JOINT:
        row["role"] = c.assist_kind.value
    if r is not None:
        row.update(
            {
                "doc_number": str(r.doc_number),
                "reply_date": r.date,
                "result_class": r.result_class,
                "class_reason": r.class_reason,
                "disclosure": r.disclosure,
                "disclosure_reason": r.disclosure_reason,
                "reply_title": r.title,
                "co_opinions": "\n".join(f"{o.unit}：{o.summary}" for o in r.co_opinions) or None,
                "body": r.body,
            }
        )
        if r.uploaded_on is not None:
            row["uploaded_on"] = r.uploaded_on
        later = record.rounds[1:]
        if later:
            rh = later[0].reply
            if later[0].kind is Round.TRACKING:
                row["re_kind"] = Round.TRACKING.value
            row.update(
                {
                    "re_doc_number": str(rh.doc_number),
                    "re_date": rh.date,
                    "re_class": rh.result_class,
                    "re_body": rh.body,
                }
            )
            if rh.contacts:
                row["re_contact_method"] = rh.contacts[0].method.value
                row["re_contact_date"] = rh.contacts[0].date
        if r.contacts:
            row["contact_method"] = r.contacts[0].method.value
            row["contact_date"] = r.contacts[0].date
    if "contact_method" not in row and methods:
        row["contact_method"] = methods[0].value
    return row


def ledger_rows(source: HandlingYear | Iterable[CaseRecord]) -> list[dict[str, Any]]:
    """One dict per case, keyed by the canonical Chinese headers (dates as ``date``)."""
    records = source.cases if isinstance(source, HandlingYear) else source
    rows = [_row(rec) for rec in records]
    keys = _keys(rows)
    return [{BY_KEY[k].header: row.get(k) for k in keys} for row in rows]


def _keys(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    extra = tuple(k for k in EXTRA_KEYS if any(row.get(k) is not None for row in rows))
    return LEDGER_KEYS + extra


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def write_ledger(
    source: HandlingYear | Iterable[CaseRecord],
    path: str | os.PathLike[str],
    *,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write a ledger file by suffix: .xlsx (dates as Excel dates), .csv, .json or .yaml."""
    p = Path(path)
    rows = ledger_rows(source)
    headers = list(rows[0]) if rows else [BY_KEY[k].header for k in LEDGER_KEYS]
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("台账")
        ws.append(headers)
        for row in rows:
            ws.append([row[h] for h in headers])
        buf = io.BytesIO()
        wb.save(buf)
        return atomic_write(p, buf.getvalue())
    if suffix == ".csv":
        sio = io.StringIO(newline="")
        writer = csv.writer(sio, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_text(row[h]) for h in headers])
        return atomic_write(p, sio.getvalue().encode(encoding))
    plain = [
        {h: _text(v) if hasattr(v, "isoformat") else v for h, v in r.items() if v is not None}
        for r in rows
    ]
    if suffix == ".json":
        return atomic_write(p, json.dumps(plain, ensure_ascii=False, indent=2).encode("utf-8"))
    if suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, width=1000)
        return atomic_write(p, text.encode("utf-8"))
    raise ValueError(f"不支持的台账格式：{p.suffix}")
