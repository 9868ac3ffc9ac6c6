"""The post-render stage: verify any .docx against GB/T 9704 (rules D1–D14), ours or typed by hand;
:func:`verify_pages` (rules P1–P8, :mod:`gongwen.verify.pages`) checks the pages LibreOffice prints.

:mod:`gongwen.verify.document` classifies the paragraphs of a document (红头, 标题, 正文, 版记 …)
over the effective properties that :mod:`gongwen.ooxml` reads; :mod:`gongwen.verify.rules` holds
the D rules, whose numbers come from :mod:`gongwen.standard`. The render API runs this stage on
request (``render_reply(..., verify=True)``).

>>> findings = verify("答复函.docx")          # doctest: +SKIP
>>> [str(f) for f in findings if f.severity is Severity.ERROR]   # doctest: +SKIP
"""

from __future__ import annotations

import os

from gongwen.checks.core import run_rules
from gongwen.errors import ArgumentError, DocxPackageError
from gongwen.findings import Finding, Subject
from gongwen.models.config import CheckConfig
from gongwen.verify import rules as _rules  # registers the D rules
from gongwen.verify.document import DocxContext
from gongwen.verify.pages import verify_pages

__all__ = ["load_docx", "verify", "verify_pages"]

assert _rules


def load_docx(docx: bytes | str | os.PathLike[str]) -> DocxContext:
    """Parse a .docx (bytes or path) for the DOCX rules; raises :class:`DocxPackageError`."""
    if not isinstance(docx, bytes | str | os.PathLike):
        raise ArgumentError(
            f"参数 docx 应为 .docx 的内容（bytes）或路径，收到 {type(docx).__name__}",
            argument="docx",
        )
    try:
        return DocxContext.load(docx)
    except DocxPackageError as exc:
        name = "" if isinstance(docx, bytes) else f"{os.fspath(docx)}："
        raise DocxPackageError(f"不是有效的 docx 文件：{name}{exc}") from exc


def verify(
    docx: bytes | str | os.PathLike[str], config: CheckConfig | None = None
) -> list[Finding]:
    """Run the DOCX layout rules (D1–D14) on a .docx given as bytes or a path."""
    if config is not None and not isinstance(config, CheckConfig):
        raise ArgumentError(
            f"参数 config 应为 CheckConfig 或 None，收到 {type(config).__name__}",
            argument="config",
        )
    ctx = load_docx(docx)
    return run_rules(ctx, [Subject.DOCX], config)
