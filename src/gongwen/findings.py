"""The one problem type: a finding of a rule, a ledger cell or the verifier.

Every stage that judges input or output reports :class:`Finding` objects: the pre-render rules
(``GW…``), the ledger reader (``L…``, with row, column letter and the ledger's own header), the
docx verifier (``D…``), the page verifier (``P…``, on the printed pages). Positions are fields,
never parsed back out of display text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Finding", "Problem", "Severity", "Subject", "has_errors"]


class Severity(StrEnum):
    """How serious a finding is. Errors stop rendering."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """Chinese label: 错误/警告/提示."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Subject(StrEnum):
    """What a finding is about."""

    CASE = "case"
    REPLY = "reply"
    FEEDBACK = "feedback"
    YEAR = "year"
    DOCX = "docx"
    LEDGER = "ledger"
    PAGE = "page"  # the printed pages of a docx laid out by LibreOffice (rules P…)


@dataclass(frozen=True)
class Problem:
    """What a rule function yields: where, what, optionally a safe fix (the corrected value).

    ``severity`` lets one problem be softer or harder than its rule's default (a configured
    override still wins).
    """

    path: str
    message: str
    fix: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True)
class Finding:
    """A finding about one input, ready to show or serialise.

    ``path`` names the model field (``reply.date``); for a ledger, ``row`` is the spreadsheet
    row (or the record number of a JSON/YAML ledger, ``sheet`` False), ``column`` the column
    letter and ``header`` the ledger's own column header.
    """

    code: str
    severity: Severity
    subject: Subject
    path: str
    message: str
    fix: str | None = None
    case: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    sheet: bool = True

    @property
    def where(self) -> str:
        """The ledger position in office words: ``第5行 D列（交办日期）``, or ``""``."""
        if self.row is None:
            return ""
        where = f"第{self.row}行" if self.sheet else f"第{self.row}条"
        if self.column and self.header:
            return f"{where} {self.column}列（{self.header}）"
        if self.header:
            return f"{where}（{self.header}）"
        if self.column:
            return f"{where} {self.column}列"
        return where

    @property
    def cell(self) -> str:
        """The position inside the row: ``D列（交办日期）``, ``（交办日期）`` or ``""``."""
        if self.column and self.header:
            return f"{self.column}列（{self.header}）"
        if self.header:
            return f"（{self.header}）"
        return f"{self.column}列" if self.column else ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form for other systems."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "subject": self.subject.value,
            "path": self.path,
            "message": self.message,
            "fix": self.fix,
            "case": self.case,
            "row": self.row,
            "column": self.column,
            "header": self.header,
        }

    def __str__(self) -> str:
        where = f"{self.where} " if self.row is not None else ""
        where += f"{self.case} " if self.case else ""
        return f"{where}[{self.code} {self.severity.label}] {self.path}: {self.message}"


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity is Severity.ERROR for f in findings)
