"""What runs in a worker process (or in this one with ``workers=1``): build, check, render.

The state (:class:`Worker`) is sent once to each process; jobs are chunks of rows. Pass 1
(:meth:`Worker.check`) builds each row and runs the case checks; pass 2 (:meth:`Worker.render`)
builds the good rows again, skips outputs already complete and renders the rest to hidden
``.part`` files (moved in place by the main process after journaling).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gongwen.batch.manifest import Entry, case_key_text, complete, sha_file
from gongwen.batch.plan import Output, names, outputs
from gongwen.batch.result import Status
from gongwen.batch.sources import Item, Payload
from gongwen.documents.naming import safe_component
from gongwen.documents.plan import DocKind, PlannedDocument
from gongwen.documents.reply import Variant
from gongwen.findings import Finding
from gongwen.ledger import RowBuilder
from gongwen.ledger.read import read_problems
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseKey, CaseRecord, case_key
from gongwen.output.atomic import write_part

__all__ = ["CaseDone", "Checked", "Done", "RenderItem", "Worker", "discard", "render_document"]

KEPT = "文件已存在且不是本次输入生成的，未覆盖（使用 --force 覆盖）"

RenderItem = tuple[int, int | None, Payload, dict[str, str]]


def render_document(
    record: CaseRecord,
    planned: PlannedDocument,
    org: Organisation,
    today: date | None,
    template: str | None = None,
) -> bytes:
    """Render one planned document (the checks already ran); ``template``: the unit's own."""
    from gongwen.api import render_planned

    return render_planned(record, planned, org, today=today, check=False, template=template).data


@dataclass(frozen=True)
class Checked:
    """What pass 1 learns about a row: problems, findings, the outputs it will give."""

    index: int
    row: int | None
    label: str | None = None
    problems: tuple[Finding, ...] = ()
    findings: tuple[Finding, ...] = ()
    names: tuple[str, ...] = ()
    prefix: str = ""  # put before a name that is already taken (the 届次)
    key: CaseKey | None = None  # for the duplicate check of ledger rows
    record: CaseRecord | None = None  # sent back only when the report needs it


@dataclass(frozen=True)
class Done:
    """One output of pass 2: rendered (to a ``.part`` file or as bytes), already there, or not."""

    out: Output
    status: Status
    sha256: str | None = None
    tmp: str | None = None
    data: bytes | None = None
    message: str = ""


@dataclass(frozen=True)
class CaseDone:
    """The outputs of one case in pass 2."""

    index: int
    row: int | None
    label: str | None
    done: tuple[Done, ...]
    key: str = ""  # 类型|届次|案号: the manifest names the case by it


def discard(cases: list[CaseDone]) -> None:
    """Remove the files of a render job whose results will not be used."""
    for case in cases:
        for d in case.done:
            if d.tmp is not None:
                Path(d.tmp).unlink(missing_ok=True)


@dataclass
class Worker:
    """Everything needed to check and render cases: sent once to each worker process."""

    org: Organisation
    out_dir: Path | None
    today: date | None
    what: frozenset[str]
    variant: Variant
    force: bool
    builder: RowBuilder | None  # for raw ledger rows
    previous: dict[str, Entry]
    keep_records: bool
    #: The unit's own templates by bundled name, and their SHA-256 (``--templates``).
    templates: dict[str, str] = field(default_factory=dict)
    template_hashes: dict[str, str] = field(default_factory=dict)
    org_json: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.org_json = self.org.model_dump_json()

    def record(self, row: int | None, payload: Payload) -> tuple[CaseRecord | None, list[Finding]]:
        """The record of a row (built here from raw cells when it comes from a ledger)."""
        if isinstance(payload, list):
            assert self.builder is not None and row is not None
            unread = read_problems(self.builder, row, payload)
            if unread:  # a cell or row the reader could not take (merged, cut-off CSV …)
                return None, unread
            return self.builder.make(row, payload)
        return payload, []

    def check(self, items: list[Item]) -> list[Checked]:
        """Pass 1 for a chunk of rows: build, run the case checks, plan the outputs.

        The checks are :func:`gongwen.inputs.record_findings`, as ``gongwen check`` runs them:
        a ledger row's warnings first, findings placed on the ledger's cells.
        """
        from gongwen.inputs import record_findings

        out: list[Checked] = []
        for index, row, payload, problems in items:
            rec, more = self.record(row, payload)
            if rec is None:
                out.append(Checked(index, row, problems=problems + tuple(more)))
                continue
            ledger = self.builder if isinstance(payload, list) else None
            findings = record_findings(
                rec, self.org, today=self.today, row=row, builder=ledger, warnings=more
            )
            out.append(
                Checked(
                    index,
                    row,
                    rec.case.label,
                    findings=tuple(findings),
                    names=tuple(names(rec, self.what, self.variant)),
                    prefix=safe_component(rec.case.session.display),
                    key=case_key(rec) if isinstance(payload, list) else None,
                    record=rec if self.keep_records else None,
                )
            )
        return out

    def render(self, items: list[RenderItem]) -> list[CaseDone]:
        """Pass 2 for a chunk of good rows: build, plan, skip what is there, render the rest."""
        out: list[CaseDone] = []
        done: list[Done] = []
        try:
            for index, row, payload, renames in items:
                rec, problems = self.record(row, payload)
                if rec is None:  # the ledger changed since pass 1
                    message = "；".join(p.message for p in problems) or "台账行已变化"
                    failed = Done(Output("", "", ""), "failed", message=message)
                    out.append(CaseDone(index, row, None, (failed,)))
                    continue
                done = []
                planned = outputs(rec, self.what, self.variant, self.org_json, self.template_hashes)
                forms = sum(1 for o in planned if o.kind == DocKind.FORM.value)
                if forms and forms != len(rec.case.proposers):  # one form per proposer
                    message = f"征询意见表数（{forms}）与提案人数（{len(rec.case.proposers)}）不符"
                    failed = Done(Output("", DocKind.FORM.value, ""), "failed", message=message)
                    out.append(CaseDone(index, row, rec.case.label, (failed,)))
                    continue
                for o in planned:
                    final = o.renamed(renames[o.name]) if o.name in renames else o
                    done.append(self.output(rec, final))
                kind, session, number = case_key(rec)
                key = case_key_text(kind, session, number)
                out.append(CaseDone(index, row, rec.case.label, tuple(done), key))
                done = []
        except BaseException:  # interrupted: leave no .part file behind
            discard([*out, CaseDone(-1, None, None, tuple(done))])
            raise
        return out

    def warm(self) -> None:
        """Before the worker processes fork: import the case rules and compile the templates
        this run may use, once here for all of them (each worker would otherwise do both)."""
        from gongwen.batch.templates import needed_templates
        from gongwen.checks import RECORD_SUBJECTS
        from gongwen.checks.core import rules_for
        from gongwen.errors import GongwenError
        from gongwen.render.engine import load_template
        from gongwen.resources import template_path

        rules_for(*RECORD_SUBJECTS)
        for name in needed_templates(self.what, self.variant):
            try:
                load_template(self.templates.get(name) or template_path(name))
            except GongwenError:  # reported with the documents that use it
                continue

    def existing(self, out: Output) -> Done | None:
        """The result for an output already in the folder (None: render it)."""
        if self.out_dir is None:
            return None
        path = self.out_dir / out.name
        if complete(self.out_dir, self.previous, out.name, out.input):
            return Done(out, "unchanged", self.previous[out.name]["sha256"])
        if not self.force and path.exists():
            return Done(out, "kept", sha_file(path), message=KEPT)
        return None

    def output(self, rec: CaseRecord, out: Output) -> Done:
        """Render one output (unless it is already there) to a ``.part`` file or to bytes."""
        there = self.existing(out)
        if there is not None:
            return there
        assert out.planned is not None
        try:
            own = self.templates.get(out.planned.template)
            data = render_document(rec, out.planned, self.org, self.today, own)
        except Exception as exc:  # one bad document must not stop the batch
            return Done(out, "failed", message=f"生成失败：{str(exc) or type(exc).__name__}")
        sha = hashlib.sha256(data).hexdigest()
        if self.out_dir is None:
            return Done(out, "written", sha, data=data)
        return Done(
            out, "written", sha, tmp=str(write_part(self.out_dir, out.name, data, durable=False))
        )


_STATE: list[Worker] = []  # the worker process's state, set once by init


def init(worker: Worker) -> None:
    """Initialiser of a worker process."""
    import gc

    gc.freeze()  # objects inherited from the parent: never scanned again, pages stay shared
    _STATE[:] = [worker]


def check_chunk(items: list[Item]) -> list[Checked]:
    """Pass 1 job."""
    return _STATE[0].check(items)


def render_chunk(items: list[RenderItem]) -> list[CaseDone]:
    """Pass 2 job."""
    return _STATE[0].render(items)
