"""Body text → the list of block dicts templates loop over.

A numbered paragraph prints its **heading phrase** in the level's heading font (一、黑体,
（一）楷体, §7.3.3) and the rest in 仿宋 as run-in body text. The heading phrase is the number and
the words up to the first ``。：！？`` (:func:`gongwen.text.body.parse_body`) or, when that stop
is the end of the paragraph (a one-sentence item, "一、加大扶持力度，2024年我局……。"), up to the
first ``，；`` that ends a phrase of at least 4 characters within the first printed line (26
characters after the 2-character indent) — else the number alone ("二、2024年，我局……。"). A
one-sentence item that fits on one printed line ("一、加强组织领导。") is a heading sentence and
prints wholly in the heading font.
"""

from __future__ import annotations

import re
from typing import Any

from gongwen import standard as gb
from gongwen.text.body import Heading, parse_body

#: Ems on the first printed line of an indented paragraph (28 characters less the indent).
FIRST_LINE_EMS = gb.CHARS_PER_LINE - gb.BODY_INDENT_CHARS
_SENTENCE_END = "。！？"
_CLAUSE_END = "，；"
#: The shortest heading phrase after the number (``2024年，`` is no heading phrase).
MIN_PHRASE_EMS = 4
_MARKER = re.compile(
    r"[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|[（(]\d{1,2}[）)]|\d{1,2}[.．、]"
)


def heading_phrase(head: str, text: str, marker: str = "") -> tuple[str, str]:
    """``(heading phrase, run-in rest)`` of a numbered paragraph whose heading part is ``head``
    (number + title) and run-in text ``text`` (see the module docstring). ``marker``: the
    number at the start of ``head`` (``一、``), found when not given."""
    if text or head[-1:] not in _SENTENCE_END or gb.text_ems(head) <= FIRST_LINE_EMS:
        return head, text
    marker = marker or _marker(head)
    for i, c in enumerate(head):
        if c not in _CLAUSE_END or i < len(marker):
            continue
        phrase = head[: i + 1]
        if gb.text_ems(phrase) > FIRST_LINE_EMS:
            break
        if gb.text_ems(phrase[len(marker) : -1]) >= MIN_PHRASE_EMS:
            return phrase, head[i + 1 :]
    # no clause that makes a heading phrase on the first line ("二、2024年，…"): the number alone
    return marker, head[len(marker) :]


def _marker(head: str) -> str:
    m = _MARKER.match(head)
    return m.group(0) if m else ""


def own_line_heading(block: dict[str, Any]) -> bool:
    """A heading printed on a line of its own ("（一）落实情况"), which keeps with the next
    paragraph; a run-in heading ("一、…。…") or a numbered sentence is body text."""
    head = str(block["head"])
    return block["kind"] != "p" and not block["text"] and head[-1:] not in "。；！？"


def body_blocks(text: str) -> list[dict[str, Any]]:
    """``[{"kind": "p"|"h1".."h4", "head": str, "text": str}, …]`` from the body-text convention;
    ``head`` is the heading phrase (:func:`heading_phrase`), ``text`` the run-in rest."""
    out: list[dict[str, Any]] = []
    for b in parse_body(text):
        if isinstance(b, Heading):
            head, rest = heading_phrase(b.head, b.text, b.marker)
            out.append({"kind": f"h{b.level}", "head": head, "text": rest})
        else:
            out.append({"kind": "p", "head": "", "text": b.text})
    return out


def mark_anchor(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``blocks`` with ``"anchor": True`` on the first block of the end that keeps together with
    the signature: the last paragraph, or the headings on a line of their own right above it.
    The templates anchor the bottom frame (抄送, 版记) on it, so that when the frame moves the
    end to the next page the heading goes too (a frame's anchor paragraph does not pull the
    paragraphs that keep with it in LibreOffice); without the key, the last block."""
    out = [{**b, "anchor": False} for b in blocks]
    k = len(out) - 1
    while k > 0 and own_line_heading(out[k - 1]):
        k -= 1
    if out:
        out[k]["anchor"] = True
    return out
