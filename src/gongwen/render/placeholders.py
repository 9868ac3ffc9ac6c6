"""Placeholders as office suites save them, made parseable again before Jinja sees them.

Word, WPS and LibreOffice change a template's placeholders when they save it:

- a placeholder is split over several runs (a proofing mark, a bookmark, a change of script —
  LibreOffice starts a new run at ``。；！？`` — or formatting applied to part of it);
- quotes inside a tag become curly (“” ‘’, autocorrect) or ``&quot;`` / ``&apos;`` entities
  (LibreOffice writes every ``"`` of a text node as ``&quot;``);
- a Chinese input method types an ideographic space (U+3000) or a no-break space inside a tag.

:func:`normalise` joins each split tag into the text node where it starts (so it keeps the
formatting of its first run; the runs it came from stay, emptied, with any proofing or bookmark
element between them left in place and well-formed), then straightens quotes and spaces inside
tags. Only the text of ``<w:t>`` nodes is touched, never markup, and only inside ``{{ }}``,
``{% %}`` and ``{# #}``: the text users see is unchanged. A tag that does not close within its
paragraph is left as it is (the syntax check reports it).

:func:`paragraphs` lists a part's paragraphs with their visible text and tags, numbered as a
person counts them (the fallback copy LibreOffice writes of each text box is not counted).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Paragraph", "Repair", "normalise", "normalise_xml", "paragraphs"]

# a text node <w:t>/<w:t …> (not <w:tab/>, <w:tbl>, <w:tc>), or a paragraph, fallback, style tag
_MARKUP = re.compile(
    r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<(/?)(w:p|mc:Fallback|w:pStyle)(?=[\s/>])([^>]*)>"
)
_OPEN = re.compile(r"\{\{|\{%|\{#")
_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}
_QUOTES = {
    "&quot;": '"',
    "&#34;": '"',
    "&#x22;": '"',
    "&apos;": "'",
    "&#39;": "'",
    "&#x27;": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "″": '"',
    "&#8220;": '"',
    "&#8221;": '"',
    "‘": "'",
    "’": "'",
    "′": "'",
    "&#8216;": "'",
    "&#8217;": "'",
}
_SPACES = {"\u3000": " ", "\u00a0": " ", "&#160;": " ", "&#12288;": " "}
_QUOTE_PATTERN = re.compile("|".join(re.escape(k) for k in _QUOTES))
_SPACE_PATTERN = re.compile("|".join(re.escape(k) for k in _SPACES))
_STYLE_VAL = re.compile(r'w:val="([^"]*)"')
# a tag, closed (text inside <w:t>: no markup; the closer may not be split from the opener)
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True)
class Repair:
    """One change :func:`normalise` made: which paragraph, which tag (as it now reads), what.

    ``kind``: ``joined`` (the tag was split over ``pieces`` text nodes), ``quotes`` (curly
    quotes or entities straightened), ``spaces`` (ideographic or no-break spaces). ``paragraph``
    is 1-based as :func:`paragraphs` numbers them (0 for the fallback copy of a text box).
    """

    kind: Literal["joined", "quotes", "spaces"]
    paragraph: int
    tag: str
    pieces: int = 1


@dataclass
class Paragraph:
    """A paragraph of a part: its number, style id, visible text and the tags in it."""

    number: int
    style: str = ""
    text: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class _Node:
    start: int  # offset of the node's text in the part
    end: int
    text: str
    paragraph: int  # index into the paragraph list (-1: outside any paragraph)
    number: int  # the paragraph's 1-based number (0 in a fallback copy)


def _scan(xml: str) -> tuple[list[_Node], list[Paragraph], list[int]]:
    """Text nodes in order, the paragraphs, and for each paragraph index its shown number."""
    nodes: list[_Node] = []
    paras: list[Paragraph] = []
    numbers: list[int] = []
    stack: list[int] = []
    fallback = 0
    counted = 0
    for m in _MARKUP.finditer(xml):
        if m.group(1) is not None:  # a text node
            idx = stack[-1] if stack else -1
            nodes.append(
                _Node(m.start(1), m.end(1), m.group(1), idx, numbers[idx] if idx >= 0 else 0)
            )
            continue
        closing, name, rest = m.group(2), m.group(3), m.group(4)
        if name == "mc:Fallback":
            if not rest.endswith("/"):
                fallback += -1 if closing else 1
        elif name == "w:p":
            if closing:
                if stack:
                    stack.pop()
            elif not rest.endswith("/"):
                if fallback:
                    number = 0
                else:
                    counted += 1
                    number = counted
                paras.append(Paragraph(number))
                numbers.append(number)
                stack.append(len(paras) - 1)
            elif not fallback:  # an empty <w:p/> still counts
                counted += 1
        elif name == "w:pStyle" and stack:
            style = _STYLE_VAL.search(rest)
            if style and not paras[stack[-1]].style:
                paras[stack[-1]].style = style.group(1)
    return nodes, paras, numbers


def _tidy(tag: str) -> tuple[str, list[Literal["quotes", "spaces"]]]:
    """Straight quotes and plain spaces inside one tag (escaped XML text)."""
    kinds: list[Literal["quotes", "spaces"]] = []
    fixed = _QUOTE_PATTERN.sub(lambda m: _QUOTES[m.group(0)], tag)
    if fixed != tag:
        kinds.append("quotes")
    spaced = _SPACE_PATTERN.sub(lambda m: _SPACES[m.group(0)], fixed)
    if spaced != fixed:
        kinds.append("spaces")
    return spaced, kinds


def normalise(xml: str) -> tuple[str, list[Repair]]:
    """The part with every split tag joined and its quotes and spaces straightened."""
    if "{" not in xml:
        return xml, []
    nodes, _, _ = _scan(xml)
    texts = [n.text for n in nodes]
    repairs: list[Repair] = []
    i = 0
    while i < len(nodes):
        j = i  # nodes[i:j+1]: consecutive text nodes of one paragraph
        while j + 1 < len(nodes) and nodes[j + 1].paragraph == nodes[i].paragraph >= 0:
            j += 1
        _normalise_group(nodes, texts, i, j, repairs)
        i = j + 1
    if all(t == n.text for t, n in zip(texts, nodes, strict=True)):
        return xml, repairs
    out: list[str] = []
    last = 0
    for node, text in zip(nodes, texts, strict=True):
        out.append(xml[last : node.start])
        out.append(text)
        last = node.end
    out.append(xml[last:])
    return "".join(out), repairs


def _normalise_group(
    nodes: list[_Node], texts: list[str], first: int, last: int, repairs: list[Repair]
) -> None:
    """Join and tidy the tags of the text nodes ``first..last`` (one paragraph's run of text)."""
    joined = "".join(texts[first : last + 1])
    if not _OPEN.search(joined):
        return
    owner: list[int] = []  # the node each character of ``joined`` belongs to
    for k in range(first, last + 1):
        owner.extend([k] * len(texts[k]))
    pieces: dict[int, list[str]] = {k: [] for k in range(first, last + 1)}
    pos = 0
    for m in _TAG.finditer(joined):
        for c in range(pos, m.start()):
            pieces[owner[c]].append(joined[c])
        tag = m.group(0)
        home = owner[m.start()]
        spread = len(set(owner[m.start() : m.end()]))
        tidy, kinds = _tidy(tag)
        shown = html.unescape(tidy)
        number = nodes[home].number
        if spread > 1:
            repairs.append(Repair("joined", number, shown, spread))
        repairs.extend(Repair(kind, number, shown) for kind in kinds)
        pieces[home].append(tidy)
        pos = m.end()
    for c in range(pos, len(joined)):
        pieces[owner[c]].append(joined[c])
    for k, chars in pieces.items():
        texts[k] = "".join(chars)


def normalise_xml(xml: str) -> str:
    """:func:`normalise` without the list of repairs (what the render engine calls)."""
    return normalise(xml)[0]


def paragraphs(xml: str) -> list[Paragraph]:
    """The counted paragraphs of a (normalised) part: style, visible text, tags in order."""
    nodes, paras, _ = _scan(xml)
    for node in nodes:
        if node.paragraph >= 0:
            paras[node.paragraph].text += html.unescape(node.text)
    shown = [p for p in paras if p.number > 0]
    for p in shown:
        p.tags = _TAG.findall(p.text)
    return shown
