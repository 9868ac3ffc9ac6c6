"""Safe file names for documents: ``提案008-答复.docx``, ``提案008-王建国-征询意见表.docx``."""

from __future__ import annotations

import re
import unicodedata

from gongwen.models.case import Case

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029]+')


def safe_component(text: str, limit: int = 40) -> str:
    """One path component from user text: no separators, control characters or leading dots."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text).strip(" ._")
    return (text[:limit] or "_").rstrip(" .")


def document_name(case: Case, kind: str, person: str | None = None, suffix: str = ".docx") -> str:
    """``提案008-答复.docx`` / ``提案008-王建国-征询意见表.docx``."""
    parts = [case.label] + ([safe_component(person)] if person else []) + [safe_component(kind)]
    return "-".join(parts) + suffix
