"""Verify any produced .docx against GB/T 9704 (rules D1–D13), ours or one typed by hand.

>>> findings = verify("答复函.docx")          # doctest: +SKIP
>>> [str(f) for f in findings if f.severity is Severity.ERROR]   # doctest: +SKIP
"""

from __future__ import annotations

import os

from gongwen.checks.core import Finding, Subject, run_rules
from gongwen.checks.docx_model import DocxContext, DocxPackageError
from gongwen.errors import GongwenError
from gongwen.models.config import CheckConfig

__all__ = ["VerifyInputError", "load_docx", "verify"]


class VerifyInputError(GongwenError):
    """The input cannot be read as a .docx package."""


def load_docx(docx: bytes | str | os.PathLike[str]) -> DocxContext:
    """Parse a .docx (bytes or path) for the DOCX rules; raises :class:`VerifyInputError`."""
    try:
        return DocxContext.load(docx)
    except DocxPackageError as exc:
        name = "" if isinstance(docx, bytes) else f"{os.fspath(docx)}："
        raise VerifyInputError(f"不是有效的 docx 文件：{name}{exc}") from exc


def verify(
    docx: bytes | str | os.PathLike[str], config: CheckConfig | None = None
) -> list[Finding]:
    """Run the DOCX layout rules (D1–D13) on a .docx given as bytes or a path."""
    ctx = load_docx(docx)
    return run_rules(ctx, [Subject.DOCX], config)
