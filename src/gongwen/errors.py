"""Every exception gongwen raises, in one tree, and helpers to report validation errors.

::

    GongwenError                       base of everything gongwen raises on purpose
    ├── ArgumentError                  a public function was called with a wrong argument
    │   └── InvalidOption              right type, value not allowed (range, limit, choice)
    ├── InputError                     an input file cannot be read or does not validate
    │   └── LedgerError                a ledger file itself cannot be read (format, header)
    ├── CheckFailed                    rules found errors; carries every finding
    ├── TemplateError                  a template is unusable (not a docx, bad placeholders)
    ├── DocumentError                  a document cannot be made from the data given
    │   └── NoFormForCoHandler         a co-handler sends no feedback form
    ├── OutputError                    an output cannot be written
    │   └── OutputExists               the file exists and overwriting was not asked for
    ├── DocxPackageError               a .docx cannot be read as a package (verify, merge)
    │   └── MergeError                 letters cannot be merged into one print file
    ├── ChartUnavailable               matplotlib is not installed
    ├── PreviewError                   LibreOffice or pdftoppm missing, failed or timed out
    ├── RequestRejected                an HTTP API request cannot be served (status, problems)
    └── StoreError                     the workbench's database cannot be opened or used
        ├── StaleRevision              an edit was made on a revision that is no longer current
        ├── CaseNotFound               no case (or document) with that id in the store
        ├── WorkspaceExists            importing over a workspace that holds cases
        └── NoWorkspace                nothing has been imported into the store yet

Messages are Chinese and free of command-line flags: the CLI adds the flag to use. Typed fields
(``path``, ``row``, ``column``, ``findings``) let other systems act on an error without parsing
its text.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

if TYPE_CHECKING:
    from gongwen.findings import Finding

__all__ = [
    "ArgumentError",
    "CaseNotFound",
    "ChartUnavailable",
    "CheckFailed",
    "DocumentError",
    "DocxPackageError",
    "GongwenError",
    "InputError",
    "InvalidOption",
    "LedgerError",
    "MergeError",
    "NoFormForCoHandler",
    "NoWorkspace",
    "OutputError",
    "OutputExists",
    "PreviewError",
    "RequestRejected",
    "StaleRevision",
    "StoreError",
    "TemplateError",
    "WorkspaceExists",
    "error_list",
    "format_validation_error",
]

PathArg = str | os.PathLike[str] | None


class GongwenError(Exception):
    """Base class of gongwen's own exceptions.

    ``path`` is the file concerned, when there is one (``None`` otherwise).
    """

    def __init__(self, message: str = "", *, path: PathArg = None) -> None:
        super().__init__(message)
        self.message = message
        self.path: str | None = os.fspath(path) if path is not None else None


class ArgumentError(GongwenError, TypeError):
    """A public function was called with an argument of the wrong type or value.

    ``argument`` names the parameter.
    """

    def __init__(self, message: str = "", *, argument: str | None = None) -> None:
        super().__init__(message)
        self.argument = argument


class InvalidOption(ArgumentError, ValueError):
    """An argument has an allowed type but a value that is not allowed (a bound, a choice)."""


class InputError(GongwenError):
    """An input file cannot be read or does not validate (message in Chinese).

    ``errors`` holds ``(field path, message)`` pairs when the file did not validate.
    """

    def __init__(
        self,
        message: str = "",
        *,
        path: PathArg = None,
        errors: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message, path=path)
        self.errors: tuple[tuple[str, str], ...] = tuple(errors)


class LedgerError(InputError):
    """The ledger file itself cannot be read (missing, wrong format, no header row)."""


class CheckFailed(GongwenError):
    """Raised when checks find errors; carries every finding (not only the first)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        from gongwen.findings import Severity

        self.findings = list(findings)
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        lines = "\n".join(f"  {f}" for f in errors)
        super().__init__(f"检查发现{len(errors)}处错误，未生成文档：\n{lines}")


class TemplateError(GongwenError):
    """A template cannot be used (unreadable, not a docx, or missing required placeholders)."""


class DocumentError(GongwenError, ValueError):
    """A document cannot be made from the data given (e.g. no reply yet)."""


class NoFormForCoHandler(DocumentError):
    """Feedback forms are sent by the unit that answers the proposer, not by a co-handler."""


class OutputError(GongwenError, OSError):
    """An output file or folder cannot be written."""


class OutputExists(OutputError, FileExistsError):
    """The output file exists and overwriting was not asked for."""


class DocxPackageError(GongwenError, ValueError):
    """The input is not a readable .docx package."""


class MergeError(DocxPackageError):
    """Letters that cannot be merged (not a docx, or conflicting namespace prefixes)."""


class ChartUnavailable(GongwenError):
    """matplotlib is not installed."""


class PreviewError(GongwenError, RuntimeError):
    """A preview could not be made (LibreOffice or pdftoppm missing, failed or timed out)."""


class StoreError(GongwenError):
    """The workbench's database (``gongwen.store``) cannot be opened, read or written."""


class StaleRevision(StoreError):
    """An edit was based on a revision that is no longer the current one; nothing was saved.

    ``current`` is the current revision number, ``author`` who made it and ``at`` when
    (an aware ``datetime``); ``base`` the revision the refused edit started from.
    """

    def __init__(
        self, message: str = "", *, current: int, author: str, at: datetime, base: int
    ) -> None:
        super().__init__(message)
        self.current = current
        self.author = author
        self.at = at
        self.base = base


class CaseNotFound(StoreError, LookupError):
    """No case (or document) with this id in the store; ``id`` is the id asked for."""

    def __init__(self, message: str = "", *, id: int) -> None:
        super().__init__(message)
        self.id = id


class WorkspaceExists(StoreError):
    """A year was imported into a store that already holds cases (pass ``replace=True``)."""


class NoWorkspace(StoreError):
    """The store is empty: nothing has been imported yet."""


def error_list(exc: ValidationError, prefix: str = "") -> list[tuple[str, str]]:
    """Turn a pydantic ``ValidationError`` into ``(field path, Chinese message)`` pairs.

    >>> # [("reply.doc_number", '发文字号格式应为"机关代字〔年份〕序号号"，如"海经函〔2024〕15号"')]
    """
    out: list[tuple[str, str]] = []
    for err in exc.errors():
        parts = [prefix] if prefix else []
        parts += [f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]]
        path = ".".join(parts).replace(".[", "[")
        out.append((path, err["msg"]))
    return out


def format_validation_error(exc: ValidationError, prefix: str = "") -> str:
    """One line per problem: ``path: message``."""
    return "\n".join(f"{p}: {m}" if p else m for p, m in error_list(exc, prefix))


class RequestRejected(GongwenError):
    """An HTTP API request cannot be served: the status to answer, each (path, message), findings.

    Raised by the endpoints of ``gongwen.web.api_v1`` and turned into the JSON error body there.
    """

    def __init__(
        self,
        status: int,
        errors: Sequence[tuple[str, str]],
        findings: Sequence[Finding] = (),
    ) -> None:
        super().__init__("；".join(m for _, m in errors))
        self.status = status
        self.errors = list(errors)
        self.findings = list(findings)
