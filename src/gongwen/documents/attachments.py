"""Attachments (附件, GB/T 9704 §7.3.4, §7.3.7): their content, read from the files named.

A ``.docx`` attachment is taken paragraph by paragraph, as staff type it: each paragraph becomes
one paragraph of the attachment, and a heading numbered by Word itself (automatic numbering or
a heading style) gets the number it shows, so it prints as ``一、`` ``（一）`` ``1.`` ``（1）``.
A ``.txt`` attachment (UTF-8 or GBK) follows the body convention (blank lines between
paragraphs). The content is set in the letter's own styles (三号仿宋, headings by level), so an
attachment looks like the letter it goes with.

Anything that cannot be printed faithfully that way is refused with a Chinese message naming
the file, never dropped silently: another file type, a table, a picture, an empty document.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from gongwen.documents.blocks import body_blocks
from gongwen.errors import DocumentError, DocxPackageError
from gongwen.models.reply import ATTACHMENT_SUFFIXES, Attachment
from gongwen.ooxml.package import Package
from gongwen.ooxml.text import block_children, own_runs, run_text, w, wattr
from gongwen.text.numerals import heading_marker

__all__ = ["MAX_ATTACHMENT_BYTES", "attachment_blocks", "attachment_text"]

#: The largest attachment file read (bytes).
MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024

_HEADING_STYLE = re.compile(r"^(?:Heading|heading|标题)\s*([1-9])$")


def _refuse(att: Attachment, why: str) -> DocumentError:
    return DocumentError(f"附件“{att.title}”（{att.file}）{why}")


def _read_bytes(att: Attachment) -> bytes:
    path = Path(att.file)
    if not path.is_file():
        raise _refuse(
            att, "的文件不存在，请检查附件文件路径（相对路径相对于案件文件或台账所在文件夹）"
        )
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise _refuse(att, f"过大（{size} 字节，上限 {MAX_ATTACHMENT_BYTES // 2**20} MB）")
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(att, f"无法读取：{exc.strerror or exc}") from None


def _decode(att: Attachment, raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise _refuse(att, "的编码无法识别（文本文件应为 UTF-8 或 GBK）")


def _styles_levels(pkg: Package) -> dict[str, int]:
    """Paragraph style id → heading level (0-based) for styles named ``Heading N``/``标题 N``."""
    part = pkg.related(pkg.main_part, "styles")
    root = pkg.xml(part) if part else None
    levels: dict[str, int] = {}
    if root is None:
        return levels
    for style in root.iter(w("style")):
        sid = wattr(style, "styleId") or ""
        name_el = style.find(w("name"))
        name = wattr(name_el, "val") or ""
        m = _HEADING_STYLE.match(name) or _HEADING_STYLE.match(sid)
        if m:
            levels[sid] = int(m.group(1)) - 1
    return levels


def _level(p: ET.Element, styles: dict[str, int]) -> int | None:
    ppr = p.find(w("pPr"))
    if ppr is None:
        return None
    num = ppr.find(w("numPr"))
    if num is not None:
        ilvl = wattr(num.find(w("ilvl")), "val")
        return int(ilvl) if ilvl and ilvl.isdigit() else 0
    style = wattr(ppr.find(w("pStyle")), "val")
    return styles.get(style or "")


def _docx_text(att: Attachment, raw: bytes) -> str:
    try:
        pkg = Package(raw, name=str(att.file))
        root = pkg.xml(pkg.main_part)
    except DocxPackageError as exc:
        raise _refuse(att, f"无法作为 Word 文档读取：{exc}") from None
    body = root.find(w("body")) if root is not None else None
    if body is None:
        raise _refuse(att, "无法作为 Word 文档读取：缺少正文")
    styles = _styles_levels(pkg)
    counters = [0, 0, 0, 0]
    out: list[str] = []
    for block in block_children(body):
        if block.tag == w("tbl"):
            raise _refuse(
                att,
                "含有表格：附件只能附入文字段落，请把表格改写为文字，或另行印制该附件",
            )
        if any(el.tag in (w("drawing"), w("pict"), w("object")) for el in block.iter()):
            raise _refuse(att, "含有图片或图形：附件只能附入文字段落，请删去图片，或另行印制该附件")
        text = "".join(run_text(r) for r in own_runs(block)).replace("\t", " ").strip()
        if not text:
            continue
        level = _level(block, styles)
        if level is not None:
            level = min(level, 3)
            counters[level] += 1
            for deeper in range(level + 1, 4):
                counters[deeper] = 0
            text = heading_marker(level + 1, counters[level]) + text
        out.append(" ".join(text.split("\n")))
    return "\n\n".join(out)


def attachment_text(att: Attachment) -> str:
    """The attachment's content as body text (paragraphs separated by blank lines).

    Raises :class:`~gongwen.errors.DocumentError` (in Chinese, naming the attachment and its
    file) when the file is missing, of another type, unreadable, or holds a table, a picture
    or no text.
    """
    suffix = Path(att.file).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        kinds = "、".join(ATTACHMENT_SUFFIXES)
        raise _refuse(att, f"的文件类型“{suffix or '无扩展名'}”不能附入，附件文件应为 {kinds}")
    raw = _read_bytes(att)
    text = _docx_text(att, raw) if suffix == ".docx" else _decode(att, raw)
    if not text.strip():
        raise _refuse(att, "没有文字")
    return text


def attachment_blocks(att: Attachment) -> list[dict[str, Any]]:
    """The attachment's content as the template's body blocks (see ``body_blocks``)."""
    return body_blocks(attachment_text(att))
