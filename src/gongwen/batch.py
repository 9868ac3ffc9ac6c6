"""Batch generation: every reply, feedback form and the annual report from a ledger or a year.

>>> for result in render_all("台账.xlsx", org, "out/"):       # doctest: +SKIP
...     print(result)

Checks run for every case first; cases with errors are reported and skipped. Outputs are written
atomically; ``manifest.json`` lists each with its case, kind, SHA-256 and the hash of its input,
so a re-run after an interruption skips what is complete and valid and finishes the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any, Literal

from gongwen._version import __version__
from gongwen.checks.core import Finding, Severity
from gongwen.io import load_organisation, read_data
from gongwen.ledger import CellProblem, LedgerResult, open_ledger
from gongwen.models.enums import HandlingRole
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.naming import document_name, safe_component

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


def _plan(record: CaseRecord, org_json: str, what: frozenset[str]) -> list[_Output]:
    """The documents one case yields, with the hash of everything that shapes each."""
    out: list[_Output] = []
    rec_json = record.model_dump_json()
    case = record.case
    if "replies" in what and record.reply is not None:
        tpl = _template_hash(_reply_template(record))
        kind = "协办意见" if case.role is HandlingRole.ASSIST else REPLY
        out.append(
            _Output(
                document_name(case, kind), kind, _digest(__version__, kind, rec_json, org_json, tpl)
            )
        )
        if record.rehandling is not None:
            out.append(
                _Output(
                    document_name(case, REHANDLING),
                    REHANDLING,
                    _digest(__version__, REHANDLING, rec_json, org_json, tpl),
                )
            )
    if "forms" in what and record.reply is not None and case.role is not HandlingRole.ASSIST:
        tpl = _template_hash("feedback_form.docx")
        for p in case.proposers:
            out.append(
                _Output(
                    document_name(case, FORM, person=p.name),
                    FORM,
                    _digest(__version__, FORM, p.name, rec_json, org_json, tpl),
                    person=p.name,
                )
            )
    return out


# ───────────────────────── rendering (also in worker processes) ─────────────────────────

_WORKER: dict[str, Any] = {}


def _init_worker(org: Organisation, out_dir: str | None, today: date | None) -> None:
    _WORKER.update(org=org, out_dir=out_dir, today=today)


def _render_output(
    record: CaseRecord, out: _Output, org: Organisation, today: date | None
) -> bytes:
    """Render one planned document (checks already ran)."""
    from gongwen.api import render_reply

    if out.kind in (REPLY, "协办意见"):
        assert record.reply is not None
        return render_reply(record.reply, record.case, org, today=today, check=False).data
    if out.kind == REHANDLING:
        assert record.rehandling is not None
        return render_reply(record.rehandling, record.case, org, today=today, check=False).data
    from gongwen.api_year import render_feedback_form

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


_CHUNK = 16  # cases per check job sent to a worker

_Checked = tuple[int, int | None, CaseRecord | None, tuple[CellProblem, ...], list[Finding]]


def _check_records(records: list[CaseRecord | None]) -> list[list[Finding]]:
    """Run the case checks (in a worker, or in this process)."""
    from gongwen.checks import check_record

    org: Organisation = _WORKER["org"]
    return [check_record(r, org, today=_WORKER["today"]) if r is not None else [] for r in records]


@dataclass(frozen=True)
class _Done:
    out: _Output
    sha256: str | None = None
    tmp: str | None = None
    data: bytes | None = None
    error: str | None = None


def _write_part(out_dir: str, name: str, data: bytes) -> str:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=out_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return tmp


def _jobs(items: list[tuple[CaseRecord, list[_Output]]]) -> list[list[_Done]]:
    """Render a chunk of cases in one worker call (fewer round trips between processes)."""
    return [_job(record, outputs) for record, outputs in items]


def _job(record: CaseRecord, outputs: list[_Output]) -> list[_Done]:
    """Render a case's outputs: to ``.part`` files in the output folder, or as bytes."""
    org: Organisation = _WORKER["org"]
    out_dir: str | None = _WORKER["out_dir"]
    done: list[_Done] = []
    for out in outputs:
        try:
            data = _render_output(record, out, org, _WORKER["today"])
        except Exception as exc:  # one bad document must not stop the batch
            done.append(_Done(out, error=str(exc) or type(exc).__name__))
            continue
        sha = hashlib.sha256(data).hexdigest()
        if out_dir is None:
            done.append(_Done(out, sha, data=data))
        else:
            done.append(_Done(out, sha, tmp=_write_part(out_dir, out.name, data)))
    return done


# ───────────────────────── manifest ─────────────────────────


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class _Manifest:
    """Previous outputs (manifest.json + the journal of an interrupted run) and this run's."""

    def __init__(self, out_dir: Path) -> None:
        self.dir = out_dir
        self.old: dict[str, dict[str, Any]] = {}
        path = out_dir / MANIFEST
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                for e in data.get("outputs", []):
                    self.old[e["file"]] = e
            except (ValueError, KeyError, TypeError, AttributeError):
                self.old = {}
        journal = out_dir / _JOURNAL
        if journal.is_file():
            for line in journal.read_text(encoding="utf-8").splitlines():
                try:
                    e = json.loads(line)
                    self.old[e["file"]] = e
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by the interruption
        self.new: dict[str, dict[str, Any]] = {}
        self._journal: IO[str] = journal.open("a", encoding="utf-8")

    def complete(self, name: str, input_hash: str) -> bool:
        """The file exists, was written for this very input, and is intact."""
        e = self.old.get(name)
        path = self.dir / name
        return (
            e is not None
            and e.get("input") == input_hash
            and path.is_file()
            and _sha_file(path) == e.get("sha256")
        )

    def add(self, entry: dict[str, Any], *, journal: bool = True) -> None:
        """Record an output (journaled before the file is renamed into place)."""
        self.new[entry["file"]] = entry
        if journal:
            self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
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


@dataclass
class _Pending:
    """A case whose documents are being rendered (results are yielded in case order)."""

    index: int
    row: int | None
    record: CaseRecord
    outputs: list[_Output]
    ready: dict[str, BatchResult]
    job: _Slice | None = None
    done: list[_Done] | None = None


@dataclass(frozen=True)
class _Slice:
    """One case's share of a chunked render job (cases are sent to workers in chunks)."""

    future: Future[list[list[_Done]]]
    index: int

    def result(self) -> list[_Done]:
        return self.future.result()[self.index]


class BatchRun:
    """A batch in two passes: :meth:`check` (every case) then :meth:`render` (the good ones).

    :func:`render_all` chains both; the CLI calls them separately to size its progress bar
    with :attr:`total` after the check pass.
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
        self._year_records: list[CaseRecord] = []
        self._year_number: int | None = None
        self._skipped: list[dict[str, Any]] = []
        self._org_json = self.org.model_dump_json()
        self._checked = False
        self.header_problems: list[CellProblem] = []
        self._year_source: HandlingYear | None = None
        self._executor: ProcessPoolExecutor | None = None
        self._names: set[str] = set()
        if not isinstance(source, str | os.PathLike | HandlingYear | LedgerResult):
            self.source = list(source)  # an iterable can be read only once
        elif isinstance(source, str | os.PathLike):
            self._year_source = _maybe_year_file(Path(source))

    # sources
    def _rows(self) -> Iterator[tuple[int | None, CaseRecord | None, tuple[CellProblem, ...]]]:
        src = self._year_source or self.source
        if isinstance(src, HandlingYear):
            self._year_number = src.year
            for rec in src.cases:
                yield None, rec, ()
        elif isinstance(src, LedgerResult):
            by_row: dict[int, list[CellProblem]] = {}
            for p in src.problems:
                if p.severity == "error":
                    by_row.setdefault(p.row, []).append(p)
            for row, rec in src.records:
                yield row, rec, ()
            for row, problems in by_row.items():
                yield row, None, tuple(problems)
        elif isinstance(src, str | os.PathLike):
            reader = open_ledger(src, bodies=self.bodies, organisation=self.org)
            self.header_problems = reader.header_problems
            for r in reader:
                yield r.row, r.record, r.problems
        else:
            for rec in src:
                yield None, rec, ()

    def _pool(self) -> ProcessPoolExecutor | None:
        """The worker processes (started once, shared by both passes), or None for one process."""
        initargs = (self.org, str(self.out_dir) if self.out_dir else None, self.today)
        if self.workers == 1:
            _init_worker(*initargs)
            return None
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers, initializer=_init_worker, initargs=initargs
            )
        return self._executor

    def close(self) -> None:
        """Stop the worker processes."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _checked_rows(self) -> Iterator[_Checked]:
        """Every row with its check findings (checked in the workers, in chunks, in order)."""
        pool = self._pool()
        if pool is None:
            for i, (row, rec, problems) in enumerate(self._rows()):
                findings = _check_records([rec])[0] if rec is not None else []
                yield i, row, rec, problems, findings
            return
        pending: deque[
            tuple[
                list[tuple[int, int | None, CaseRecord | None, tuple[CellProblem, ...]]],
                Future[list[list[Finding]]],
            ]
        ] = deque()
        chunk: list[tuple[int, int | None, CaseRecord | None, tuple[CellProblem, ...]]] = []

        def drain(limit: int) -> Iterator[_Checked]:
            while len(pending) > limit:
                items, fut = pending.popleft()
                for (i, row, rec, problems), findings in zip(items, fut.result(), strict=True):
                    yield i, row, rec, problems, findings

        for i, (row, rec, problems) in enumerate(self._rows()):
            chunk.append((i, row, rec, problems))
            if len(chunk) == _CHUNK:
                pending.append((chunk, pool.submit(_check_records, [c[2] for c in chunk])))
                chunk = []
                yield from drain(self.workers * 2)
        if chunk:
            pending.append((chunk, pool.submit(_check_records, [c[2] for c in chunk])))
        yield from drain(0)

    def check(self) -> Iterator[BatchResult]:
        """Pass 1: read every row, run the checks; yield the rows and cases that cannot be used."""
        self._good.clear()
        self._year_records.clear()
        self.total = 0
        try:
            for i, row, rec, problems, findings in self._checked_rows():
                if rec is None:
                    self._skipped.append({"row": row, "problems": [str(p) for p in problems]})
                    yield self._count(
                        BatchResult(
                            "invalid",
                            row=row,
                            problems=problems,
                            message="；".join(p.message for p in problems),
                        )
                    )
                    continue
                errors = [f for f in findings if f.severity is Severity.ERROR]
                if "report" in self.what:
                    self._year_records.append(rec)
                if errors:
                    self._skipped.append(
                        {"case": rec.case.label, "row": row, "problems": [str(f) for f in errors]}
                    )
                    yield self._count(
                        BatchResult(
                            "failed",
                            case=rec.case.label,
                            row=row,
                            findings=tuple(findings),
                            message=f"检查发现{len(errors)}处错误："
                            + "；".join(f.message for f in errors),
                        )
                    )
                    continue
                if findings:
                    self._warnings[i] = tuple(findings)
                self._good.add(i)
                self.total += len(_plan(rec, self._org_json, self.what))
        except BaseException:
            self.close()
            raise
        if "report" in self.what:
            self.total += 1
        if self.merge and "replies" in self.what:
            self.total += 1
        self._checked = True

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
            manifest = _Manifest(self.out_dir)
        merger = None
        if self.merge and "replies" in self.what:
            from gongwen.merge import LetterMerger

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
        pending: deque[_Pending] = deque()
        # bounded: memory does not grow with the number of letters
        window = self.workers * 4 * _CHUNK
        pool = self._pool()
        chunk: list[tuple[CaseRecord, list[_Output], _Pending]] = []

        def flush() -> None:
            if chunk and pool is not None:
                future = pool.submit(_jobs, [(rec, todo) for rec, todo, _ in chunk])
                for k, (_, _, it) in enumerate(chunk):
                    it.job = _Slice(future, k)
                chunk.clear()

        try:
            for i, (row, rec, _problems) in enumerate(self._rows()):
                if rec is None or i not in self._good:
                    continue
                outputs = self._unique(rec, _plan(rec, self._org_json, self.what))
                ready: dict[str, BatchResult] = {}
                todo: list[_Output] = []
                for out in outputs:
                    status = self._existing(out, manifest)
                    if status is None:
                        todo.append(out)
                    else:
                        ready[out.name] = status
                item = _Pending(i, row, rec, outputs, ready)
                if todo and pool is not None:
                    chunk.append((rec, todo, item))
                    if len(chunk) >= _CHUNK:
                        flush()
                elif todo:
                    item.done = _job(rec, todo)
                pending.append(item)
                while len(pending) > (window if pool else 0):
                    flush()
                    yield from self._finish_case(pending.popleft(), manifest)
            flush()
            while pending:
                yield from self._finish_case(pending.popleft(), manifest)
        finally:
            self.close()
            for item in pending:  # interrupted: remove what was rendered but not moved in place
                for d in item.done or []:
                    if d.tmp:
                        Path(d.tmp).unlink(missing_ok=True)

    def _unique(self, rec: CaseRecord, outputs: list[_Output]) -> list[_Output]:
        """Names stay unique in a run: the same 案号 in another 届次 gets the 届次 in front."""
        out = []
        for o in outputs:
            if o.name in self._names:
                o = replace(o, name=f"{safe_component(rec.case.session.display)}-{o.name}")
            self._names.add(o.name)
            out.append(o)
        return out

    def _existing(self, out: _Output, manifest: _Manifest | None) -> BatchResult | None:
        """The result for an output that is already there (None: render it)."""
        if manifest is None or self.out_dir is None:
            return None
        path = self.out_dir / out.name
        if manifest.complete(out.name, out.input):
            return BatchResult(
                "unchanged",
                out.kind,
                name=out.name,
                path=path,
                sha256=manifest.old[out.name]["sha256"],
            )
        if path.exists() and not self.force:
            return BatchResult(
                "kept",
                out.kind,
                name=out.name,
                path=path,
                sha256=_sha_file(path),
                message="文件已存在且不是本次输入生成的，未覆盖（使用 --force 覆盖）",
            )
        return None

    def _finish_case(
        self, item: _Pending, manifest: _Manifest | None
    ) -> Iterator[tuple[BatchResult, bytes | None]]:
        if item.job is not None:
            item.done = item.job.result()
        rendered = {d.out.name: d for d in item.done or []}
        label, row = item.record.case.label, item.row
        warnings = self._warnings.get(item.index, ())
        for out in item.outputs:
            if out.name in item.ready:
                r = item.ready[out.name]
                r = BatchResult(
                    r.status,
                    r.kind,
                    label,
                    row,
                    r.name,
                    r.path,
                    None,
                    r.sha256,
                    r.message,
                    warnings,
                )
                if manifest is not None:
                    # A kept file was not made from this input: no input hash, so it never
                    # counts as complete (only --force replaces it).
                    kept_input = None if r.status == "kept" else out.input
                    manifest.add(self._entry(out, label, row, r.sha256, kept_input), journal=False)
                yield r, self._merge_bytes(out, r.path, None)
                continue
            d = rendered[out.name]
            if d.error is not None:
                yield (
                    BatchResult(
                        "failed",
                        out.kind,
                        label,
                        row,
                        out.name,
                        message=f"生成失败：{d.error}",
                        findings=warnings,
                    ),
                    None,
                )
                continue
            path = None
            if manifest is not None and self.out_dir is not None and d.tmp is not None:
                path = self.out_dir / out.name
                manifest.add(self._entry(out, label, row, d.sha256, out.input))
                os.replace(d.tmp, path)
            result = BatchResult(
                "written", out.kind, label, row, out.name, path, d.data, d.sha256, findings=warnings
            )
            yield result, self._merge_bytes(out, path, d.data)
        item.done = None

    def _merge_bytes(self, out: _Output, path: Path | None, data: bytes | None) -> bytes | None:
        if not self.merge or out.kind == FORM:
            return None
        if data is not None:
            return data
        return path.read_bytes() if path is not None else None

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
            from gongwen.api_year import render_annual_report
            from gongwen.documents.report import report_name
        except ImportError as exc:  # pragma: no cover - the module ships with gongwen
            return BatchResult("failed", "办理工作总结", message=f"无法生成工作总结：{exc}")
        year = self._year()
        name = report_name(year, self.org)
        input_hash = _digest(
            __version__,
            "report",
            year.model_dump_json(),
            self._org_json,
            self.narrative or "",
            _template_hash("annual_report.docx"),
        )
        out = _Output(name, "办理工作总结", input_hash)
        existing = self._existing(out, manifest)
        if existing is not None:
            if manifest is not None:
                kept_input = input_hash if existing.status == "unchanged" else None
                manifest.add(
                    self._entry(out, None, None, existing.sha256, kept_input), journal=False
                )
            return existing
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


def _maybe_year_file(path: Path) -> HandlingYear | None:
    """A YAML/JSON year file (``year`` + ``cases``) is a source too; a list of rows is a ledger."""
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return None
    from gongwen.io import load_year

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
