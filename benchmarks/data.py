"""Benchmark inputs: N distinct reply letters built from the example year."""

from __future__ import annotations

from pathlib import Path

from gongwen.ledger import write_ledger
from gongwen.ledger.files import load_organisation, load_year
from gongwen.models import CaseRecord, HandlingRole, Organisation

ROOT = Path(__file__).resolve().parents[1]


def organisation() -> Organisation:
    """The example organisation."""
    return load_organisation(ROOT / "examples" / "organisation.yaml")


def records(n: int) -> list[CaseRecord]:
    """``n`` valid case records, one reply letter each (distinct 届次 keep the 案号 unique)."""
    year = load_year(ROOT / "examples" / "year2024.yaml")
    base = [
        r.model_copy(update={"feedback": (), "rehandling": None})
        for r in year.cases
        if r.reply is not None and r.case.role is not HandlingRole.ASSIST
    ]
    out = []
    for i in range(n):
        rec = base[i % len(base)]
        k = i // len(base)
        session = rec.case.session.model_copy(update={"term": 1 + k % 99, "meeting": 1 + k // 99})
        out.append(
            rec.model_copy(update={"case": rec.case.model_copy(update={"session": session})})
        )
    return out


def ledger(n: int, folder: Path, suffix: str = ".csv") -> Path:
    """A ledger of ``n`` rows in ``folder`` (CSV, or ``.xlsx``; made once per size)."""
    path = folder / f"ledger{n}{suffix}"
    if not path.exists():
        write_ledger(records(n), path)
    return path
