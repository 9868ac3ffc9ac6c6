"""What a batch run gives back: one :class:`BatchResult` per output (or skipped row/case)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gongwen.findings import Finding

__all__ = ["STATUS_LABELS", "BatchResult", "Status"]

Status = Literal["written", "unchanged", "kept", "failed", "invalid"]

STATUS_LABELS: dict[str, str] = {
    "written": "已生成",
    "unchanged": "已完成（跳过）",
    "kept": "已存在，未覆盖",
    "failed": "未生成（有错误）",
    "invalid": "台账行有误",
}

#: The statuses of an output that exists afterwards.
OK_STATUSES = frozenset({"written", "unchanged", "kept"})


@dataclass(frozen=True)
class BatchResult:
    """One output (or one skipped case/row) of a batch run.

    ``findings``: the check findings of the case (warnings of a written one, errors of a failed
    one); ``problems``: the ledger findings of an invalid row (with row, column and header).
    """

    status: Status
    kind: str = ""
    case: str | None = None
    row: int | None = None
    name: str | None = None
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    sha256: str | None = None
    message: str = ""
    findings: tuple[Finding, ...] = ()
    problems: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the output exists (written now, earlier, or kept)."""
        return self.status in OK_STATUSES

    def __str__(self) -> str:
        where = f"第{self.row}行 " if self.row else ""
        what = self.name or self.case or ""
        text = f"{where}{what} {STATUS_LABELS[self.status]}"
        return f"{text}：{self.message}" if self.message else text
