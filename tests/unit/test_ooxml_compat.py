"""The copy handed to LibreOffice inverts explicit overflowPunct values; nothing else changes."""

from __future__ import annotations

import io
import zipfile

from gongwen.ooxml.compat import for_libreoffice
from tests.conftest import ROOT


def _docx(styles: str, document: str = "<w:document/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/styles.xml", styles)
        z.writestr("word/document.xml", document)
    return out.getvalue()


def _part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def test_explicit_values_are_inverted_and_absent_ones_kept() -> None:
    data = _docx(
        '<w:styles><w:overflowPunct w:val="0"/><w:overflowPunct/></w:styles>',
        '<w:document><w:overflowPunct w:val="false"/><w:overflowPunct w:val="1"/></w:document>',
    )
    out = for_libreoffice(data)
    assert _part(out, "word/styles.xml") == (
        '<w:styles><w:overflowPunct w:val="1"/><w:overflowPunct w:val="0"/></w:styles>'
    )
    assert _part(out, "word/document.xml") == (
        '<w:document><w:overflowPunct w:val="1"/><w:overflowPunct w:val="0"/></w:document>'
    )
    assert _part(out, "[Content_Types].xml") == "<Types/>"


def test_documents_without_the_setting_pass_unchanged() -> None:
    data = _docx("<w:styles/>")
    assert for_libreoffice(data) is data
    assert for_libreoffice(b"not a zip") == b"not a zip"


def test_the_templates_turn_overflow_punctuation_off() -> None:
    for path in sorted((ROOT / "templates" / "docx").glob("*.docx")):
        styles = _part(path.read_bytes(), "word/styles.xml")
        assert '<w:overflowPunct w:val="0"/>' in styles, path.name
        assert '<w:overflowPunct w:val="1"/>' in _part(
            for_libreoffice(path.read_bytes()), "word/styles.xml"
        )
