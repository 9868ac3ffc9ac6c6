"""Reading ledgers (台账: xlsx, csv, json, yaml) into CaseRecords with cell-precise problems.

>>> result = load_ledger("台账.xlsx", organisation=org)      # doctest: +SKIP
>>> for problem in result.problems: print(problem.where, problem.message)  # doctest: +SKIP
第5行 D列（交办日期） 无法识别的日期"2024.13.01"
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongwen.findings import Finding, Severity, Subject
from gongwen.ledger.build import CaseKey, RowBuilder, case_key
from gongwen.ledger.columns import COLUMNS, Column, column_for, columns_markdown
from gongwen.ledger.export import ledger_rows, write_ledger
from gongwen.ledger.numbering import Assignment, NumberSlot, assign_numbers
from gongwen.ledger.read import LedgerError, open_table, read_problems
from gongwen.ledger.session import parse_session
from gongwen.ledger.years import handling_year
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear

__all__ = [
    "COLUMNS",
    "Assignment",
    "CaseKey",
    "Column",
    "LedgerError",
    "LedgerReader",
    "LedgerResult",
    "LedgerRow",
    "NumberSlot",
    "RowBuilder",
    "assign_numbers",
    "case_key",
    "column_for",
    "columns_markdown",
    "handling_year",
    "ledger_rows",
    "load_ledger",
    "number_ledger",
    "open_ledger",
    "parse_session",
    "write_ledger",
]


@dataclass(frozen=True)
class LedgerRow:
    """One non-blank row: its number, the record (None when a cell is bad) and its problems."""

    row: int
    record: CaseRecord | None
    problems: tuple[Finding, ...] = ()


@dataclass
class LedgerResult:
    """Every good row's record and every problem found, in row order."""

    records: list[tuple[int, CaseRecord]] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    #: Numbers given to replies the ledger left without 发文字号 (empty when none was needed).
    numbers: Assignment = field(default_factory=lambda: Assignment({}, {}))
    #: Builds rows and places check findings on the ledger's cells (:meth:`RowBuilder.locate`).
    builder: RowBuilder | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Finding]:
        """Problems that stopped a row from being read."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Problems reported but not blocking (e.g. an unknown column, ignored)."""
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when no row had an error."""
        return not self.errors

    def year(
        self, year: int | None = None, organisation: Organisation | None = None
    ) -> HandlingYear:
        """The good records as a HandlingYear (year: given, or from the cases' 交办日期).

        Raises :class:`LedgerError` when no year is given and there is no good record.
        """
        if year is None:
            year = handling_year(r for _, r in self.records)
        return HandlingYear(
            year=year, organisation=organisation, cases=tuple(r for _, r in self.records)
        )


class LedgerReader:
    """A ledger opened for streaming: header checked, rows read one at a time on iteration."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        bodies: str | os.PathLike[str] | None = None,
        organisation: Organisation | None = None,
        sheet: str | None = None,
    ) -> None:
        _check_args(bodies, organisation, sheet)
        table = open_table(path, sheet=sheet)
        self.path = Path(path)
        self._bodies = Path(bodies) if bodies is not None else None
        self._org = organisation
        self.encoding = table.encoding
        self._table = table
        self._builder = RowBuilder(
            table.headers,
            sheet=table.sheet,
            header_row=table.header_row,
            organisation=organisation,
            bodies=self._bodies,
        )
        self.header_problems: list[Finding] = [
            Finding(WORKBOOK, Severity.WARNING, Subject.LEDGER, "", w) for w in table.warnings
        ] + list(self._builder.header_problems)
        self.sheet_name = table.sheet_name
        self._used = False

    @property
    def builder(self) -> RowBuilder:
        """Turns raw rows into records (picklable: batch workers build rows with it)."""
        return self._builder

    @property
    def headers(self) -> list[str | None]:
        """The header cells as read."""
        return self._table.headers

    def raw_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """The rows as ``(row number, cell values)``, unbuilt (for :meth:`RowBuilder.make`)."""
        if self._used:
            raise RuntimeError("LedgerReader can be iterated only once; open the ledger again")
        self._used = True
        return self._table.rows

    def __iter__(self) -> Iterator[LedgerRow]:
        for number, values in self.raw_rows():
            unread = read_problems(self._builder, number, values)
            if unread:
                yield LedgerRow(number, None, tuple(unread))
                continue
            record, problems = self._builder.build(number, values)
            if record is None and not problems:
                continue
            yield LedgerRow(number, record, tuple(problems))

    def number(self, previous: Mapping[str, str] | None = None) -> Assignment:
        """Number the replies without 发文字号 (reads the rows, so the reader is used up).

        Give the result to the builder of a fresh reader: ``builder.numbers = a.by_row``.
        """
        if self._org is None:
            return Assignment({}, {})
        slots: list[NumberSlot] = []
        for number, values in self.raw_rows():
            slots += self._builder.number_slots(number, values)
        return assign_numbers(slots, self._org, previous)


#: A warning about the workbook itself (e.g. hidden worksheets that were not read).
WORKBOOK = "L110"


def _check_args(bodies: object, organisation: object, sheet: object) -> None:
    from gongwen.errors import ArgumentError

    if bodies is not None and not isinstance(bodies, str | os.PathLike):
        raise ArgumentError(
            f"参数 bodies 应为文件夹路径，收到 {type(bodies).__name__}", argument="bodies"
        )
    if organisation is not None and not isinstance(organisation, Organisation):
        raise ArgumentError(
            f"参数 organisation 应为承办单位（Organisation），收到 {type(organisation).__name__}",
            argument="organisation",
        )
    if sheet is not None and not isinstance(sheet, str):
        raise ArgumentError(
            f"参数 sheet 应为工作表名（文本），收到 {type(sheet).__name__}", argument="sheet"
        )


def open_ledger(
    path: str | os.PathLike[str],
    *,
    bodies: str | os.PathLike[str] | None = None,
    organisation: Organisation | None = None,
    sheet: str | None = None,
) -> LedgerReader:
    """Open a ledger for streaming (memory does not grow with its length). Raises LedgerError."""
    return LedgerReader(path, bodies=bodies, organisation=organisation, sheet=sheet)


def number_ledger(
    path: str | os.PathLike[str],
    organisation: Organisation,
    *,
    bodies: str | os.PathLike[str] | None = None,
    previous: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> Assignment:
    """The numbers a ledger's unnumbered replies take (see :mod:`gongwen.ledger.numbering`)."""
    reader = open_ledger(path, bodies=bodies, organisation=organisation, sheet=sheet)
    return reader.number(previous)


def load_ledger(
    path: str | os.PathLike[str],
    *,
    bodies: Path | None = None,
    organisation: Organisation | None = None,
    sheet: str | None = None,
    numbers: Assignment | bool = True,
) -> LedgerResult:
    """Read a whole ledger: the records of good rows and every problem (header, cells, rows).

    ``bodies`` is a folder of reply texts named by case (``提案008.txt``, ``提案8.txt``,
    ``008.txt`` or ``8.txt``), used when the ``答复正文`` cell is empty. ``organisation`` gives
    the class scheme for ``答复类别`` and the codes for a bare-serial ``发文字号``. Raises
    :class:`LedgerError` only when the file itself cannot be read. ``sheet``: the worksheet of
    an .xlsx (default: the active one; hidden sheets are named in a warning).

    Replies without 发文字号 are numbered from the organisation's series (``numbers``: True, or
    an :class:`Assignment` made earlier, e.g. by a batch); with ``numbers=False`` or without an
    organisation they keep a blank number (``临经信函〔2024〕  号``).
    """
    assignment = Assignment({}, {})
    if isinstance(numbers, Assignment):
        assignment = numbers
    elif numbers and organisation is not None:
        assignment = number_ledger(path, organisation, bodies=bodies, sheet=sheet)
    reader = open_ledger(path, bodies=bodies, organisation=organisation, sheet=sheet)
    reader.builder.numbers = assignment.by_row
    result = LedgerResult(
        problems=list(reader.header_problems), numbers=assignment, builder=reader.builder
    )
    for row in reader:
        result.problems.extend(row.problems)
        if row.record is not None:
            result.records.append((row.row, row.record))
    return result
