"""A batch's document numbers: the replies a ledger leaves without 发文字号 are numbered before
the checks (so checks, documents and input hashes all see the final numbers) and the numbers
are recorded in ``numbers.json`` beside ``manifest.json``: a re-run gives the same numbers.

The series and the assignment are :mod:`gongwen.ledger.numbering`; this module keeps the record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from gongwen.ledger import Assignment
from gongwen.models.organisation import Organisation
from gongwen.output.atomic import atomic_write

__all__ = ["NUMBERS_NAME", "read_numbers", "write_numbers"]

#: The record of the numbers a batch gave, in the output folder.
NUMBERS_NAME = "numbers.json"


def read_numbers(out_dir: Path | None) -> dict[str, str]:
    """The numbers an earlier run gave (case in words → number text); empty when none."""
    if out_dir is None:
        return {}
    path = out_dir / NUMBERS_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # unreadable: numbered afresh (and written again)
    numbers = data.get("numbers") if isinstance(data, dict) else None
    if not isinstance(numbers, dict):
        return {}
    return {str(k): str(v) for k, v in numbers.items() if isinstance(v, str)}


def write_numbers(
    out_dir: Path, assignment: Assignment, previous: Mapping[str, str], org: Organisation
) -> Path | None:
    """Record the numbers given (with those of earlier runs); None when there is nothing new."""
    merged = {**previous, **assignment.numbers}
    if not assignment.numbers or merged == dict(previous):
        return None
    payload = {
        "organisation": org.name,
        "updated": datetime.now().isoformat(timespec="seconds"),
        "note": "台账未填发文字号的答复按此编号；重新生成时沿用。填回台账后可删除本文件。",
        "numbers": merged,
    }
    data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    return atomic_write(out_dir / NUMBERS_NAME, data)  # OutputError (Chinese) on failure


def export_numbered(
    ledger: Path,
    target: Path,
    org: Organisation,
    numbers: Assignment,
    *,
    bodies: Path | None = None,
) -> Path:
    """Write the ledger's good rows, with the numbers given, as a ledger file ``target``
    (.xlsx/.csv/.json/.yaml, see :func:`gongwen.ledger.write_ledger`): staff keep it as the
    numbered ledger. Raises ``LedgerError`` / ``OutputError`` (Chinese messages)."""
    from gongwen.ledger import load_ledger, write_ledger

    if target.resolve() == ledger.resolve():
        raise ValueError(f"编号后的台账不能覆盖原台账：{target}")
    result = load_ledger(ledger, bodies=bodies, organisation=org, numbers=numbers)
    return write_ledger([r for _, r in result.records], target)
