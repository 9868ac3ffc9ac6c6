"""Safe file names for documents: ``提案008-答复.docx``, ``提案008-王建国-征询意见表.docx``."""

from __future__ import annotations

import re
import unicodedata

from gongwen.models.case import Case

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u2028\u2029]+')
#: Unicode categories never kept in a file name: controls, format characters (bidi overrides
#: such as U+202E, zero-width joiners), unassigned, private use, surrogates.
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs"})


def _visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in _DROP_CATEGORIES)


def safe_component(text: str, limit: int = 40) -> str:
    """One path component from user text: no separators, control, bidi or format characters,
    no leading dots."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("_", text)
    text = _visible(text).strip(" ._")
    return (text[:limit] or "_").rstrip(" .")


def document_name(
    case: Case,
    kind: str,
    person: str | None = None,
    suffix: str = ".docx",
    *,
    occurrence: int = 1,
) -> str:
    """``提案008-答复.docx`` / ``提案008-王建国-征询意见表.docx``.

    ``occurrence`` > 1 marks the second (third …) proposer of the same name in one case:
    ``提案008-张伟(2)-征询意见表.docx``.
    """
    who = safe_component(person) if person else ""
    if who and occurrence > 1:
        who = f"{who}({occurrence})"
    parts = [safe_component(case.label)] + ([who] if who else []) + [safe_component(kind)]
    return "-".join(parts) + suffix
