"""One check pipeline: read an input (a ledger, a year file or a case file) and run exactly the
rules a batch runs — the case rules on each case, and the year rules on a ledger or a year.

``gongwen check``, ``gongwen batch`` and the API all call these functions::

    inp = load_input(Path("台账.xlsx"), organisation=org, bodies=Path("正文"))
    findings = check_input(inp, org, today=date(2024, 12, 31))

Findings about a ledger's case carry its row, the column (letter and the ledger's own header)
and messages in the ledger's words (:meth:`gongwen.ledger.RowBuilder.locate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gongwen.checks import check_record
from gongwen.errors import InputError, LedgerError, format_validation_error
from gongwen.findings import Finding
from gongwen.ledger import RowBuilder, number_ledger, open_ledger
from gongwen.ledger.build import UNDATED_CONTACT
from gongwen.ledger.files import read_data
from gongwen.ledger.read import read_problems
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear

__all__ = [
    "INPUT_LOADERS",
    "CheckInput",
    "InputLoader",
    "LoadOptions",
    "check_input",
    "load_data_file",
    "load_input",
    "load_ledger_input",
    "record_findings",
    "register_input_loader",
    "year_findings",
]


@dataclass(frozen=True)
class LoadOptions:
    """What reading an input may need: the organisation (class scheme, document number series)
    and the folder of reply texts for a ledger."""

    organisation: Organisation | None = None
    bodies: Path | None = None


@dataclass(frozen=True)
class CheckInput:
    """What a loader read: the case records, an embedded organisation, and source rows.

    ``rows[i]`` is the ledger row of ``records[i]`` (empty for YAML/JSON inputs); findings about
    that record carry it. ``findings``: what reading found (bad cells, unknown columns, and the
    warnings of good rows). ``cells``: the text of a ledger's cells by (row, column letter), to
    show the value a finding is about. ``builder``: places findings on a ledger's cells.
    """

    kind: str
    records: list[CaseRecord]
    organisation: Organisation | None = None
    rows: list[int | None] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cells: dict[tuple[int, str], str] = field(default_factory=dict)
    builder: RowBuilder | None = None


InputLoader = Callable[[Path, LoadOptions], CheckInput]
#: Loaders by lower-case file suffix.
INPUT_LOADERS: dict[str, InputLoader] = {}


def register_input_loader(*suffixes: str) -> Callable[[InputLoader], InputLoader]:
    """Register a loader for files with these suffixes (``".xlsx"``); raises ``InputError``."""

    def deco(fn: InputLoader) -> InputLoader:
        for s in suffixes:
            INPUT_LOADERS[s.lower()] = fn
        return fn

    return deco


def _validate(model: type[HandlingYear] | type[CaseRecord], data: Any, path: Path) -> Any:
    try:
        # relative attachment files resolve against the file's folder
        return model.model_validate(data, context={"base_dir": path.parent})
    except ValidationError as exc:
        raise InputError(f"{path} 内容有误：\n{format_validation_error(exc)}") from None


_SHOWN = 60  # characters of a cell shown beside a finding


@register_input_loader(".xlsx", ".xlsm", ".csv")
def load_ledger_input(path: Path, options: LoadOptions) -> CheckInput:
    """A ledger: records with their row numbers, every cell problem and row warning.

    With an organisation, replies without 发文字号 are numbered as a batch numbers them.
    """
    org = options.organisation
    try:
        reader = open_ledger(path, bodies=options.bodies, organisation=org)
        if org is not None:
            numbers = number_ledger(path, org, bodies=options.bodies)
            reader.builder.numbers = numbers.by_row
        findings: list[Finding] = list(reader.header_problems)
        records: list[CaseRecord] = []
        rows: list[int | None] = []
        cells: dict[tuple[int, str], str] = {}
        builder = reader.builder
        for number, values in reader.raw_rows():
            unread = read_problems(builder, number, values)
            if unread:  # a cell the reader could not take (merged, cut off …), as a batch says
                findings.extend(unread)
                continue
            record, problems = builder.build(number, values)
            if record is None and not problems:
                continue
            findings.extend(problems)
            for f in problems:
                _keep_cell(cells, builder, number, values, f)
            if record is not None:
                records.append(record)
                rows.append(number)
                for i, v in enumerate(values):  # the cells a check finding may point at
                    if v is not None and str(v).strip():
                        letter = builder.letter_of(i)
                        if letter is not None:
                            cells[(number, letter)] = _shown(v)
    except LedgerError as exc:
        raise InputError(str(exc)) from None
    return CheckInput("ledger", records, None, rows, findings, cells, builder)


def _shown(value: Any) -> str:
    """A cell's value as shown beside a finding: its first line, cut short."""
    text = str(value).strip()
    first = text.split("\n", 1)[0].strip()
    if len(first) > _SHOWN or first != text:
        return first[:_SHOWN] + "…"
    return first


def _keep_cell(
    cells: dict[tuple[int, str], str],
    builder: RowBuilder,
    row: int,
    values: list[Any],
    f: Finding,
) -> None:
    if f.column is None:
        return
    i = builder.index_of(f.column)
    if i is not None and i < len(values) and values[i] is not None:
        cells[(row, f.column)] = _shown(values[i])


@register_input_loader(".yaml", ".yml", ".json")
def load_data_file(path: Path, options: LoadOptions) -> CheckInput:
    """A YAML/JSON case file (``case``, ``reply``, ``feedback``, ``rehandling``), a year file,
    or a ledger written as a list of rows."""
    data = read_data(path)
    if isinstance(data, list):
        if str(path) == "-":
            raise InputError("台账（行记录的列表）请以文件给出，不能从标准输入读取")
        return load_ledger_input(path, options)
    if isinstance(data, dict) and ("cases" in data or "year" in data):
        year: HandlingYear = _validate(HandlingYear, data, path)
        return CheckInput("year", list(year.cases), year.organisation)
    if isinstance(data, dict) and "case" in data:
        record: CaseRecord = _validate(CaseRecord, data, path)
        return CheckInput("case", [record])
    raise InputError(
        f"无法识别 {path} 的内容：单件文件应包含 case（及 reply、feedback），"
        "年度文件应包含 year 和 cases，台账应为行记录的列表"
    )


def load_input(
    path: Path, *, organisation: Organisation | None = None, bodies: Path | None = None
) -> CheckInput:
    """Read ``path`` with the loader registered for its suffix (raises ``InputError``).

    ``-`` reads a case or year file (JSON or YAML, told apart by content) from standard input.
    """
    if str(path) == "-":
        return load_data_file(path, LoadOptions(organisation, bodies))
    loader = INPUT_LOADERS.get(path.suffix.lower())
    if loader is None:
        known = "、".join(sorted(INPUT_LOADERS))
        raise InputError(f"不支持的文件类型“{path.suffix or path.name}”，可用：{known}")
    return loader(path, LoadOptions(organisation, bodies))


def record_findings(
    record: CaseRecord,
    org: Organisation,
    *,
    today: date | None = None,
    row: int | None = None,
    builder: RowBuilder | None = None,
    warnings: Iterable[Finding] = (),
    known: Iterable[Finding] = (),
) -> list[Finding]:
    """The case rules on one record (what a batch runs per case): the reading's ``warnings``
    first, then each rule's finding, placed on the ledger's cells when ``builder`` is given.
    ``known``: the reading's findings about the row, already reported elsewhere."""
    out = [*warnings]
    undated = {w.path for w in (*out, *known) if w.code == UNDATED_CONTACT}
    for f in check_record(record, org, today=today):
        if builder is not None:
            out.append(builder.contact_unknown(builder.locate(f, row), undated))
        else:
            out.append(f if row is None else _with_row(f, row))
    return out


def _with_row(f: Finding, row: int) -> Finding:
    from dataclasses import replace

    return replace(f, row=row)


def check_input(
    inp: CheckInput,
    org: Organisation,
    today: date | None = None,
    *,
    narrative: str = "",
    report_date: date | None = None,
) -> list[Finding]:
    """Every rule a batch runs on ``inp``: problems the loader found come first, then the case
    rules on each record, then — for a ledger or a year — the year rules with the report's
    ``narrative`` at ``report_date`` (default ``today``, as the batch's report)."""
    out: list[Finding] = list(inp.findings)
    by_row: dict[int, list[Finding]] = {}
    for f in inp.findings:
        if f.row is not None:
            by_row.setdefault(f.row, []).append(f)
    for i, rec in enumerate(inp.records):
        row = inp.rows[i] if i < len(inp.rows) else None
        known = by_row.get(row, []) if row is not None else []
        out.extend(
            record_findings(rec, org, today=today, row=row, builder=inp.builder, known=known)
        )
    if inp.kind in ("ledger", "year") and inp.records:
        out.extend(year_findings(inp.records, org, narrative, today, report_date))
    return out


def year_findings(
    records: list[CaseRecord],
    org: Organisation,
    narrative: str = "",
    today: date | None = None,
    report_date: date | None = None,
) -> list[Finding]:
    """The year rules on the records (the rules a batch's annual report is held to)."""
    from gongwen.checks.rules.year import check_year
    from gongwen.ledger import handling_year

    try:
        number = handling_year(records)
    except LedgerError:
        return []
    year = HandlingYear(year=number, organisation=org, cases=tuple(records))
    as_of = report_date or today or date.today()
    return check_year(year, org, narrative, today, as_of=as_of)
