"""What a batch reads: a ledger path, a year file, a HandlingYear, a LedgerResult or records.

Each becomes numbered items ``(index, row, payload, problems)``: a ledger row's raw cells (built
where it is checked or rendered, so this process never builds records), a CaseRecord, or None
for a row already known to be bad.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from gongwen.errors import ArgumentError, LedgerError
from gongwen.findings import Finding, Severity
from gongwen.ledger import LedgerResult, RowBuilder, open_ledger
from gongwen.ledger.files import read_data
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear

__all__ = ["Item", "Payload", "Source", "Sources"]

Source = str | os.PathLike[str] | HandlingYear | LedgerResult | Iterable[CaseRecord]
Payload = list[Any] | CaseRecord | None
Item = tuple[int, int | None, Payload, tuple[Finding, ...]]


def _year_file(path: Path) -> HandlingYear | None:
    """A YAML/JSON year file (``year`` + ``cases``) is a source too; a list of rows is a ledger."""
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return None
    from gongwen.ledger.files import load_year

    data = read_data(path)
    if isinstance(data, dict) and "cases" in data:
        return load_year(path)
    return None


def _ledger_result_rows(
    src: LedgerResult,
) -> Iterator[tuple[int | None, Payload, tuple[Finding, ...]]]:
    by_row: dict[int, list[Finding]] = {}
    for p in src.problems:
        if p.severity is Severity.ERROR and p.row is not None:
            by_row.setdefault(p.row, []).append(p)
    for row, rec in src.records:
        yield row, rec, ()
    for row, problems in by_row.items():
        yield row, None, tuple(problems)


class Sources:
    """A batch's input, readable more than once (a ledger file is opened again each time)."""

    def __init__(
        self,
        source: Source,
        org: Organisation,
        bodies: str | os.PathLike[str] | None,
        sheet: str | None = None,
    ) -> None:
        self.org = org
        self.bodies = bodies
        self.sheet = sheet
        self.path: Path | None = None
        self.year: HandlingYear | None = None  # a year given or read from a year file
        self._records: list[CaseRecord] | LedgerResult | None = None
        self.builder: RowBuilder | None = None
        self.header_problems: list[Finding] = []
        self._headers: list[str | None] | None = None
        self._spill: IO[bytes] | None = None  # the rows of the last whole reading of the ledger
        self._spilled = False
        if isinstance(source, HandlingYear):
            self.year = source
        elif isinstance(source, LedgerResult):
            self._records = source
        elif isinstance(source, str | os.PathLike):
            self.path = Path(source)
            self.year = _year_file(self.path)
        elif isinstance(source, Iterable) and not isinstance(source, bytes | dict):
            self._records = list(source)  # an iterable can be read only once
            for i, rec in enumerate(self._records, start=1):
                if not isinstance(rec, CaseRecord):
                    raise ArgumentError(
                        f"参数 source 的第{i}项应为案件记录（CaseRecord），"
                        f"收到 {type(rec).__name__}",
                        argument="source",
                    )
        else:
            raise ArgumentError(
                "参数 source 应为台账或年度文件的路径、HandlingYear、LedgerResult 或一组 "
                f"CaseRecord，收到 {type(source).__name__}",
                argument="source",
            )

    @property
    def ledger_path(self) -> Path | None:
        """The ledger file read row by row (None for records, a year or a year file)."""
        return self.path if self.year is None else None

    def items(self, *, again: bool = False) -> Iterator[Item]:
        """Every row in order, numbered: raw ledger cells, records, or known-bad rows.

        A ledger's cells are kept in a temporary file as they are read; ``again`` reads them
        from there (the same cells, without parsing the ledger a second time) when the last
        reading went to the end.
        """
        rows: Iterable[tuple[int | None, Payload, tuple[Finding, ...]]]
        if self.year is not None:
            rows = ((None, rec, ()) for rec in self.year.cases)
        elif isinstance(self._records, LedgerResult):
            rows = _ledger_result_rows(self._records)
        elif self._records is not None:
            rows = ((None, rec, ()) for rec in self._records)
        elif again and self._spill is not None and self._spilled:
            rows = self._read_spill(self._spill)
        else:
            rows = self._ledger_rows(spill=True)
        for i, (row, payload, problems) in enumerate(rows):
            yield i, row, payload, problems

    @staticmethod
    def _read_spill(
        spill: IO[bytes],
    ) -> Iterator[tuple[int | None, Payload, tuple[Finding, ...]]]:
        spill.seek(0)
        while True:
            try:
                number, values = pickle.load(spill)
            except EOFError:
                return
            yield number, values, ()

    def close(self) -> None:
        """Remove the temporary copy of the ledger's cells."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        self._spilled = False

    def _ledger_rows(
        self, *, spill: bool = False
    ) -> Generator[tuple[int | None, Payload, tuple[Finding, ...]], None, None]:
        assert self.path is not None
        reader = open_ledger(self.path, bodies=self.bodies, organisation=self.org, sheet=self.sheet)
        if self._headers is None:
            self.header_problems = reader.header_problems
            self._headers = reader.headers
            self.builder = reader.builder
        elif reader.headers != self._headers:
            raise LedgerError(f"台账在生成过程中被修改（表头变了）：{self.path}")
        if not spill:
            for number, values in reader.raw_rows():
                yield number, values, ()
            return
        self.close()
        self._spill = out = tempfile.TemporaryFile(prefix="gongwen-rows-")  # noqa: SIM115 (closed by close())
        for number, values in reader.raw_rows():
            pickle.dump((number, values), out, protocol=pickle.HIGHEST_PROTOCOL)
            yield number, values, ()
        out.flush()
        self._spilled = True

    def open(self) -> None:
        """Read the ledger's header now (the workers need its row builder before they start)."""
        if self.ledger_path is not None and self.builder is None:
            rows = self._ledger_rows()
            next(rows, None)
            rows.close()
