"""What the pages do, without HTTP: import, case states, checks, documents, previews, zips.

Every function takes the :class:`~gongwen.web.state.WebState` (its store, organisation and warm
converter) and calls the library as the CLI does: :mod:`gongwen.inputs` to read, the one rule
set (:func:`gongwen.checks.check_record`, :func:`gongwen.inputs.year_findings`), the one render
path (:mod:`gongwen.api`), :func:`gongwen.batch.render_all` for the zip with its manifest.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from gongwen.checks import check_record
from gongwen.checks.fixes import FIXABLE, apply_fixes
from gongwen.documents.plan import DocKind, PlannedDocument, case_documents
from gongwen.errors import InputError, LedgerError
from gongwen.findings import Finding, Severity
from gongwen.inputs import CheckInput, load_input, year_findings
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.store import Store
from gongwen.web.state import WebState

#: Suffixes accepted for the ledger or year file, and for the organisation file.
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".json", ".yaml", ".yml")
ORG_SUFFIXES = (".yaml", ".yml", ".json")


class CaseState(StrEnum):
    """A case's state in the list (the value is what the page shows)."""

    ERRORS = "有错误"
    WARNINGS = "有警告"
    READY = "可生成"
    GENERATED = "已生成"


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: int
    record: CaseRecord
    revision: int
    findings: tuple[Finding, ...]
    state: CaseState

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def answer_class(self) -> str:
        reply = self.record.final_reply  # the latest reply's class is the case's result
        return (reply.result_class or "") if reply is not None else ""

    @property
    def units(self) -> tuple[str, ...]:
        c = self.record.case
        return tuple(dict.fromkeys(([c.lead_unit] if c.lead_unit else []) + list(c.co_units)))


@dataclass(frozen=True)
class Imported:
    """What an upload read: the year to import, and every problem found while reading."""

    year: HandlingYear | None
    organisation: Organisation | None
    findings: tuple[Finding, ...]
    cells: dict[tuple[int, str], str]
    left_out: int  # ledger rows that could not be read (not imported)
    kind: str


def state_of(findings: Iterable[Finding], generated: bool) -> CaseState:
    """有错误 first; a case generated at its current revision is 已生成; then 有警告, 可生成."""
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return CaseState.ERRORS
    if generated:
        return CaseState.GENERATED
    if Severity.WARNING in severities:
        return CaseState.WARNINGS
    return CaseState.READY


def check_case(record: CaseRecord, org: Organisation) -> list[Finding]:
    """The case rules on one record (what ``gongwen check`` and a batch run per case)."""
    return check_record(record, org)


def fixable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that carry a safe fix :func:`apply_fixes` can apply."""
    return [f for f in findings if f.fix is not None and f.code in FIXABLE]


def with_fixes(record: CaseRecord, findings: Iterable[Finding]) -> CaseRecord:
    """``record`` with every safe fix of ``findings`` applied."""
    return apply_fixes(record, fixable(findings))


def case_rows(state: WebState) -> list[CaseRow]:
    """Every stored case with its findings and state."""
    org = state.organisation()
    rows = []
    for stored in state.store.cases():
        findings = check_case(stored.record, org)
        generated = state.generated_at(stored.id, stored.revision)
        rows.append(
            CaseRow(
                stored.id,
                stored.record,
                stored.revision,
                tuple(findings),
                state_of(findings, generated),
            )
        )
    return rows


# --------------------------------------------------------------------------- import


def read_upload(
    ledger: Path, organisation: Path | None, *, embedded: Organisation | None = None
) -> Imported:
    """Read an uploaded ledger or year file (and organisation file) as ``gongwen check`` does.

    Raises :class:`InputError` (Chinese message) when a file cannot be used at all.
    """
    from gongwen.ledger import handling_year
    from gongwen.ledger.files import load_model

    if ledger.suffix.lower() not in LEDGER_SUFFIXES:
        shown = ledger.suffix or ledger.name
        raise InputError(f"台账或年度文件应为 {'、'.join(LEDGER_SUFFIXES)} 之一，而不是“{shown}”")
    org: Organisation | None = embedded
    if organisation is not None:
        if organisation.suffix.lower() not in ORG_SUFFIXES:
            raise InputError(
                f"单位信息文件应为 {'、'.join(ORG_SUFFIXES)} 之一，而不是“{organisation.suffix}”"
            )
        org = load_model(Organisation, organisation, key="organisation")
    inp: CheckInput = load_input(ledger, organisation=org)
    org = org or inp.organisation
    findings = list(inp.findings)
    unread = {f.row for f in findings if f.row is not None and f.severity is Severity.ERROR}
    kept = set(r for r in inp.rows if r is not None)
    left_out = len(unread - kept)
    if not inp.records:
        return Imported(None, org, tuple(findings), dict(inp.cells), left_out, inp.kind)
    if inp.kind == "case":
        raise InputError("这是单件案件文件；请导入台账（xlsx/csv）或年度文件（含 year 和 cases）")
    try:
        number = handling_year(inp.records)
    except LedgerError as exc:
        raise InputError(str(exc)) from None
    try:
        year = HandlingYear(year=number, organisation=org, cases=tuple(inp.records))
    except ValueError as exc:
        raise InputError(f"台账中的案件无法组成一个年度：{exc}") from None
    if inp.kind == "year":
        from gongwen.ledger.files import load_year

        year = load_year(ledger)
        if org is not None:
            year = year.model_copy(update={"organisation": org})
    return Imported(year, org, tuple(findings), dict(inp.cells), left_out, inp.kind)


def demo_files() -> tuple[Path, Path, Path]:
    """The embedded example (as ``gongwen demo``): year file, organisation, narrative."""
    from gongwen.resources import example_path

    return (
        example_path("year2024.yaml"),
        example_path("organisation.yaml"),
        example_path("narrative2024.md"),
    )


# --------------------------------------------------------------------------- documents


def planned(record: CaseRecord) -> list[PlannedDocument]:
    """The documents the case yields (extension notice, reply or co-opinion, re-handling and
    follow-up replies, forms)."""
    return case_documents(record)


def reply_document(record: CaseRecord, target: str) -> PlannedDocument | None:
    """The planned letter of the reply ``target`` names (``reply``, ``rehandling``,
    ``follow-1`` …; see :mod:`gongwen.web.forms`)."""
    from gongwen.web.forms import target_reply

    reply = target_reply(record, target)
    if reply is None:
        return None
    for doc in case_documents(record, ("replies",)):
        if doc.reply is reply and doc.kind is not DocKind.EXTENSION:
            return doc
    return None


def render(
    record: CaseRecord, doc: PlannedDocument, org: Organisation, *, check: bool = True
) -> bytes:
    """The docx bytes of one planned document (checks first unless ``check`` is False)."""
    from gongwen.api import render_planned

    return render_planned(record, doc, org, check=check).data


def year_of(records: Iterable[CaseRecord], org: Organisation, number: int) -> HandlingYear:
    """The stored cases as one handling year."""
    return HandlingYear(year=number, organisation=org, cases=tuple(records))


def year_checks(
    year: HandlingYear, org: Organisation, narrative: str, report_date: date | None
) -> list[Finding]:
    """The year rules with the report's narrative (what ``gongwen check`` runs on a year)."""
    return year_findings(list(year.cases), org, narrative, None, report_date)


def batch_zip(
    year: HandlingYear,
    org: Organisation,
    narrative: str,
    report_date: date | None,
    what: Iterable[str] = ("replies", "forms", "report"),
) -> tuple[bytes, list[str]]:
    """Every reply, form and the report, made by the batch (with ``manifest.json``), zipped.

    Returns the zip and the batch's messages about what it could not make (errors of a case).
    """
    from gongwen.batch import render_all

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gongwen-web-") as tmp:
        out = Path(tmp) / "out"
        for result in render_all(
            year,
            org,
            out,
            what=what,
            narrative=narrative,
            today=report_date,
            workers=1,
        ):
            if not result.ok:
                problems.append(str(result))
        return _zip_folder(out), problems


def merged_letters(year: HandlingYear, org: Organisation) -> tuple[bytes, list[str]]:
    """The merged print file of all replies (as ``gongwen batch --merge``)."""
    from gongwen.batch import render_all
    from gongwen.batch.run import MERGE_NAME

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gongwen-web-") as tmp:
        out = Path(tmp) / "out"
        for result in render_all(year, org, out, what=("replies",), merge=True, workers=1):
            if not result.ok:
                problems.append(str(result))
        merged = out / MERGE_NAME
        if not merged.is_file():
            raise InputError("没有可合订的答复函：" + "；".join(problems or ["没有已答复的案件"]))
        return merged.read_bytes(), problems


def _zip_folder(folder: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return buf.getvalue()


def archive_zip(store: Store) -> bytes:
    """The store's cases as 一件一档 (the format of ``gongwen archive``), zipped."""
    from gongwen.archive import export_archive

    with tempfile.TemporaryDirectory(prefix="gongwen-web-") as tmp:
        out = Path(tmp) / "一件一档"
        export_archive(store, out)
        return _zip_folder(out)


def pdf_name(name: str) -> str:
    """``提案008-答复.docx`` → ``提案008-答复.pdf``."""
    return name.removesuffix(".docx") + ".pdf"
