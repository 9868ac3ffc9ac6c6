"""The fast rendering path gives the same document as plain docxtpl, for every example case."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from gongwen import HandlingYear, Organisation
from gongwen.documents.reply import reply_context, reply_template_name
from gongwen.render.engine import load_template, render_docxtpl
from gongwen.render.sanitize import clean_context
from gongwen.resources import template_path
from tests.docview import docx_view

VARIANTS = ("letter", "file")


def _canonical(data: bytes, part: str) -> bytes:
    """c14n of one XML part without volatile attributes (rsids; drawing ids, which docxtpl
    renumbers from 1001) and without whitespace between tags."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part)
    root = etree.fromstring(xml)
    for el in root.iter():
        for attr in list(el.attrib):
            if "rsid" in attr or (attr == "id" and etree.QName(el).localname == "docPr"):
                del el.attrib[attr]
    text: bytes = etree.tostring(root, method="c14n")
    return re.sub(rb">\s+<", b"><", text)


@pytest.mark.parametrize("variant", VARIANTS)
def test_fast_path_equals_docxtpl(
    example_year: HandlingYear, example_org: Organisation, variant: str
) -> None:
    compared = 0
    for rec in example_year.cases:
        for reply in (rec.reply, rec.rehandling):
            if reply is None:
                continue
            name = reply_template_name(rec.case, variant)  # type: ignore[arg-type]
            ctx = clean_context(reply_context(rec.case, reply, example_org))
            fast = load_template(template_path(name)).render(ctx)
            plain = render_docxtpl(template_path(name), ctx)
            assert docx_view(fast) == docx_view(plain), rec.case.label
            names = zipfile.ZipFile(io.BytesIO(plain)).namelist()
            assert sorted(zipfile.ZipFile(io.BytesIO(fast)).namelist()) == sorted(names)
            for part in names:
                if part.endswith(".xml") and part.startswith("word/"):
                    assert _canonical(fast, part) == _canonical(plain, part), (rec.case.label, part)
            compared += 1
    assert compared == 13


def test_line_breaks_and_tabs_resolved_like_docxtpl(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    """Only paragraphs holding \\n or \\t go through docxtpl's listing resolution, with the same
    result as resolving the whole document."""
    rec = example_year.cases[0]
    assert rec.reply is not None
    ctx = clean_context(reply_context(rec.case, rec.reply, example_org))
    ctx["title"] = "关于区政协十二届三次会议\n第15号提案的答复"
    ctx["salutation"] = "王建国\t委员："
    name = reply_template_name(rec.case, "letter")
    fast = load_template(template_path(name)).render(ctx)
    plain = render_docxtpl(template_path(name), ctx)
    assert _canonical(fast, "word/document.xml") == _canonical(plain, "word/document.xml")
    xml = zipfile.ZipFile(io.BytesIO(fast)).read("word/document.xml").decode()
    assert "关于区政协十二届三次会议</w:t><w:br/>" in xml and "王建国</w:t>" in xml
    assert "<w:tab/>" in xml
