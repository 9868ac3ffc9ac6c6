"""The plain-text body convention, so staff can paste text from anywhere.

Paragraphs are separated by blank lines; single line breaks inside a paragraph are joined.
A paragraph that starts with a heading number (``一、`` ``（一）`` ``1.`` ``（1）``) is a heading;
text after its first ``。：！？`` (when that is not the end) is run-in body text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gongwen.text.numerals import cn_to_int, heading_marker

__all__ = ["Block", "Heading", "Paragraph", "heading_problems", "parse_body", "render_body"]


@dataclass(frozen=True)
class Paragraph:
    """An ordinary body paragraph."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A numbered heading, with optional run-in body text after it.

    ``marker`` is the canonical number (``（一）``, ``1.``), ``title`` the heading text after it,
    ``text`` the run-in rest ("" if none).
    """

    level: int
    number: int
    marker: str
    title: str
    text: str = ""

    @property
    def head(self) -> str:
        """The heading as printed in the heading font: marker + title."""
        return self.marker + self.title


Block = Paragraph | Heading

_LEADING_SPACE = " \t\u3000\u00a0"
_CN = "零一二三四五六七八九十百"
_DIGITS = "0-9０-９"
_HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"([{_CN}]+)、")),
    (2, re.compile(rf"[（(]([{_CN}]+)[）)]")),
    # "2024.7.1" or "1.5亿元" are not headings: no digit may follow the dot.
    (3, re.compile(rf"([{_DIGITS}]{{1,2}})(?:[.．](?![{_DIGITS}])|、)")),
    (4, re.compile(rf"[（(]([{_DIGITS}]{{1,2}})[）)]")),
)
_DIGIT_START = re.compile(rf"[{_DIGITS}]")
_RUN_IN_END = re.compile(r"[。：！？]")
_JOIN_BEFORE = re.compile(r"[A-Za-z0-9,.;:!?)\]%]")
_JOIN_AFTER = re.compile(r"[A-Za-z0-9(\[]")


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if _JOIN_BEFORE.fullmatch(out[-1]) and _JOIN_AFTER.fullmatch(line[0]):
            out += " "
        out += line
    return out


def _classify(text: str) -> Block:
    for level, pattern in _HEADING_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        digits = m.group(1)
        try:
            number = cn_to_int(digits) if level <= 2 else int(digits)
        except ValueError:
            continue
        if number < 1:
            continue
        rest = text[m.end() :].lstrip(_LEADING_SPACE)
        stop = _RUN_IN_END.search(rest)
        if stop and stop.end() < len(rest):
            title, run_in = rest[: stop.end()], rest[stop.end() :].lstrip(_LEADING_SPACE)
        else:
            title, run_in = rest, ""
        return Heading(level, number, heading_marker(level, number), title, run_in)
    return Paragraph(text)


def parse_body(text: str) -> list[Block]:
    """Split pasted body text into paragraphs and headings (accepts ``\\r\\n`` and ``\\r``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    lines: list[str] = []
    for raw in [*text.split("\n"), ""]:
        line = raw.lstrip(_LEADING_SPACE).rstrip()
        if line.strip():
            lines.append(line.strip() if not lines else line)
        elif lines:
            blocks.append(_classify(_join_lines(lines)))
            lines = []
    return blocks


def _render(block: Block) -> str:
    if isinstance(block, Heading):
        # "1. 2024年…" must not be read back as the decimal "1.2024".
        gap = " " if block.level == 3 and _DIGIT_START.match(block.title) else ""
        return block.marker + gap + block.title + block.text
    return block.text


def render_body(blocks: Sequence[Block]) -> str:
    """Canonical plain text: one block per paragraph, blocks separated by a blank line."""
    return "\n\n".join(_render(b) for b in blocks)


@dataclass
class _Frame:
    level: int
    children: dict[int, int]
    last_child: Heading | None = None


def heading_problems(blocks: Sequence[Block]) -> list[tuple[int, str]]:
    """Numbering and nesting problems of the headings, as ``(block index, message)``.

    Follows GB/T 9704 §7.3.3: levels go 一、→（一）→1.→（1）; a level may be skipped going
    down, numbers run 1, 2, 3… under each parent, and a heading needs a parent when
    higher-level headings are used elsewhere in the text.
    """
    headings = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Heading)]
    if not headings:
        return []
    top = min(h.level for _, h in headings)
    root = _Frame(0, {})
    stack = [root]
    problems: list[tuple[int, str]] = []
    for index, h in headings:
        while stack[-1].level >= h.level:
            stack.pop()
        parent = stack[-1]
        if parent is root and h.level > top:
            problems.append((index, f"标题层级错误：“{h.marker}”前缺少上一级标题"))
        elif parent is not root and parent.last_child and parent.last_child.level > h.level:
            problems.append(
                (
                    index,
                    f"标题层级错误：“{h.marker}”不应排在下级标题“{parent.last_child.marker}”之后",
                )
            )
        expected = parent.children.get(h.level, 0) + 1
        if h.number > expected:
            want = heading_marker(h.level, expected)
            problems.append((index, f"标题序号不连续：“{h.marker}”前应为“{want}”"))
        elif h.number < expected:
            want = heading_marker(h.level, expected)
            problems.append((index, f"标题序号重复或倒序：“{h.marker}”处应为“{want}”"))
        parent.children[h.level] = h.number
        parent.last_child = h
        stack.append(_Frame(h.level, {}))
    return problems
