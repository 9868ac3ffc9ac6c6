"""Applying the safe fixes that findings carry (full-width punctuation, document numbers …).

Text fixes are applied as transformations of the field's current value, so several fixes to one
field (e.g. full-width punctuation and date format in the body) compose. A field that is derived
when printed (title, salutation, closing left empty) receives the printed text with the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from gongwen.checks.rules.text import fix_date_formats, fix_salutation, fix_title
from gongwen.findings import Finding
from gongwen.models.docnumber import DocNumber
from gongwen.models.year import CaseRecord
from gongwen.text.punctuation import fix_ascii_punct

#: Rules whose fix rewrites a text field, with the transformation applied.
TEXT_FIXERS: dict[str, Callable[[str], str]] = {
    "GW302": fix_ascii_punct,
    "GW304": fix_title,
    "GW307": fix_salutation,
    "GW310": fix_date_formats,
}
#: Rules whose fix is a document number (normalised brackets, link to the first reply).
DOC_NUMBER_FIXES = frozenset({"GW102", "GW407"})
#: Every rule code :func:`apply_fixes` knows how to apply.
FIXABLE = frozenset(TEXT_FIXERS) | DOC_NUMBER_FIXES

_OWNERS = ("case", "reply", "rehandling")


def _fixed_value(finding: Finding, current: object) -> object:
    assert finding.fix is not None
    if finding.code in DOC_NUMBER_FIXES:
        return DocNumber.parse(finding.fix)
    if isinstance(current, str):
        return TEXT_FIXERS[finding.code](current)
    return finding.fix  # derived field: store the corrected printed text


def apply_fixes(record: CaseRecord, findings: Iterable[Finding]) -> CaseRecord:
    """A copy of ``record`` with the safe fixes of ``findings`` applied to the named fields.

    Only fixes of :data:`FIXABLE` rules on fields of the record itself are applied; findings
    about the organisation, or without a fix, are left for the user.
    """
    done: set[tuple[str, str]] = set()
    for f in findings:
        key = (f.code, f.path)
        if f.fix is None or f.code not in FIXABLE or key in done:
            continue
        done.add(key)
        owner, _, field = f.path.partition(".")
        if owner not in _OWNERS:
            continue
        target = getattr(record, owner)
        if not isinstance(target, BaseModel) or field not in type(target).model_fields:
            continue
        value = _fixed_value(f, getattr(target, field))
        record = record.model_copy(update={owner: target.model_copy(update={field: value})})
    return record


__all__ = ["DOC_NUMBER_FIXES", "FIXABLE", "TEXT_FIXERS", "apply_fixes"]
