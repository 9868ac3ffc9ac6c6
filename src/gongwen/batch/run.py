"""A batch run: check every case, then render the good ones, in order, over worker processes.

>>> for result in render_all("台账.xlsx", org, "out/"):       # doctest: +SKIP
...     print(result)

Checks run for every case first; cases with errors are reported and skipped. Outputs are written
atomically; ``manifest.json`` lists each with its case, kind, SHA-256 and the hash of its input,
so a re-run after an interruption skips what is complete and valid and finishes the rest.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gongwen._version import __version__
from gongwen.batch import worker
from gongwen.batch.manifest import (
    Entry,
    Manifest,
    OutputLock,
    complete,
    entry,
    previous,
    sha_file,
)
from gongwen.batch.numbering import read_numbers, write_numbers
from gongwen.batch.options import KINDS, BatchOptions
from gongwen.batch.pages import PageCheck
from gongwen.batch.plan import Output, digest, template_hash
from gongwen.batch.result import BatchResult
from gongwen.batch.sources import Source, Sources
from gongwen.batch.templates import UnitTemplates, needed_templates, unit_templates
from gongwen.batch.worker import CaseDone, Checked, Done, RenderItem, Worker, discard
from gongwen.documents.plan import REPORT_TEMPLATE, DocKind
from gongwen.errors import ArgumentError, LedgerError, OutputError
from gongwen.findings import Finding, Severity
from gongwen.ledger import Assignment, handling_year
from gongwen.ledger.files import load_organisation
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.output.atomic import commit_part, os_error, sync, write_part

__all__ = ["MERGE_NAME", "BatchRun", "render_all"]

MERGE_NAME = "答复函合订本.docx"
_CHUNK = 32  # rows per job sent to a worker (fewer round trips between processes)

#: The report rendered but not saved: a final result, or (output, file already there, bytes,
#: the year rules' findings).
_ReportDraft = BatchResult | tuple[Output, Done | None, bytes, tuple[Finding, ...]]


@dataclass
class _Checks:
    """What pass 1 learned: the good cases, their warnings and renames, the skipped rows."""

    good: set[int] = field(default_factory=set)
    warnings: dict[int, tuple[Finding, ...]] = field(default_factory=dict)
    renames: dict[int, dict[str, str]] = field(default_factory=dict)
    planned: dict[int, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    uses: Counter[str] = field(default_factory=Counter)  # how many cases want each name
    records: list[CaseRecord] = field(default_factory=list)  # for the report
    kept: dict[int, CaseRecord] = field(default_factory=dict)  # the good ones, for pass 2
    skipped: list[Entry] = field(default_factory=list)
    left_out: int = 0  # rows that could not be read: not in the report


class BatchRun:
    """A batch in two passes: :meth:`check` (every case) then :meth:`render` (the good ones).

    :func:`render_all` chains both; the CLI calls them separately to size its progress bar
    with :attr:`total` after the check pass. Rows are read twice and nothing is kept per case
    but its number, so memory does not grow with the ledger; with several workers the worker
    processes build, check and render, and this process only reads rows and moves files.
    """

    def __init__(
        self,
        source: Source,
        org: Organisation | str | os.PathLike[str],
        out_dir: str | os.PathLike[str] | None = None,
        *,
        options: BatchOptions | None = None,
    ) -> None:
        if options is not None and not isinstance(options, BatchOptions):
            raise ArgumentError(
                f"参数 options 应为 BatchOptions，收到 {type(options).__name__}",
                argument="options",
            )
        self.options = options or BatchOptions()
        if not isinstance(org, Organisation | str | os.PathLike):
            raise ArgumentError(
                f"参数 org 应为承办单位（Organisation）或其文件路径，收到 {type(org).__name__}",
                argument="org",
            )
        if out_dir is not None and not isinstance(out_dir, str | os.PathLike):
            raise ArgumentError(
                f"参数 out_dir 应为文件夹路径，收到 {type(out_dir).__name__}", argument="out_dir"
            )
        self.org = org if isinstance(org, Organisation) else load_organisation(org)
        self.out_dir = Path(out_dir) if out_dir is not None else None
        #: The unit's own templates (``options.templates``), checked here before any output.
        self.templates: UnitTemplates = unit_templates(
            self.options.templates, needed_templates(self.options.what, self.options.variant)
        )
        self.sources = Sources(source, self.org, self.options.bodies, self.options.sheet)
        self.total = 0
        self.counts: Counter[str] = Counter()
        self._checks = _Checks()
        self._checked = False
        self._worker: Worker | None = None
        self._executor: ProcessPoolExecutor | None = None
        self._report_draft: Future[_ReportDraft] | None = None
        #: The numbers given to replies the ledger leaves without 发文字号 (see :meth:`number`).
        self.numbers = Assignment({}, {})
        self._earlier_numbers: dict[str, str] = {}

    def number(self) -> Assignment:
        """Number the ledger's replies without 发文字号 (before the checks, so that checks,
        documents and input hashes see the final numbers); numbers of an earlier run in the
        same folder (``numbers.json``) are kept. A draft (``options.draft``) numbers nothing."""
        state = self._state()  # opens the ledger: its row builder
        builder = self.sources.builder
        if self.options.draft or builder is None or self.sources.ledger_path is None:
            return self.numbers
        self._earlier_numbers = read_numbers(self.out_dir)
        slots = []
        for _, row, payload, _ in self.sources.items():  # keeps the cells for the next pass
            if isinstance(payload, list) and row is not None:
                slots += builder.number_slots(row, payload)
        from gongwen.ledger import assign_numbers

        self.numbers = assign_numbers(slots, self.org, self._earlier_numbers)
        builder.numbers = self.numbers.by_row  # the workers' builder too (they start later)
        assert state.builder is builder
        return self.numbers

    @property
    def header_problems(self) -> list[Finding]:
        """Warnings about the ledger's header (unknown or repeated columns)."""
        return self.sources.header_problems

    @property
    def what(self) -> frozenset[str]:
        """The groups of documents made."""
        return self.options.what

    # ── processes ──

    def _state(self) -> Worker:
        """What the workers need (made once, before any worker starts)."""
        if self._worker is None:
            self.sources.open()
            o = self.options
            self._worker = Worker(
                self.org,
                self.out_dir,
                o.today,
                o.what,
                o.variant,
                o.force,
                self.sources.builder,
                previous(self.out_dir),
                "report" in o.what,
                dict(self.templates.paths),
                self.templates.hashes(),
            )
        return self._worker

    def _pool(self) -> ProcessPoolExecutor | None:
        """The worker processes (started once, shared by both passes), or None for one process."""
        if self.options.processes == 1:
            return None
        if self._executor is None:
            state = self._state()
            state.warm()  # the processes fork from this one: what it has loaded, they have
            self._executor = ProcessPoolExecutor(
                self.options.processes, initializer=worker.init, initargs=(state,)
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

        With one process ``local`` runs each chunk here; so does a run with ``workers=0`` that
        has a single chunk (starting processes would cost more). When the caller stops early,
        jobs not started are cancelled and the results of those already running go to
        ``discard``. ``size``: rows per chunk (default ``_CHUNK``).
        """
        size = size or _CHUNK
        it = iter(items)
        first = [x for _, x in zip(range(size), it, strict=False)]
        if not first:
            return
        auto_small = self.options.workers == 0 and self._executor is None and len(first) < size
        pool = None if auto_small else self._pool()
        if pool is None:
            yield local(first)
            while chunk := [x for _, x in zip(range(size), it, strict=False)]:
                yield local(chunk)
            return
        pending: deque[Future[Any]] = deque([pool.submit(job, first)])
        try:
            while chunk := [x for _, x in zip(range(size), it, strict=False)]:
                pending.append(pool.submit(job, chunk))
                while len(pending) > self.options.processes * 3:
                    yield pending.popleft()
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

    # ── pass 1 ──

    def _checked_rows(self) -> Iterator[Checked]:
        """Every row with its problems and check findings (in the workers, in chunks, in order)."""
        state = self._state()  # opens the ledger: the workers need its header
        rows = self.sources.items(again=True)  # the cells kept by :meth:`number`, if it ran
        for res in self._chunks(rows, worker.check_chunk, state.check):
            yield from (res.result() if isinstance(res, Future) else res)

    def check(self) -> Iterator[BatchResult]:
        """Pass 1: read every row, run the checks; yield the rows and cases that cannot be used."""
        self._checks = checks = _Checks()
        self.total = 0
        try:
            self.number()
            for c in self._checked_rows():
                result = self._judge(c, checks)
                if result is not None:
                    yield self._count(result)
            self._assign_names(checks)
        except BaseException:
            self.close()
            self.sources.close()
            raise
        if "report" in self.what:
            self.total += 1
        if self.options.merge and "replies" in self.what:
            self.total += 1
        self._checked = True

    def _judge(self, c: Checked, checks: _Checks) -> BatchResult | None:
        """The result of a row that cannot be used, or None (a good case, or a blank row)."""
        problems = c.problems
        builder = self.sources.builder
        if c.key is not None and builder is not None and c.row is not None:
            dup = builder.claim(c.row, c.key)
            problems = (dup,) if dup is not None else ()
        if c.label is None or problems:
            if not problems:
                return None  # a blank row
            checks.left_out += 1
            checks.skipped.append(
                {"row": c.row, "problems": [f"{p.where}：{p.message}" for p in problems]}
            )
            message = "；".join(p.message for p in problems)
            return BatchResult("invalid", row=c.row, problems=problems, message=message)
        if c.record is not None:
            checks.records.append(c.record)
        errors = [f for f in c.findings if f.severity is Severity.ERROR]
        if errors:
            checks.skipped.append(
                {"case": c.label, "row": c.row, "problems": [str(f) for f in errors]}
            )
            return BatchResult(
                "failed",
                case=c.label,
                row=c.row,
                findings=c.findings,
                message=f"检查发现{len(errors)}处错误：" + "；".join(f.message for f in errors),
            )
        if len(set(c.names)) != len(c.names):  # never: documents.plan gives distinct names
            twice = "、".join(sorted({n for n in c.names if c.names.count(n) > 1}))
            checks.skipped.append({"case": c.label, "row": c.row, "problems": [twice]})
            return BatchResult(
                "failed", case=c.label, row=c.row, message=f"同一案件的文件名重复：{twice}"
            )
        if c.findings:
            checks.warnings[c.index] = c.findings
        checks.good.add(c.index)
        if c.record is not None:  # kept for the report anyway: pass 2 need not build it again
            checks.kept[c.index] = c.record
        checks.planned[c.index] = (c.names, c.prefix)
        checks.uses.update(c.names)
        self.total += len(c.names)
        return None

    @staticmethod
    def _assign_names(checks: _Checks) -> None:
        """Names stay unique in a run and do not depend on row order: when two cases want the
        same name (the same 案号 in two 届次), each gets its 届次 in front of it."""
        taken = {n for n, k in checks.uses.items() if k == 1}
        for index, (names, prefix) in checks.planned.items():
            renames: dict[str, str] = {}
            for name in names:
                if checks.uses[name] == 1:
                    continue
                final = base = f"{prefix}-{name}"
                n = 1
                while final in taken:  # the same 届次 too (records, not a ledger): number them
                    n += 1
                    stem, dot, suffix = base.rpartition(".")
                    final = f"{stem}({n}){dot}{suffix}"
                taken.add(final)
                renames[name] = final
            if renames:
                checks.renames[index] = renames
        checks.planned.clear()
        checks.uses.clear()

    def _count(self, r: BatchResult) -> BatchResult:
        self.counts[r.status] += 1
        return r

    # ── pass 2 ──

    def render(self) -> Iterator[BatchResult]:
        """Pass 2: render every good case's documents (in order), then the report and merge."""
        if not self._checked:
            yield from self.check()
        manifest: Manifest | None = None
        lock: OutputLock | None = None
        if self.out_dir is not None:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.sources.close()
                raise os_error(exc, self.out_dir) from None
            lock = OutputLock(self.out_dir)
            try:
                lock.acquire()  # before the clean-up: never remove another run's temp files
                for stray in self.out_dir.glob(".*.part"):
                    stray.unlink(missing_ok=True)
                manifest = Manifest(self.out_dir, self._state().previous)
                write_numbers(self.out_dir, self.numbers, self._earlier_numbers, self.org)
            except OSError as exc:
                lock.release()
                self.sources.close()
                raise os_error(exc, self.out_dir) from None
        merger = None
        if self.options.merge and "replies" in self.what:
            from gongwen.output.merge import LetterMerger

            merger = LetterMerger(simplex=self.options.simplex)
        finished = False
        # --verify-pages: the page rules on each output, one warm LibreOffice (batch/pages.py)
        check = PageCheck(self.options.verify_pages, manifest, self.org.config.checks)
        try:
            for result, merge_data in self._render_cases(manifest):
                if self._executor is not None:  # the workers render the cases
                    self._start_report()
                if merger is not None and merge_data is not None:
                    merger.add(merge_data)
                yield self._count(check(result))
            if "report" in self.what:
                yield self._count(check(self._report(manifest)))
            if merger is not None:
                yield self._count(check(self._merged(merger, manifest)))
            finished = True
        finally:
            check.close()
            self.sources.close()
            try:
                if manifest is not None:
                    if finished:
                        # the documents reach the disk before the manifest names them
                        sync(self.out_dir)
                        manifest.finish(self._meta(), self._checks.skipped)
                    else:
                        manifest.close()
            finally:
                if lock is not None:
                    lock.release()

    def _meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "generator": f"gongwen {__version__}",
            "created": datetime.now().isoformat(timespec="seconds"),
            "organisation": self.org.name,
        }
        if self._checks.left_out:
            meta["rows_left_out"] = self._checks.left_out
            meta["report_partial"] = "report" in self.what and self.options.allow_partial
        if self.sources.path is not None:
            meta["source"] = str(self.sources.path)
            meta["source_sha256"] = sha_file(self.sources.path)
        return meta

    def _render_cases(
        self, manifest: Manifest | None
    ) -> Iterator[tuple[BatchResult, bytes | None]]:
        state = self._state()
        checks = self._checks
        todo: Iterator[RenderItem] = (
            (i, row, checks.kept.get(i, payload), checks.renames.get(i, {}))
            for i, row, payload, _ in self.sources.items(again=True)
            if i in checks.good
        )
        # With workers, small batches still give each of them several jobs.
        size = _CHUNK
        n = self.options.processes
        if n > 1 and (self.options.workers != 0 or self._executor is not None):
            size = max(1, min(_CHUNK, -(-len(checks.good) // (n * 4))))
        jobs = self._chunks(todo, worker.render_chunk, state.render, discard, size)
        try:
            for res in jobs:
                cases: list[CaseDone] = res.result() if isinstance(res, Future) else res
                yield from self._finish_chunk(cases, manifest)
        finally:
            jobs.close()
            self.close()

    def _finish_chunk(
        self, cases: list[CaseDone], manifest: Manifest | None
    ) -> Iterator[tuple[BatchResult, bytes | None]]:
        """Journal a chunk's files, then move them in place case by case, yielding results."""
        moved: set[str] = set()
        try:
            if manifest is not None:
                for case in cases:
                    for d in case.done:
                        if d.tmp is not None:
                            o = d.out
                            manifest.add(
                                entry(
                                    o.name,
                                    o.kind,
                                    case.label,
                                    case.row,
                                    d.sha256,
                                    o.input,
                                    case.key or None,
                                )
                            )
                manifest.flush()
            for case in cases:
                for d in case.done:
                    if d.tmp is not None:
                        moved.add(d.tmp)
                    yield self._result(case, d, manifest)
        finally:  # interrupted: remove what was rendered but not moved in place
            discard(
                [replace(c, done=tuple(d for d in c.done if d.tmp not in moved)) for c in cases]
            )

    def _result(
        self, case: CaseDone, d: Done, manifest: Manifest | None
    ) -> tuple[BatchResult, bytes | None]:
        out = d.out
        path = self.out_dir / out.name if self.out_dir and d.status != "failed" else None
        if d.tmp is not None and path is not None:
            commit_part(d.tmp, path)
        elif manifest is not None and d.status in ("unchanged", "kept"):
            # A kept file was not made from this input: no input hash, so it never counts
            # as complete (only --force replaces it).
            kept_input = None if d.status == "kept" else out.input
            manifest.add(
                entry(
                    out.name,
                    out.kind,
                    case.label,
                    case.row,
                    d.sha256,
                    kept_input,
                    case.key or None,
                ),
                journal=False,
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
            self._checks.warnings.get(case.index, ()),
        )
        merge = None
        if self.options.merge and out.kind not in (DocKind.FORM, "") and d.status != "failed":
            merge = d.data if d.data is not None else path.read_bytes() if path else None
        return result, merge

    # ── the report and the merged file ──

    def _year(self) -> HandlingYear:
        """The year of the report: the year given, else told from the cases (never the clock)."""
        records = tuple(self._checks.records)
        given = self.sources.year
        number = given.year if given is not None else handling_year(records)
        return HandlingYear(year=number, organisation=self.org, cases=records)

    def _report(self, manifest: Manifest | None) -> BatchResult:
        """The annual report; stale reports of earlier runs are removed when it is not made."""
        result = self._make_report(manifest)
        if manifest is not None and self.out_dir is not None:
            stale = self._remove_stale_reports(manifest, result.name if result.ok else None)
            if stale:
                note = f"已删除上次生成、已过期的工作总结：{'、'.join(stale)}"
                message = f"{result.message}；{note}" if result.message else note
                result = replace(result, message=message)
        return result

    def _remove_stale_reports(self, manifest: Manifest, keep: str | None) -> list[str]:
        """Reports an earlier run wrote (still intact) that this run did not make again."""
        assert self.out_dir is not None
        removed: list[str] = []
        kind = DocKind.REPORT.value
        for name, e in manifest.old.items():
            if e.get("kind") != kind or name == keep or name in manifest.new:
                continue
            path = self.out_dir / name
            if complete(self.out_dir, manifest.old, name, str(e.get("input"))):
                try:
                    path.unlink()
                except OSError as exc:
                    raise os_error(exc, path) from None
                removed.append(name)
        return removed

    def _start_report(self) -> None:
        """Render the report in a thread of this process while the workers render the cases
        (this process mostly waits for them then); :meth:`_make_report` saves it in order."""
        if self._report_draft is not None or "report" not in self.what:
            return
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(1, thread_name_prefix="gongwen-report")
        self._report_draft = pool.submit(self._draft_report)
        pool.shutdown(wait=False)

    def _make_report(self, manifest: Manifest | None) -> BatchResult:
        future, self._report_draft = self._report_draft, None
        draft = future.result() if future is not None else self._draft_report()
        if isinstance(draft, BatchResult):
            return draft
        out, existing, data, findings = draft
        kind, name, input_hash = out.kind, out.name, out.input
        if existing is not None:
            if manifest is not None:
                kept_input = input_hash if existing.status == "unchanged" else None
                manifest.add(
                    entry(name, kind, None, None, existing.sha256, kept_input), journal=False
                )
            return BatchResult(
                existing.status,
                kind,
                name=name,
                path=self.out_dir / name if self.out_dir else None,
                sha256=existing.sha256,
                message=existing.message,
            )
        result = self._save(out, data, manifest)
        result = replace(result, findings=findings)  # the year rules' warnings
        left_out = self._checks.left_out
        if left_out:
            note = f"台账有{left_out}行无法读取，未计入本工作总结（总结中已注明）"
            result = replace(result, message=note)
        return result

    def _draft_report(self) -> _ReportDraft:
        """The report up to its bytes (no file written, nothing recorded): a final result when
        it cannot be made, else its output, the file already there (or None), bytes, findings."""
        from gongwen.api import render_annual_report
        from gongwen.checks import CheckFailed
        from gongwen.documents.report import report_name

        kind = DocKind.REPORT.value
        left_out = self._checks.left_out
        if left_out and not self.options.allow_partial:
            return BatchResult(
                "failed",
                kind,
                message=f"台账有{left_out}行无法读取，未生成工作总结（统计会不完整）；"
                "请先改正这些行，或确认后允许生成不完整的工作总结",
            )
        try:
            year = self._year()
        except LedgerError as exc:
            return BatchResult("failed", kind, message=f"无法生成工作总结：{exc}")
        name = report_name(year, self.org)
        input_hash = digest(
            __version__,
            "report",
            year.model_dump_json(),
            self._state().org_json,
            self.options.narrative or "",
            str(left_out),
            self._state().template_hashes.get(REPORT_TEMPLATE) or template_hash(REPORT_TEMPLATE),
        )
        out = Output(name, kind, input_hash)
        existing = self._state().existing(out)
        if existing is not None:
            return out, existing, b"", ()
        # The case rules ran on every case in pass 1; the report adds the year rules (the
        # same function as ``gongwen check``: :func:`gongwen.inputs.year_findings`).
        from gongwen.inputs import year_findings

        findings = year_findings(
            list(year.cases), self.org, self.options.narrative or "", self.options.today
        )
        try:
            if any(f.severity is Severity.ERROR for f in findings):
                raise CheckFailed(findings)
            doc = render_annual_report(
                year,
                self.org,
                self.options.narrative,
                today=self.options.today,
                left_out=left_out,
                check=False,
                template=self.templates.template(REPORT_TEMPLATE),
            )
        except CheckFailed as exc:
            errors = [f for f in exc.findings if f.severity is Severity.ERROR]
            return BatchResult(
                "failed",
                kind,
                name=name,
                findings=tuple(exc.findings),
                message="；".join(f.message for f in errors),
            )
        except OutputError:
            raise
        except Exception as exc:
            return BatchResult("failed", kind, name=name, message=f"生成失败：{exc}")
        return out, None, doc.data, tuple(findings)

    def _save(self, out: Output, data: bytes, manifest: Manifest | None) -> BatchResult:
        sha = hashlib.sha256(data).hexdigest()
        if manifest is None or self.out_dir is None:
            return BatchResult("written", out.kind, name=out.name, data=data, sha256=sha)
        part = write_part(self.out_dir, out.name, data)
        manifest.add(entry(out.name, out.kind, None, None, sha, out.input))
        manifest.flush()
        path = commit_part(part, self.out_dir / out.name)
        return BatchResult("written", out.kind, name=out.name, path=path, sha256=sha)

    def _merged(self, merger: Any, manifest: Manifest | None) -> BatchResult:
        kind = DocKind.MERGED.value
        if merger.count == 0:
            return BatchResult("failed", kind, name=MERGE_NAME, message="没有可合并的答复函")
        data = merger.finish()
        input_hash = hashlib.sha256(data).hexdigest()
        out = Output(MERGE_NAME, kind, input_hash)
        if manifest is not None and manifest.complete(MERGE_NAME, input_hash):
            assert self.out_dir is not None
            manifest.add(entry(MERGE_NAME, kind, None, None, input_hash, input_hash), journal=False)
            return BatchResult(
                "unchanged",
                kind,
                name=MERGE_NAME,
                path=self.out_dir / MERGE_NAME,
                sha256=input_hash,
            )
        if manifest is not None and self.out_dir is not None and not self.options.force:
            path = self.out_dir / MERGE_NAME
            if path.exists() and MERGE_NAME not in manifest.old:
                return BatchResult(
                    "kept",
                    kind,
                    name=MERGE_NAME,
                    path=path,
                    message="文件已存在且不是本工具生成的，未覆盖（使用 --force 覆盖）",
                )
        return self._save(out, data, manifest)

    def __iter__(self) -> Iterator[BatchResult]:
        yield from self.check()
        yield from self.render()


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
    sheet: str | None = None,
    allow_partial: bool = False,
    draft: bool = False,
    simplex: bool = False,
    templates: str | os.PathLike[str] | None = None,
) -> Iterator[BatchResult]:
    """Check every case, then render replies, feedback forms and the report; stream the results.

    ``source``: a ledger path (.xlsx/.csv/.json/.yaml rows), a year file, a HandlingYear, a
    LedgerResult or CaseRecords. With ``out_dir`` files are written there (atomically, with
    ``manifest.json``; existing files kept unless ``force``; a re-run skips complete outputs);
    without it each result carries the document bytes in ``data``. ``workers`` > 1 renders in
    that many processes (0: one per core, see :func:`gongwen.batch.options.auto_workers`);
    results still come in order. ``sheet``: the worksheet of an .xlsx ledger (default: the
    active visible one). ``allow_partial``: write the report even when some ledger rows cannot
    be read (it says how many were left out; without it the report is not written).
    Replies a ledger leaves without 发文字号 are numbered from the organisation's series and
    recorded in ``numbers.json`` (kept on a re-run); ``draft`` leaves them blank (``〔2024〕  号``).
    ``simplex``: the merged file for single-sided printing. ``templates``: a folder of the unit's
    own templates (``gongwen template init``), each checked before anything is written
    (:class:`gongwen.errors.TemplateError` naming the file and its problems).
    Raises
    :class:`gongwen.errors.LedgerError` when the ledger file cannot be read,
    :class:`gongwen.errors.ArgumentError` (:class:`~gongwen.errors.InvalidOption`, also a
    ``ValueError``, for a bad value) with a Chinese message for a bad argument, and
    :class:`gongwen.errors.OutputError` when ``out_dir`` cannot be written.
    """
    options = BatchOptions.of(
        what=what,
        workers=workers,
        force=force,
        merge=merge,
        today=today,
        narrative=narrative,
        bodies=bodies,
        sheet=sheet,
        allow_partial=allow_partial,
        draft=draft,
        simplex=simplex,
        templates=templates,
    )
    return iter(BatchRun(source, org, out_dir, options=options))
