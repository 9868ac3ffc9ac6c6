"""Reply texts kept beside a ledger (``--bodies``): ``提案008.txt`` or ``提案008.docx``.

A text file is read as UTF-8 or GBK; a Word file paragraph by paragraph, as staff type it:
each paragraph becomes one paragraph of the body (blank lines between), and a heading numbered
by Word itself (automatic numbering, or a heading style) gets the number it shows, so the body
parser sees ``一、`` ``（一）`` ``1.`` ``（1）`` exactly as if typed.
"""

from __future__ import annotations

from pathlib import Path

from gongwen.text.numerals import heading_marker

__all__ = ["BODY_SUFFIXES", "body_file_names", "read_body_file"]

#: File types a reply text may come in, in the order they are looked for.
BODY_SUFFIXES = (".txt", ".docx")


def body_file_names(label_stems: tuple[str, ...], suffix: str = "") -> list[str]:
    """The file names looked for, in order: each stem as ``.txt`` then ``.docx``."""
    return [f"{stem}{suffix}{ext}" for stem in label_stems for ext in BODY_SUFFIXES]


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"正文文件 {path.name} 的编码无法识别（应为 UTF-8 或 GBK）")


def _level(paragraph: object) -> int | None:
    """The numbering level of an automatically numbered or heading-styled paragraph."""
    from docx.oxml.ns import qn

    p = paragraph._p  # type: ignore[attr-defined]
    ppr = p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.find(qn("w:ilvl"))
        val = ilvl.get(qn("w:val")) if ilvl is not None else "0"
        return int(val or 0)
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    for prefix in ("Heading ", "标题 "):
        if style.startswith(prefix) and style[len(prefix) :].isdigit():
            return int(style[len(prefix) :]) - 1
    return None


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a damaged or non-Word file
        raise ValueError(f"正文文件 {path.name} 无法作为 Word 文档读取：{exc}") from None
    counters: list[int] = [0, 0, 0, 0]
    out: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        level = _level(paragraph)
        if level is not None:
            level = min(level, 3)
            counters[level] += 1
            for deeper in range(level + 1, 4):
                counters[deeper] = 0
            text = heading_marker(level + 1, counters[level]) + text
        out.append(text)
    if not out:
        raise ValueError(f"正文文件 {path.name} 没有文字")
    return "\n\n".join(out)


def read_body_file(path: Path) -> str:
    """The body text of a ``.txt`` or ``.docx`` file (``ValueError`` with a Chinese message)."""
    if path.suffix.lower() == ".docx":
        return _read_docx(path).strip()
    return _read_text(path).strip()
