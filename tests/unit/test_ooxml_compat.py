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


def test_odd_page_breaks_that_restart_the_numbering_become_next_page() -> None:
    # LibreOffice emulates w:type oddPage/evenPage with a page-style copy that loses the
    # header/footer heights (and, after titlePg, the page-2 footer); a restart at a number of
    # that parity puts the page on that side by LibreOffice's own page model.
    sect = '<w:sectPr><w:type w:val="{}"/><w:pgSz/>{}<w:titlePg/></w:sectPr>'
    cases = {
        ("oddPage", '<w:pgNumType w:start="1"/>'): "nextPage",
        ("evenPage", '<w:pgNumType w:fmt="decimal" w:start="2"/>'): "nextPage",
        ("oddPage", '<w:pgNumType w:start="2"/>'): "oddPage",  # other parity: left alone
        ("oddPage", ""): "oddPage",  # no restart: only the emulation starts it on the right
        ("nextPage", '<w:pgNumType w:start="1"/>'): "nextPage",
    }
    for (kind, numbering), want in cases.items():
        body = f"<w:p><w:pPr>{sect.format(kind, numbering)}</w:pPr></w:p><w:sectPr/>"
        out = _part(
            for_libreoffice(_docx("<w:styles/>", f"<w:document>{body}</w:document>")),
            "word/document.xml",
        )
        assert out == f"<w:document>{body.replace(kind, want, 1)}</w:document>", (kind, numbering)
