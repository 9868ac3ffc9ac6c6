"""Compensation for a known LibreOffice import defect, applied only to copies handed to it.

LibreOffice's docx import (writerfilter, seen in 7.4) maps ``w:overflowPunct`` backwards:
``w:val="0"`` — which ISO/IEC 29500 §17.3.1.21 defines as "punctuation shall not extend past the
text extents", and which Word and WPS honour — becomes hanging punctuation, and ``w:val="1"``
becomes none. gongwen's templates turn overflow punctuation off for Word and WPS (the suites
offices print from); the preview hands LibreOffice a copy with the explicit values inverted, so
its pages show what Word prints. Absent elements are left alone (every suite then hangs).
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["for_libreoffice"]

_PARTS = re.compile(r"^word/(document|styles|header\d*|footer\d*|numbering)\.xml$")
_OVERFLOW = re.compile(r'<w:overflowPunct(?:\s+w:val="(0|1|false|true|off|on)")?\s*/>')
_INVERTED = {None: "0", "1": "0", "true": "0", "on": "0", "0": "1", "false": "1", "off": "1"}


def _invert(match: re.Match[str]) -> str:
    return f'<w:overflowPunct w:val="{_INVERTED[match.group(1)]}"/>'


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
