"""Writing ledgers: CaseRecords → rows with the canonical Chinese headers (xlsx, csv, json, yaml).

Used to produce the example ledgers and test/benchmark inputs; a ledger carries the first-round
data of each case (the re-handling reply and its feedback stay in YAML/JSON year files).
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
from gongwen.models.enums import Round
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.output.atomic import atomic_write

__all__ = ["LEDGER_KEYS", "ledger_rows", "write_ledger"]

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


def _proposer_cell(record: CaseRecord) -> str:
    names = []
    for p in record.case.proposers:
        if p.collective and not _auto_collective(p.name):
            names.append(f"{p.name}（集体）")
        else:
            names.append(p.name)
    unnamed = sum(p.unnamed_cosigners for p in record.case.proposers)
    if unnamed:  # ``张建国等3人``, as offices write it
        return f"{'、'.join(names)}等{len(names) + unnamed}人"
    return "、".join(names)


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
        if record.rehandling is not None:
            rh = record.rehandling
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
    out = []
    for rec in records:
        row = _row(rec)
        out.append({BY_KEY[k].header: row.get(k) for k in LEDGER_KEYS})
    return out


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
    headers = [BY_KEY[k].header for k in LEDGER_KEYS]
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
