"""Make user text safe to place in WordprocessingML as data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# XML 1.0 forbids C0 controls except tab/newline/CR, and U+FFFE/U+FFFF; docxtpl also turns
# \a and \f inside text into new paragraphs/page breaks, \t into tabs, \n into line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile("[\t\r\n]+")


# Either of the two above: most texts have none (then there is nothing to replace).
_DIRTY = re.compile("[\x00-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Remove control characters and fold tabs/newlines into spaces."""
    if type(value) is str and _DIRTY.search(value) is None:
        return value  # a str subclass (Markup) still becomes a plain str below
    return _SPACES.sub(" ", _CONTROL.sub("", value))


def clean_context(value: Any, multiline: frozenset[str] = frozenset()) -> Any:
    """Recursively clean every string in a template context (dicts, lists, tuples).

    Top-level keys named in ``multiline`` hold lines joined by ``\n`` (e.g. a title broken by
    :func:`gongwen.text.titles.split_title`): each line is cleaned and the breaks kept, which
    docxtpl renders as line breaks inside the paragraph.
    """
    if multiline and isinstance(value, Mapping):
        return {
            k: "\n".join(clean_text(line) for line in v.split("\n"))
            if k in multiline and isinstance(v, str)
            else clean_context(v)
            for k, v in value.items()
        }
    kind = type(value)  # the common types first (the abstract ones below are slower to test)
    if kind is str:
        return clean_text(value)
    if kind is dict:
        return {k: clean_context(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [clean_context(v) for v in value]
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {k: clean_context(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [clean_context(v) for v in value]
    return value
