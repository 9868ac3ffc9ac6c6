"""The extension notice template (延期办理告知函): the reply's 信函格式 (§10.1), built from the
reply builder's letter parts (red organ mark, double rules, marks line with the 发文字号,
title, salutation, body, signature, 附注, 抄送 at the bottom of the last page).

Context keys: those of the reply letter (``templates/builder/reply.py``), filled by
``gongwen.documents.extension.extension_context``.
"""

from __future__ import annotations

from pathlib import Path

from .common import save_template
from .reply import _letter


def build_extension_notice(path: Path) -> None:
    """extension_notice.docx: the notice to the proposer that a case is extended."""
    save_template(_letter("延期办理告知函（信函格式）", rows=True), path)


TEMPLATES = {"extension_notice.docx": build_extension_notice}

__all__ = ["TEMPLATES", "build_extension_notice"]
