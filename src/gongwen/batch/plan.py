"""What a case yields in a batch: :func:`gongwen.documents.plan.case_documents`, with the hash
of everything that shapes each document (so a re-run can tell a complete output from a stale one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from gongwen._version import __version__
from gongwen.documents.plan import PlannedDocument, case_documents
from gongwen.documents.reply import Variant
from gongwen.models.year import CaseRecord

__all__ = ["Output", "digest", "names", "outputs", "template_hash"]


@dataclass(frozen=True)
class Output:
    """One file of a run: what to render (None for the report and the merged file), its name,
    kind and input hash."""

    name: str
    kind: str
    input: str
    planned: PlannedDocument | None = None

    def renamed(self, name: str) -> Output:
        """The same output under another file name (the planned document keeps its own)."""
        return replace(self, name=name)


@cache
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def template_hash(name: str) -> str:
    """SHA-256 of a bundled template (``-`` when it does not exist)."""
    from gongwen.resources import template_path

    p = template_path(name)
    return _file_hash(str(p)) if p.exists() else "-"


def digest(*parts: str) -> str:
    """SHA-256 over ``parts`` (NUL-separated)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def names(record: CaseRecord, what: Collection[str], variant: Variant) -> list[str]:
    """The file names a case yields (the check pass: no hashes)."""
    return [d.name for d in case_documents(record, what, variant=variant)]


def outputs(
    record: CaseRecord,
    what: Collection[str],
    variant: Variant,
    org_json: str,
    templates: Mapping[str, str] | None = None,
) -> list[Output]:
    """The documents a case yields, each with the hash of its record, organisation, template
    and gongwen version. ``templates``: SHA-256 of the unit's own templates by bundled name
    (:meth:`gongwen.batch.templates.UnitTemplates.hashes`), used instead of the bundled ones'."""
    rec_json = record.model_dump_json()
    own = templates or {}
    out = []
    for d in case_documents(record, what, variant=variant):
        person = d.proposer.name if d.proposer is not None else ""
        tpl = own.get(d.template) or template_hash(d.template)
        input_hash = digest(__version__, d.kind.value, person, rec_json, org_json, tpl)
        out.append(Output(d.name, d.kind.value, input_hash, d))
    return out
