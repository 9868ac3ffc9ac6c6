"""A unit's own templates (``--templates DIR``) for a batch or an archive: found per document
kind by :func:`gongwen.documents.templates.template_in`, each checked once before anything is
written (:func:`gongwen.render.template_check.check_template`), the bundled template used, with
a note, for a kind the folder does not have.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gongwen.documents.plan import FORM_TEMPLATE, REPORT_TEMPLATE
from gongwen.documents.reply import Variant
from gongwen.documents.templates import (
    MEANINGS,
    SOURCES,
    TEMPLATE_KINDS,
    TemplateKind,
    kind_of,
    sample_context,
    template_in,
)
from gongwen.errors import TemplateError
from gongwen.findings import Severity
from gongwen.render.engine import load_template
from gongwen.render.template_check import TemplateSpec, check_template
from gongwen.resources import example_path, template_path

__all__ = ["UnitTemplates", "needed_templates", "template_spec", "unit_templates"]


@cache
def _sample_keys(key: str) -> frozenset[str]:
    from gongwen.ledger.files import load_organisation, load_year

    kind = next(k for k in TEMPLATE_KINDS if k.key == key)
    year = load_year(example_path("year2024.yaml"))
    org = load_organisation(example_path("organisation.yaml"))
    return frozenset(sample_context(kind, year, org))


def template_spec(kind: TemplateKind) -> TemplateSpec:
    """What a template of ``kind`` is held to: the placeholders of its context (built from the
    bundled example), the required ones, and the bundled template to compare with."""
    return TemplateSpec(
        what=kind.title,
        known=_sample_keys(kind.key),
        required=kind.required,
        required_any=kind.required_any,
        meanings=MEANINGS,
        sources=SOURCES,
        reference=template_path(kind.bundled).read_bytes(),
        reference_variables=load_template(template_path(kind.bundled)).variables,
    )


def needed_templates(what: Collection[str], variant: Variant) -> tuple[str, ...]:
    """The bundled templates a batch or an archive of ``what`` may use, with ``variant``."""
    out: list[str] = []
    if "replies" in what:
        out += (
            ["reply_file.docx"] if variant == "file" else ["reply_letter.docx", "co_opinion.docx"]
        )
        out.append("extension_notice.docx")
    if "forms" in what:
        out.append(FORM_TEMPLATE)
    if "report" in what:
        out.append(REPORT_TEMPLATE)
    return tuple(out)


@dataclass(frozen=True)
class UnitTemplates:
    """The unit's templates in use, by bundled name (``reply_letter.docx`` → its file), and
    the notes on kinds the folder does not have (the bundled template is used for those)."""

    folder: Path | None = None
    paths: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def template(self, bundled: str) -> str | None:
        """The unit's file for ``bundled`` (None: the bundled template)."""
        return self.paths.get(bundled)

    def hashes(self) -> dict[str, str]:
        """SHA-256 of each of the unit's files, by bundled name (for the input hashes)."""
        return {b: hashlib.sha256(Path(p).read_bytes()).hexdigest() for b, p in self.paths.items()}


def _problem(path: Path, kind: TemplateKind) -> str | None:
    """The Chinese message of what makes ``path`` unusable as a template of ``kind``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"模板 {path} 无法读取：{exc.strerror or exc}"
    try:
        findings = check_template(data, path.name, template_spec(kind))
    except TemplateError as exc:
        return f"模板 {path} 不能使用：{exc}"
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if not errors:
        return None
    lines = "；".join(
        f"{f.code} {f.path}：{f.message}" if f.path else f"{f.code} {f.message}" for f in errors
    )
    return (
        f"模板 {path}（{kind.title}）有{len(errors)}处错误：{lines}"
        f"（改正后可用 gongwen template check 核对）"
    )


def unit_templates(folder: str | os.PathLike[str] | None, bundled: Iterable[str]) -> UnitTemplates:
    """The unit's templates in ``folder`` for the ``bundled`` names, each checked once.

    Raises :class:`TemplateError` (Chinese, naming the file and its problems) when the folder
    is missing or one of its templates cannot be used — before anything is written.
    """
    if folder is None:
        return UnitTemplates()
    where = Path(folder)
    if not where.is_dir():
        raise TemplateError(f"模板文件夹不存在或不是文件夹：{where}")
    paths: dict[str, str] = {}
    notes: list[str] = []
    problems: list[str] = []
    for name in dict.fromkeys(bundled):
        kind = kind_of(name)
        found = template_in(where, name)
        if found is None or kind is None:
            shown = f"“{kind.file_name}”或“{name}”" if kind else f"“{name}”"
            notes.append(f"模板文件夹 {where} 中没有{shown}，使用自带模板。")
            continue
        problem = _problem(found, kind)
        if problem is not None:
            problems.append(problem)
        paths[name] = str(found.resolve())
    if problems:
        raise TemplateError("\n".join(problems), path=where)
    return UnitTemplates(where, paths, tuple(notes))
