"""gongwen — GB/T 9704-2012 replies, feedback forms and handling reports for 建议/提案.

The public API (everything the docs use), importable from ``gongwen``:

- models: :class:`Case`, :class:`Reply`, :class:`CaseRecord`, :class:`HandlingYear`,
  :class:`Organisation`, :class:`Session` with :class:`Body` and :class:`Level` …
- loading: :func:`load_organisation`, :func:`load_year`, :func:`load_record`,
  :func:`load_ledger` (xlsx/csv/json/yaml ledgers, cell-precise findings)
- checks: :func:`check_record`, :func:`check_year`, :func:`check_year_all` (case and year
  rules together) → :class:`Finding` (code, severity, path,
  row/column, Chinese message)
- rendering: :func:`render_reply`, :func:`render_co_opinion`, :func:`render_feedback_form`,
  :func:`render_feedback_forms`, :func:`render_annual_report` → :class:`RenderedDocument`
- after rendering: :func:`verify` (GB/T 9704 rules D1–D14), :func:`merge_letters`
  (the print file), :class:`Converter` / :func:`to_pdf` / :func:`to_png` / :func:`pdf_to_png`
  (LibreOffice previews)
- batch: :func:`render_all` / :class:`BatchRun` → :class:`BatchResult` per document
- 一件一档: :func:`archive_input` (ledger or year file), :func:`export_archive` (workbench)
- errors: :class:`GongwenError` and its subclasses (the tree is drawn in :mod:`gongwen.errors`)

Modules not named here are internal; their names may change between releases. The heavier parts
(batch, ledger, merge, preview) are imported on first use, so ``import gongwen`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gongwen._version import __version__
from gongwen.errors import (
    ArgumentError,
    ChartUnavailable,
    CheckFailed,
    DocumentError,
    DocxPackageError,
    GongwenError,
    InputError,
    InvalidOption,
    LedgerError,
    MergeError,
    NoFormForCoHandler,
    OutputError,
    OutputExists,
    PreviewError,
    StaleRevision,
    StoreError,
    TemplateError,
    error_list,
    format_validation_error,
)
from gongwen.findings import Finding, Severity, Subject
from gongwen.models import (
    Attachment,
    Body,
    Case,
    CaseKind,
    CaseRecord,
    Config,
    ContactMethod,
    ContactRecord,
    CoOpinion,
    DocNumber,
    Feedback,
    FollowUp,
    HandlingRole,
    HandlingYear,
    Level,
    Organisation,
    Proposer,
    Rating,
    Reply,
    Round,
    Session,
)

# Imported eagerly: importing the subpackage ``gongwen.verify`` later would otherwise bind the
# package attribute ``gongwen.verify`` to the module instead of the function.
from gongwen.verify import verify

if TYPE_CHECKING:
    from gongwen.api import (
        render_annual_report,
        render_co_opinion,
        render_extension_notice,
        render_feedback_form,
        render_feedback_forms,
        render_reply,
        render_units_summary,
    )
    from gongwen.archive import archive_input, export_archive
    from gongwen.batch import BatchResult, BatchRun, render_all
    from gongwen.checks import check_record, check_year_all
    from gongwen.checks.rules.year import check_year
    from gongwen.documents.extension import ExtensionNotice
    from gongwen.ledger import LedgerResult, load_ledger
    from gongwen.ledger.files import load_organisation, load_record, load_year
    from gongwen.output import LetterMerger, merge_letters
    from gongwen.preview import Converter, pdf_to_png, to_pdf, to_png
    from gongwen.render.result import RenderedDocument
    from gongwen.units import UnitYear, load_unit_years, summarise_units

_LAZY = {
    "render_annual_report": "gongwen.api",
    "render_co_opinion": "gongwen.api",
    "render_extension_notice": "gongwen.api",
    "render_units_summary": "gongwen.api",
    "ExtensionNotice": "gongwen.documents.extension",
    "UnitYear": "gongwen.units",
    "load_unit_years": "gongwen.units",
    "summarise_units": "gongwen.units",
    "render_feedback_form": "gongwen.api",
    "render_feedback_forms": "gongwen.api",
    "render_reply": "gongwen.api",
    "archive_input": "gongwen.archive",
    "export_archive": "gongwen.archive",
    "BatchResult": "gongwen.batch",
    "BatchRun": "gongwen.batch",
    "render_all": "gongwen.batch",
    "check_record": "gongwen.checks",
    "check_year_all": "gongwen.checks",
    "check_year": "gongwen.checks.rules.year",
    "LedgerResult": "gongwen.ledger",
    "load_ledger": "gongwen.ledger",
    "load_organisation": "gongwen.ledger.files",
    "load_record": "gongwen.ledger.files",
    "load_year": "gongwen.ledger.files",
    "LetterMerger": "gongwen.output",
    "merge_letters": "gongwen.output",
    "Converter": "gongwen.preview",
    "pdf_to_png": "gongwen.preview",
    "to_pdf": "gongwen.preview",
    "to_png": "gongwen.preview",
    "RenderedDocument": "gongwen.render.result",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gongwen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ArgumentError",
    "Attachment",
    "BatchResult",
    "BatchRun",
    "Body",
    "Case",
    "CaseKind",
    "CaseRecord",
    "ChartUnavailable",
    "CheckFailed",
    "CoOpinion",
    "Config",
    "ContactMethod",
    "ContactRecord",
    "Converter",
    "DocNumber",
    "DocumentError",
    "DocxPackageError",
    "ExtensionNotice",
    "Feedback",
    "Finding",
    "FollowUp",
    "GongwenError",
    "HandlingRole",
    "HandlingYear",
    "InputError",
    "InvalidOption",
    "LedgerError",
    "LedgerResult",
    "LetterMerger",
    "Level",
    "MergeError",
    "NoFormForCoHandler",
    "Organisation",
    "OutputError",
    "OutputExists",
    "PreviewError",
    "Proposer",
    "Rating",
    "RenderedDocument",
    "Reply",
    "Round",
    "Session",
    "Severity",
    "StaleRevision",
    "StoreError",
    "Subject",
    "TemplateError",
    "UnitYear",
    "__version__",
    "archive_input",
    "check_record",
    "check_year",
    "check_year_all",
    "error_list",
    "export_archive",
    "format_validation_error",
    "load_ledger",
    "load_organisation",
    "load_record",
    "load_unit_years",
    "load_year",
    "merge_letters",
    "pdf_to_png",
    "render_all",
    "render_annual_report",
    "render_co_opinion",
    "render_extension_notice",
    "render_feedback_form",
    "render_feedback_forms",
    "render_reply",
    "render_units_summary",
    "summarise_units",
    "to_pdf",
    "to_png",
    "verify",
]
