"""Compensation for known LibreOffice import defects, applied only to copies handed to it.

LibreOffice's docx import (writerfilter, seen in 7.4) maps ``w:overflowPunct`` backwards:
``w:val="0"`` — which ISO/IEC 29500 §17.3.1.21 defines as "punctuation shall not extend past the
text extents", and which Word and WPS honour — becomes hanging punctuation, and ``w:val="1"``
becomes none. gongwen's templates turn overflow punctuation off for Word and WPS (the suites
offices print from); the preview hands LibreOffice a copy with the explicit values inverted, so
its pages show what Word prints. Absent elements are left alone (every suite then hangs).

It also emulates an odd-page (even-page) section break, ``w:type oddPage`` — how the merged print
file starts every letter on the front of a sheet — with a deep copy of the section's page style
set to "right pages only". The copy loses the header and footer heights (on the letters'
templates its text area starts 2.7 mm and ends 5.4 mm lower: a one-page letter's bottom-anchored
抄送 prints below the text area, and page 1 holds other lines than Word's), and with
``w:titlePg`` the copy is followed by the first-page style again, so page 2 prints the first
page's empty footer (no page number). LibreOffice's own page model already
puts a page whose number is odd on a right-hand page, inserting a blank left page before it;
so a section that restarts at an odd number (``w:pgNumType w:start``) is handed over with
``w:type nextPage``: the same pages, without the copy. Breaks without a restart are left alone.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["for_libreoffice"]

_PARTS = re.compile(r"^word/(document|styles|header\d*|footer\d*|numbering)\.xml$")
_OVERFLOW = re.compile(r'<w:overflowPunct(?:\s+w:val="(0|1|false|true|off|on)")?\s*/>')
_INVERTED = {None: "0", "1": "0", "true": "0", "on": "0", "0": "1", "false": "1", "off": "1"}


_SECTION = re.compile(r"<w:sectPr\b(?:[^>]*/>|[^>]*>.*?</w:sectPr>)", re.S)
_PARITY_BREAK = re.compile(r'<w:type\s+w:val="(oddPage|evenPage)"\s*/>')
_RESTART = re.compile(r'<w:pgNumType\b[^>]*\bw:start="(\d+)"')


def _invert(match: re.Match[str]) -> str:
    return f'<w:overflowPunct w:val="{_INVERTED[match.group(1)]}"/>'


def _native_break(match: re.Match[str]) -> str:
    """An odd-page (even-page) break of a section restarting at an odd (even) page number as
    a next-page break: LibreOffice then starts it on that side by its own page model."""
    sect = match.group(0)
    brk, start = _PARITY_BREAK.search(sect), _RESTART.search(sect)
    if (
        brk is None
        or start is None
        or (int(start.group(1)) % 2 == 1) != (brk.group(1) == "oddPage")
    ):
        return sect
    return sect[: brk.start()] + '<w:type w:val="nextPage"/>' + sect[brk.end() :]


def for_libreoffice(data: bytes) -> bytes:
    """The docx ``data`` as LibreOffice must read it to lay it out as Word does.

    Returns ``data`` itself when nothing needs changing (or when it is not a readable zip: the
    converter reports that).
    """
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        names = [i.filename for i in zin.infolist() if _PARTS.match(i.filename)]
        changed: dict[str, bytes] = {}
        for name in names:
            xml = zin.read(name).decode("utf-8")
            new = _OVERFLOW.sub(_invert, xml)
            if name == "word/document.xml":
                new = _SECTION.sub(_native_break, new)
            if new != xml:
                changed[name] = new.encode("utf-8")
    except (zipfile.BadZipFile, UnicodeDecodeError, KeyError):
        return data
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, changed.get(info.filename) or zin.read(info.filename))
    return out.getvalue()
