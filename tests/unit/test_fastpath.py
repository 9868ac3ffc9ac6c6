"""The fast rendering path gives the same document as plain docxtpl, for every example case,
and places pictures (the report's chart) itself, as docxtpl's ``InlineImage`` would."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree  # type: ignore[import-untyped]

from gongwen import HandlingYear, Organisation
from gongwen.documents.reply import reply_context, reply_template_name
from gongwen.render.engine import Image, load_template, render_docxtpl
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


# --------------------------------------------------------------------------- pictures

CHART_EMU = 150 * 36000  # the report's chart: 150 mm wide


@pytest.fixture(scope="module")
def chart_reports() -> tuple[bytes, bytes]:
    """The example report with its chart: (engine's fast path, docxtpl's path)."""
    pytest.importorskip("matplotlib")
    from datetime import date

    import gongwen
    from gongwen.api import CHART_WIDTH_MM, render_annual_report
    from gongwen.documents.chart import year_chart
    from gongwen.documents.plan import REPORT_TEMPLATE
    from gongwen.documents.report import report_context

    year = gongwen.load_year("examples/year2024.yaml")
    org = gongwen.load_organisation("examples/organisation.yaml")
    day = date(2024, 12, 20)
    fast = render_annual_report(year, org, chart=True, report_date=day, today=day).data
    images = {"chart": Image(year_chart(year, org), CHART_WIDTH_MM)}
    ctx = clean_context(report_context(year, org, "", report_date=day))
    plain = render_docxtpl(template_path(REPORT_TEMPLATE), ctx, images)
    return fast, plain


def _drawing_view(data: bytes) -> bytes:
    """c14n of document.xml with the picture's relationship id and shape ids blanked."""
    text = _canonical(data, "word/document.xml")
    return re.sub(rb'(r:embed|\bid)="[^"]*"', rb'\1=""', text)


def test_chart_takes_the_fast_path(chart_reports: tuple[bytes, bytes]) -> None:
    from docx import Document

    fast, _ = chart_reports
    shapes = Document(io.BytesIO(fast)).inline_shapes
    assert len(shapes) == 1
    assert shapes[0].width == CHART_EMU
    z = zipfile.ZipFile(io.BytesIO(fast))
    media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert media == ["word/media/image1.png"]
    assert z.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"
    rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    image_rels = [r for r in rels if r.get("Type", "").endswith("/image")]
    assert [r.get("Target") for r in image_rels] == ["media/image1.png"]
    types = etree.fromstring(z.read("[Content_Types].xml"))
    assert any(t.get("Extension") == "png" and t.get("ContentType") == "image/png" for t in types)
    xml = z.read("word/document.xml").decode()
    embed = re.findall(r'r:embed="([^"]+)"', xml)
    assert embed == [image_rels[0].get("Id")]
    # the other members are the template's own, copied unchanged (not re-serialised by docxtpl)
    assert z.read("word/styles.xml") == zipfile.ZipFile(
        io.BytesIO(load_template(_report_template()).source)
    ).read("word/styles.xml")


def _report_template() -> str:
    from gongwen.documents.plan import REPORT_TEMPLATE

    return str(template_path(REPORT_TEMPLATE))


def test_chart_markup_equals_docxtpl(chart_reports: tuple[bytes, bytes]) -> None:
    fast, plain = chart_reports
    assert docx_view(fast) == docx_view(plain)
    assert _drawing_view(fast) == _drawing_view(plain)
    from docx import Document

    (a,) = Document(io.BytesIO(fast)).inline_shapes
    (b,) = Document(io.BytesIO(plain)).inline_shapes
    assert (a.width, a.height) == (b.width, b.height)


@pytest.mark.libreoffice
def test_chart_report_pdf_pages_equal_docxtpl(chart_reports: tuple[bytes, bytes]) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    from gongwen.preview import to_pdf

    fast, plain = chart_reports
    pages = []
    for data in (fast, plain):
        with pdfplumber.open(io.BytesIO(to_pdf(data))) as pdf:
            pages.append((len(pdf.pages), sum(len(p.images) for p in pdf.pages)))
    assert pages[0] == pages[1]
    assert pages[0][1] == 1  # the chart is drawn once
