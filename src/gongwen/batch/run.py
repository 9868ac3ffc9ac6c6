"""Batch generation: every reply, feedback form and the annual report from a ledger or a year.

>>> for result in render_all("台账.xlsx", org, "out/"):       # doctest: +SKIP
...     print(result)

Checks run for every case first; cases with errors are reported and skipped. Outputs are written
atomically; ``manifest.json`` lists each with its case, kind, SHA-256 and the hash of its input,
so a re-run after an interruption skips what is complete and valid and finishes the rest.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any, Literal

from gongwen._version import __version__
from gongwen.documents.naming import document_name, safe_component
from gongwen.findings import Finding, Severity
from gongwen.ledger import (
    CaseKey,
    CellProblem,
    LedgerError,
    LedgerResult,
    RowBuilder,
    case_key,
    open_ledger,
)
from gongwen.ledger.files import load_organisation, read_data
from gongwen.models.enums import HandlingRole
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear

__all__ = [
    "KINDS",
    "MANIFEST",
    "STATUS_LABELS",
    "BatchResult",
    "BatchRun",
    "render_all",
]

KINDS = frozenset({"replies", "forms", "report"})
MANIFEST = "manifest.json"
_JOURNAL = ".gongwen-journal.jsonl"
REPLY, REHANDLING, FORM = "答复", "重新办理答复", "征询意见表"
MERGE_NAME = "答复函合订本.docx"

Status = Literal["written", "unchanged", "kept", "failed", "invalid"]
STATUS_LABELS: dict[str, str] = {
    "written": "已生成",
    "unchanged": "已完成（跳过）",
    "kept": "已存在，未覆盖",
    "failed": "未生成（有错误）",
    "invalid": "台账行有误",
}

Source = str | os.PathLike[str] | HandlingYear | LedgerResult | Iterable[CaseRecord]


@dataclass(frozen=True)
class BatchResult:
    """One output (or one skipped case/row) of a batch run."""

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
    problems: tuple[CellProblem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the output exists (written now, earlier, or kept)."""
        return self.status in ("written", "unchanged", "kept")

    def __str__(self) -> str:
        where = f"第{self.row}行 " if self.row else ""
        what = self.name or self.case or ""
        text = f"{where}{what} {STATUS_LABELS[self.status]}"
        return f"{text}：{self.message}" if self.message else text


# ───────────────────────── planning ─────────────────────────


@dataclass(frozen=True)
class _Output:
    name: str
    kind: str
    input: str
    person: str | None = None


@cache
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _template_hash(name: str) -> str:
    from gongwen.resources import template_path

    p = template_path(name)
    return _file_hash(str(p)) if p.exists() else "-"


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _reply_template(record: CaseRecord) -> str:
    from gongwen.documents.reply import reply_template_name

    return reply_template_name(record.case, "letter")


def _plan(record: CaseRecord, org_json: str | None, what: frozenset[str]) -> list[_Output]:
    """The documents one case yields, with the hash of everything that shapes each.

    ``org_json`` None: names only (no input hashes), for the check pass.
    """
    rec_json = record.model_dump_json() if org_json is not None else ""

    def digest(kind: str, tpl: str, *extra: str) -> str:
        if org_json is None:
            return ""
        return _digest(__version__, kind, *extra, rec_json, org_json, tpl)

    out: list[_Output] = []
    case = record.case
    if "replies" in what and record.reply is not None:
        tpl = _template_hash(_reply_template(record))
        kind = "协办意见" if case.role is HandlingRole.ASSIST else REPLY
        out.append(_Output(document_name(case, kind), kind, digest(kind, tpl)))
        if record.rehandling is not None:
            name = document_name(case, REHANDLING)
            out.append(_Output(name, REHANDLING, digest(REHANDLING, tpl)))
    if "forms" in what and record.reply is not None and case.role is not HandlingRole.ASSIST:
        tpl = _template_hash("feedback_form.docx")
        for p in case.proposers:
            name = document_name(case, FORM, person=p.name)
            out.append(_Output(name, FORM, digest(FORM, tpl, p.name), person=p.name))
    return out


# ───────────────────────── work done per case (in worker processes, or in this one) ──────────

# A row as read: the raw cell values of a ledger row (built where it is checked or rendered,
# so the main process never builds records), a CaseRecord, or None for a row already known bad.
_Payload = list[Any] | CaseRecord | None
_Item = tuple[int, int | None, _Payload, tuple[CellProblem, ...]]
_CHUNK = 32  # rows per job sent to a worker (fewer round trips between processes)


def _render_output(
    record: CaseRecord, out: _Output, org: Organisation, today: date | None
) -> bytes:
    """Render one planned document (checks already ran)."""
    from gongwen.api import render_reply

    if out.kind in (REPLY, "协办意见"):
        assert record.reply is not None
        return render_reply(record.case, record.reply, org, today=today, check=False).data
    if out.kind == REHANDLING:
        assert record.rehandling is not None
        return render_reply(record.case, record.rehandling, org, today=today, check=False).data
    from gongwen.api import render_feedback_form

    reply = record.rehandling or record.reply
    assert reply is not None
    proposer = next(p for p in record.case.proposers if p.name == out.person)
    wanted = "重新办理" if reply is record.rehandling else "初次办理"
    fb = next(
        (f for f in record.feedback if f.proposer == proposer.name and f.round.value == wanted),
        None,
    )
    return render_feedback_form(
        record.case, reply, org, proposer, fb, today=today, check=False
    ).data


@dataclass(frozen=True)
class _Checked:
    """What pass 1 learns about a row: problems, findings, the outputs it will give."""

    index: int
    row: int | None
    label: str | None = None
    problems: tuple[CellProblem, ...] = ()
    findings: tuple[Finding, ...] = ()
    names: tuple[str, ...] = ()
    prefix: str = ""  # put before a name that is already taken (the 届次)
    key: CaseKey | None = None  # for the duplicate check of ledger rows
    record: CaseRecord | None = None  # sent back only when the report needs it


@dataclass(frozen=True)
class _Done:
    """One output of pass 2: rendered (to a ``.part`` file or as bytes), already there, or not."""

    out: _Output
    status: Status
    sha256: str | None = None
    tmp: str | None = None
    data: bytes | None = None
    message: str = ""


@dataclass(frozen=True)
class _CaseDone:
    index: int
    row: int | None
    label: str | None
    done: tuple[_Done, ...]


def _write_part(out_dir: str, name: str, data: bytes) -> str:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=out_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return tmp


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _previous(out_dir: Path | None) -> dict[str, dict[str, Any]]:
    """Outputs of earlier runs: manifest.json plus the journal of an interrupted run."""
    old: dict[str, dict[str, Any]] = {}
    if out_dir is None:
        return old
    path = out_dir / MANIFEST
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for e in data.get("outputs", []):
                old[e["file"]] = e
        except (ValueError, KeyError, TypeError, AttributeError):
            old = {}
    journal = out_dir / _JOURNAL
    if journal.is_file():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                e = json.loads(line)
                old[e["file"]] = e
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by the interruption
    return old


def _complete(out_dir: Path, old: dict[str, dict[str, Any]], name: str, input_hash: str) -> bool:
    """The file exists, was written for this very input, and is intact."""
    e = old.get(name)
    path = out_dir / name
    return (
        e is not None
        and e.get("input") == input_hash
        and path.is_file()
        and _sha_file(path) == e.get("sha256")
    )


_KEPT = "文件已存在且不是本次输入生成的，未覆盖（使用 --force 覆盖）"


@dataclass
class _Worker:
    """Everything needed to check and render cases: sent once to each worker process."""

    org: Organisation
    out_dir: Path | None
    today: date | None
    what: frozenset[str]
    force: bool
    builder: RowBuilder | None  # for raw ledger rows
    previous: dict[str, dict[str, Any]]
    keep_records: bool
    org_json: str = ""

    def __post_init__(self) -> None:
        self.org_json = self.org.model_dump_json()

    def record(
        self, row: int | None, payload: _Payload
    ) -> tuple[CaseRecord | None, list[CellProblem]]:
        """The record of a row (built here from raw cells when it comes from a ledger)."""
        if isinstance(payload, list):
            assert self.builder is not None and row is not None
            return self.builder.make(row, payload)
        return payload, []

    def check(self, items: list[_Item]) -> list[_Checked]:
        """Pass 1 for a chunk of rows: build, run the case checks, plan the outputs."""
        from gongwen.checks import check_record

        out: list[_Checked] = []
        for index, row, payload, problems in items:
            rec, more = self.record(row, payload)
            if rec is None:
                out.append(_Checked(index, row, problems=problems + tuple(more)))
                continue
            findings = check_record(rec, self.org, today=self.today)
            out.append(
                _Checked(
                    index,
                    row,
                    rec.case.label,
                    findings=tuple(findings),
                    names=tuple(o.name for o in _plan(rec, None, self.what)),
                    prefix=safe_component(rec.case.session.display),
                    key=case_key(rec) if isinstance(payload, list) else None,
                    record=rec if self.keep_records else None,
                )
            )
        return out

    def render(
        self, items: list[tuple[int, int | None, _Payload, dict[str, str]]]
    ) -> list[_CaseDone]:
        """Pass 2 for a chunk of good rows: build, plan, skip what is there, render the rest."""
        out: list[_CaseDone] = []
        done: list[_Done] = []
        try:
            for index, row, payload, renames in items:
                rec, problems = self.record(row, payload)
                if rec is None:  # the ledger changed since pass 1
                    message = "；".join(p.message for p in problems) or "台账行已变化"
                    failed = _Done(_Output("", "", ""), "failed", message=message)
                    out.append(_CaseDone(index, row, None, (failed,)))
                    continue
                done = []
                for o in _plan(rec, self.org_json, self.what):
                    done.append(self._output(rec, replace(o, name=renames.get(o.name, o.name))))
                out.append(_CaseDone(index, row, rec.case.label, tuple(done)))
                done = []
        except BaseException:  # interrupted: leave no .part file behind
            _discard([*out, _CaseDone(-1, None, None, tuple(done))])
            raise
        return out

    def existing(self, out: _Output) -> _Done | None:
        """The result for an output already in the folder (None: render it)."""
        if self.out_dir is None:
            return None
        path = self.out_dir / out.name
        if _complete(self.out_dir, self.previous, out.name, out.input):
            return _Done(out, "unchanged", self.previous[out.name]["sha256"])
        if path.exists() and not self.force:
            return _Done(out, "kept", _sha_file(path), message=_KEPT)
        return None

    def _output(self, rec: CaseRecord, out: _Output) -> _Done:
        there = self.existing(out)
        if there is not None:
            return there
        try:
            data = _render_output(rec, out, self.org, self.today)
        except Exception as exc:  # one bad document must not stop the batch
            return _Done(out, "failed", message=f"生成失败：{str(exc) or type(exc).__name__}")
        sha = hashlib.sha256(data).hexdigest()
        if self.out_dir is None:
            return _Done(out, "written", sha, data=data)
        return _Done(out, "written", sha, tmp=_write_part(str(self.out_dir), out.name, data))


_WORKER: list[_Worker] = []  # the worker process's state, set once by _init_worker


def _init_worker(worker: _Worker) -> None:
    import gc

    gc.freeze()  # objects inherited from the parent: never scanned again, pages stay shared
    _WORKER[:] = [worker]


def _check_chunk(items: list[_Item]) -> list[_Checked]:
    return _WORKER[0].check(items)


def _render_chunk(items: list[tuple[int, int | None, _Payload, dict[str, str]]]) -> list[_CaseDone]:
    return _WORKER[0].render(items)


# ───────────────────────── manifest ─────────────────────────


class _Manifest:
    """Previous outputs (manifest.json + the journal of an interrupted run) and this run's."""

    def __init__(self, out_dir: Path, old: dict[str, dict[str, Any]]) -> None:
        self.dir = out_dir
        self.old = old
        self.new: dict[str, dict[str, Any]] = {}
        self._journal: IO[str] = (out_dir / _JOURNAL).open("a", encoding="utf-8")

    def complete(self, name: str, input_hash: str) -> bool:
        """The file exists, was written for this very input, and is intact."""
        return _complete(self.dir, self.old, name, input_hash)

    def add(self, entry: dict[str, Any], *, journal: bool = True) -> None:
        """Record an output; journaled ones must be :meth:`flush`-ed before the rename."""
        self.new[entry["file"]] = entry
        if journal:
            self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        """Push journal lines to the file (before the files they name are renamed in place)."""
        self._journal.flush()

    def finish(self, meta: dict[str, Any], skipped: list[dict[str, Any]]) -> None:
        """Write manifest.json atomically (streamed, one output per line) and drop the journal."""
        import tempfile

        self._journal.close()
        fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".part", dir=self.dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("{\n")
                for k, v in meta.items():
                    fh.write(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n")
                for key, items in (("outputs", self.new.values()), ("skipped", skipped)):
                    fh.write(f'  "{key}": [')
                    for i, e in enumerate(items):
                        fh.write(("," if i else "") + "\n    " + json.dumps(e, ensure_ascii=False))
                    fh.write("\n  ]" + ("," if key == "outputs" else "") + "\n")
                fh.write("}\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.dir / MANIFEST)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        (self.dir / _JOURNAL).unlink(missing_ok=True)

    def close(self) -> None:
        """Close the journal without finishing (the run was interrupted)."""
        self._journal.close()


# ───────────────────────── the run ─────────────────────────


class BatchRun:
    """A batch in two passes: :meth:`check` (every case) then :meth:`render` (the good ones).

    :func:`render_all` chains both; the CLI calls them separately to size its progress bar
    with :attr:`total` after the check pass. Rows are read twice and nothing is kept per case
    but its number, so memory does not grow with the ledger; with ``workers`` > 1 the worker
    processes build, check and render, and this process only reads rows and moves files.
    """

    def __init__(
        self,
        source: Source,
        org: Organisation | str | os.PathLike[str],
        out_dir: str | os.PathLike[str] | None = None,
        *,
        what: Iterable[str] = KINDS,
        workers: int = 1,
        force: bool = False,
        merge: bool = False,
        today: date | None = None,
        narrative: str | None = None,
        bodies: str | os.PathLike[str] | None = None,
    ) -> None:
        self.org = org if isinstance(org, Organisation) else load_organisation(org)
        self.what = frozenset(what)
        unknown = self.what - KINDS
        if unknown:
            raise ValueError(
                f"未知的文档类别：{'、'.join(sorted(unknown))}（可选 replies、forms、report）"
            )
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.workers = max(1, workers)
        self.force = force
        self.merge = merge
        self.today = today
        self.narrative = narrative
        self.bodies = bodies
        self.source = source
        self.total = 0
        self.counts: Counter[str] = Counter()
        self._good: set[int] = set()
        self._warnings: dict[int, tuple[Finding, ...]] = {}
        self._renames: dict[int, dict[str, str]] = {}
        self._names: set[str] = set()
        self._year_records: list[CaseRecord] = []
        self._year_number: int | None = None
        self._skipped: list[dict[str, Any]] = []
        self._checked = False
        self.header_problems: list[CellProblem] = []
        self._year_source: HandlingYear | None = None
        self._headers: list[str | None] | None = None
        self._worker: _Worker | None = None
        self._executor: ProcessPoolExecutor | None = None
        if not isinstance(source, str | os.PathLike | HandlingYear | LedgerResult):
            self.source = list(source)  # an iterable can be read only once
        elif isinstance(source, str | os.PathLike):
            self._year_source = _maybe_year_file(Path(source))

    # sources
    def _items(self) -> Iterator[_Item]:
        """Every row in order, numbered: raw ledger cells, records, or known-bad rows."""
        src = self._year_source or self.source
        rows: Iterator[tuple[int | None, _Payload, tuple[CellProblem, ...]]]
        if isinstance(src, HandlingYear):
            self._year_number = src.year
            rows = ((None, rec, ()) for rec in src.cases)
        elif isinstance(src, LedgerResult):
            rows = _ledger_result_rows(src)
        elif isinstance(src, str | os.PathLike):
            reader = open_ledger(src, bodies=self.bodies, organisation=self.org)
            if self._headers is None:
                self.header_problems = reader.header_problems
                self._headers = reader.headers
                self._state(reader.builder)
            elif reader.headers != self._headers:
                raise LedgerError(f"台账在生成过程中被修改（表头变了）：{src}")
            rows = ((number, values, ()) for number, values in reader.raw_rows())
        else:
            rows = ((None, rec, ()) for rec in src)
        for i, (row, payload, problems) in enumerate(rows):
            yield i, row, payload, problems

    def _state(self, builder: RowBuilder | None = None) -> _Worker:
        """What the workers need (made once, before any worker starts)."""
        if self._worker is not None and builder is not None:
            self._worker.builder = builder
        if self._worker is None:
            self._worker = _Worker(
                self.org,
                self.out_dir,
                self.today,
                self.what,
                self.force,
                builder,
                _previous(self.out_dir),
                "report" in self.what,
            )
        return self._worker

    def _pool(self) -> ProcessPoolExecutor | None:
        """The worker processes (started once, shared by both passes), or None for one process."""
        if self.workers == 1:
            return None
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers, initializer=_init_worker, initargs=(self._state(),)
            )
        return self._executor

    def close(self) -> None:
        """Stop the worker processes."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _chunks(
        self,
        items: Iterable[Any],
        job: Callable[[list[Any]], list[Any]],
        local: Callable[[list[Any]], list[Any]],
        discard: Callable[[list[Any]], None] | None = None,
        size: int = 0,
    ) -> Generator[Future[list[Any]] | list[Any], None, None]:
        """Results of ``job`` over chunks of ``items``, in order, a bounded number in flight.

        With one process ``local`` runs each chunk here. When the caller stops early, jobs not
        started are cancelled and the results of those already running go to ``discard``.
        ``size``: rows per chunk (default ``_CHUNK``).
        """
        size = size or _CHUNK
        pool = self._pool()
        pending: deque[Future[Any]] = deque()
        chunk: list[Any] = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) < size:
                    continue
                if pool is None:
                    yield local(chunk)
                else:
                    pending.append(pool.submit(job, chunk))
                    while len(pending) > self.workers * 3:
                        yield pending.popleft()
                chunk = []
            if chunk:
                yield local(chunk) if pool is None else pool.submit(job, chunk)
            while pending:
                yield pending.popleft()
        finally:
            for f in pending:
                if f.cancel() or discard is None:
                    continue
                try:
                    discard(f.result())
                except BaseException:  # a worker killed with the run: nothing to give back
                    continue

    def _checked_rows(self) -> Iterator[_Checked]:
        """Every row with its problems and check findings (in the workers, in chunks, in order)."""
        items = self._items()
        first = next(items, None)  # opens the ledger: the workers need its header
        if first is None:
            return
        state = self._state()
        for res in self._chunks(itertools.chain([first], items), _check_chunk, state.check):
            yield from (res.result() if isinstance(res, Future) else res)

    def check(self) -> Iterator[BatchResult]:
        """Pass 1: read every row, run the checks; yield the rows and cases that cannot be used."""
        for store in (self._good, self._warnings, self._renames, self._names, self._year_records):
            store.clear()
        self._skipped.clear()
        self.total = 0
        try:
            for c in self._checked_rows():
                problems = c.problems
                builder = self._state().builder
                if c.key is not None and builder is not None and c.row is not None:
                    dup = builder.claim(c.row, c.key)
                    problems = (dup,) if dup is not None else ()
                if c.label is None or problems:
                    if not problems:
                        continue  # a blank row
                    self._skipped.append({"row": c.row, "problems": [str(p) for p in problems]})
                    yield self._count(
                        BatchResult(
                            "invalid",
                            row=c.row,
                            problems=problems,
                            message="；".join(p.message for p in problems),
                        )
                    )
                    continue
                if c.record is not None:
                    self._year_records.append(c.record)
                errors = [f for f in c.findings if f.severity is Severity.ERROR]
                if errors:
                    self._skipped.append(
                        {"case": c.label, "row": c.row, "problems": [str(f) for f in errors]}
                    )
                    yield self._count(
                        BatchResult(
                            "failed",
                            case=c.label,
                            row=c.row,
                            findings=c.findings,
                            message=f"检查发现{len(errors)}处错误："
                            + "；".join(f.message for f in errors),
                        )
                    )
                    continue
                if c.findings:
                    self._warnings[c.index] = c.findings
                self._good.add(c.index)
                self._claim_names(c)
        except BaseException:
            self.close()
            raise
        if "report" in self.what:
            self.total += 1
        if self.merge and "replies" in self.what:
            self.total += 1
        self._checked = True

    def _claim_names(self, c: _Checked) -> None:
        """Names stay unique in a run: the same 案号 in another 届次 gets the 届次 in front."""
        renames: dict[str, str] = {}
        for name in c.names:
            final = f"{c.prefix}-{name}" if name in self._names else name
            if final != name:
                renames[name] = final
            self._names.add(final)
        if renames:
            self._renames[c.index] = renames
        self.total += len(c.names)

    def _count(self, r: BatchResult) -> BatchResult:
        self.counts[r.status] += 1
        return r

    def render(self) -> Iterator[BatchResult]:
        """Pass 2: render every good case's documents (in order), then the report and merge."""
        if not self._checked:
            yield from self.check()
        manifest: _Manifest | None = None
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            for stray in self.out_dir.glob(".*.part"):
                stray.unlink(missing_ok=True)
            manifest = _Manifest(self.out_dir, self._state().previous)
        merger = None
        if self.merge and "replies" in self.what:
            from gongwen.output.merge import LetterMerger

            merger = LetterMerger()
        finished = False
        try:
            for result, merge_data in self._render_cases(manifest):
                if merger is not None and merge_data is not None:
                    merger.add(merge_data)
                yield self._count(result)
            if "report" in self.what:
                yield self._count(self._report(manifest))
            if merger is not None:
                yield self._count(self._merged(merger, manifest))
            finished = True
        finally:
            if manifest is not None:
                if finished:
                    manifest.finish(self._meta(), self._skipped)
                else:
                    manifest.close()

    def _meta(self) -> dict[str, Any]:
        src = self._year_source or self.source
        meta: dict[str, Any] = {
            "generator": f"gongwen {__version__}",
            "created": datetime.now().isoformat(timespec="seconds"),
            "organisation": self.org.name,
        }
        if isinstance(src, str | os.PathLike):
            meta["source"] = str(src)
            meta["source_sha256"] = _sha_file(Path(src))
        return meta

    def _render_cases(
        self, manifest: _Manifest | None
    ) -> Iterator[tuple[BatchResult, bytes | None]]:
        state = self._state()
        todo = (
            (i, row, payload, self._renames.get(i, {}))
            for i, row, payload, _ in self._items()
            if i in self._good
        )
        # With workers, small batches still give each of them several jobs.
        size = _CHUNK
        if self.workers > 1:
            size = max(1, min(_CHUNK, -(-len(self._good) // (self.workers * 4))))
        jobs = self._chunks(todo, _render_chunk, state.render, _discard, size)
        try:
            for res in jobs:
                cases: list[_CaseDone] = res.result() if isinstance(res, Future) else res
                yield from self._finish_chunk(cases, manifest)
        finally:
            jobs.close()
            self.close()

    def _finish_chunk(
        self, cases: list[_CaseDone], manifest: _Manifest | None
    ) -> Iterator[tuple[BatchResult, bytes | None]]:
        """Journal a chunk's files, then move them in place case by case, yielding results."""
        moved: set[str] = set()
        try:
            if manifest is not None:
                for case in cases:
                    for d in case.done:
                        if d.tmp is not None:
                            manifest.add(
                                self._entry(d.out, case.label, case.row, d.sha256, d.out.input)
                            )
                manifest.flush()
            for case in cases:
                for d in case.done:
                    if d.tmp is not None:
                        moved.add(d.tmp)
                    yield self._result(case, d, manifest)
        finally:  # interrupted: remove what was rendered but not moved in place
            _discard(
                [replace(c, done=tuple(d for d in c.done if d.tmp not in moved)) for c in cases]
            )

    def _result(
        self, case: _CaseDone, d: _Done, manifest: _Manifest | None
    ) -> tuple[BatchResult, bytes | None]:
        warnings = self._warnings.get(case.index, ())
        out = d.out
        path = self.out_dir / out.name if self.out_dir and d.status != "failed" else None
        if d.tmp is not None and path is not None:
            os.replace(d.tmp, path)
        elif manifest is not None and d.status in ("unchanged", "kept"):
            # A kept file was not made from this input: no input hash, so it never counts
            # as complete (only --force replaces it).
            kept_input = None if d.status == "kept" else out.input
            manifest.add(
                self._entry(out, case.label, case.row, d.sha256, kept_input), journal=False
            )
        result = BatchResult(
            d.status,
            out.kind,
            case.label,
            case.row,
            out.name or None,
            path,
            d.data,
            d.sha256,
            d.message,
            warnings,
        )
        merge = None
        if self.merge and out.kind not in (FORM, "") and d.status != "failed":
            merge = d.data if d.data is not None else path.read_bytes() if path else None
        return result, merge

    @staticmethod
    def _entry(
        out: _Output, label: str | None, row: int | None, sha: str | None, input_hash: str | None
    ) -> dict[str, Any]:
        return {
            "file": out.name,
            "case": label,
            "row": row,
            "kind": out.kind,
            "sha256": sha,
            "input": input_hash,
        }

    def _year(self) -> HandlingYear:
        if self._year_number is not None:
            number = self._year_number
        else:
            years = [r.case.assigned_date.year for r in self._year_records] or [date.today().year]
            number = max(set(years), key=years.count)
        return HandlingYear(year=number, organisation=self.org, cases=tuple(self._year_records))

    def _report(self, manifest: _Manifest | None) -> BatchResult:
        from gongwen.checks import CheckFailed

        try:
            from gongwen.api import render_annual_report
            from gongwen.documents.report import report_name
        except ImportError as exc:  # pragma: no cover - the module ships with gongwen
            return BatchResult("failed", "办理工作总结", message=f"无法生成工作总结：{exc}")
        year = self._year()
        name = report_name(year, self.org)
        input_hash = _digest(
            __version__,
            "report",
            year.model_dump_json(),
            self._state().org_json,
            self.narrative or "",
            _template_hash("annual_report.docx"),
        )
        out = _Output(name, "办理工作总结", input_hash)
        existing = self._state().existing(out)
        if existing is not None:
            if manifest is not None:
                kept_input = input_hash if existing.status == "unchanged" else None
                manifest.add(
                    self._entry(out, None, None, existing.sha256, kept_input), journal=False
                )
            return BatchResult(
                existing.status,
                out.kind,
                name=name,
                path=self.out_dir / name if self.out_dir else None,
                sha256=existing.sha256,
                message=existing.message,
            )
        try:
            doc = render_annual_report(year, self.org, self.narrative, today=self.today)
        except CheckFailed as exc:
            errors = [f for f in exc.findings if f.severity is Severity.ERROR]
            return BatchResult(
                "failed",
                out.kind,
                name=name,
                findings=tuple(exc.findings),
                message="；".join(f.message for f in errors),
            )
        except Exception as exc:
            return BatchResult("failed", out.kind, name=name, message=f"生成失败：{exc}")
        return self._save(out, doc.data, manifest)

    def _save(self, out: _Output, data: bytes, manifest: _Manifest | None) -> BatchResult:
        sha = hashlib.sha256(data).hexdigest()
        if manifest is None or self.out_dir is None:
            return BatchResult("written", out.kind, name=out.name, data=data, sha256=sha)
        tmp = _write_part(str(self.out_dir), out.name, data)
        manifest.add(self._entry(out, None, None, sha, out.input))
        manifest.flush()
        path = self.out_dir / out.name
        os.replace(tmp, path)
        return BatchResult("written", out.kind, name=out.name, path=path, sha256=sha)

    def _merged(self, merger: Any, manifest: _Manifest | None) -> BatchResult:
        if merger.count == 0:
            return BatchResult("failed", "合订本", name=MERGE_NAME, message="没有可合并的答复函")
        data = merger.finish()
        input_hash = hashlib.sha256(data).hexdigest()
        out = _Output(MERGE_NAME, "合订本", input_hash)
        if manifest is not None and manifest.complete(MERGE_NAME, input_hash):
            assert self.out_dir is not None
            manifest.add(self._entry(out, None, None, input_hash, input_hash), journal=False)
            return BatchResult(
                "unchanged",
                out.kind,
                name=MERGE_NAME,
                path=self.out_dir / MERGE_NAME,
                sha256=input_hash,
            )
        if manifest is not None and self.out_dir is not None and not self.force:
            path = self.out_dir / MERGE_NAME
            if path.exists() and MERGE_NAME not in manifest.old:
                return BatchResult(
                    "kept",
                    out.kind,
                    name=MERGE_NAME,
                    path=path,
                    message="文件已存在且不是本工具生成的，未覆盖（使用 --force 覆盖）",
                )
        return self._save(out, data, manifest)

    def __iter__(self) -> Iterator[BatchResult]:
        yield from self.check()
        yield from self.render()


def _discard(cases: list[_CaseDone]) -> None:
    """Remove the files of a render job whose results will not be used."""
    for case in cases:
        for d in case.done:
            if d.tmp is not None:
                Path(d.tmp).unlink(missing_ok=True)


def _ledger_result_rows(
    src: LedgerResult,
) -> Iterator[tuple[int | None, _Payload, tuple[CellProblem, ...]]]:
    by_row: dict[int, list[CellProblem]] = {}
    for p in src.problems:
        if p.severity == "error":
            by_row.setdefault(p.row, []).append(p)
    for row, rec in src.records:
        yield row, rec, ()
    for row, problems in by_row.items():
        yield row, None, tuple(problems)


def _maybe_year_file(path: Path) -> HandlingYear | None:
    """A YAML/JSON year file (``year`` + ``cases``) is a source too; a list of rows is a ledger."""
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return None
    from gongwen.ledger.files import load_year

    data = read_data(path)
    if isinstance(data, dict) and "cases" in data:
        return load_year(path)
    return None


def render_all(
    source: Source,
    org: Organisation | str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    *,
    what: Iterable[str] = KINDS,
    workers: int = 1,
    force: bool = False,
    merge: bool = False,
    today: date | None = None,
    narrative: str | None = None,
    bodies: str | os.PathLike[str] | None = None,
) -> Iterator[BatchResult]:
    """Check every case, then render replies, feedback forms and the report; stream the results.

    ``source``: a ledger path (.xlsx/.csv/.json/.yaml rows), a year file, a HandlingYear, a
    LedgerResult or CaseRecords. With ``out_dir`` files are written there (atomically, with
    ``manifest.json``; existing files kept unless ``force``; a re-run skips complete outputs);
    without it each result carries the document bytes in ``data``. ``workers`` > 1 renders in
    that many processes; results still come in order. Raises :class:`gongwen.ledger.LedgerError`
    when the ledger file cannot be read.
    """
    run = BatchRun(
        source,
        org,
        out_dir,
        what=what,
        workers=workers,
        force=force,
        merge=merge,
        today=today,
        narrative=narrative,
        bodies=bodies,
    )
    return iter(run)
