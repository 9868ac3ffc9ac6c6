"""End to end: render a reply, convert it with LibreOffice, measure the PDF.

Numbers come from GB/T 9704-2012 (docs/standard.md, gongwen.standard): A4 210×297 mm, left
margin 28 mm, top margin 37 mm, page numbers `— n —` on every page but page 1 of the letter
format, odd pages right, even pages left.
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from gongwen import HandlingYear, Organisation, render_reply
from gongwen.preview import Converter
from tests.conftest import TODAY

MM = 72 / 25.4  # PDF points per millimetre
A4 = (210 * MM, 297 * MM)
PAGE_NO = re.compile(r"^—\s*(\d+)\s*—$")

pytestmark = pytest.mark.libreoffice  # the warm ``converter`` fixture (tests/conftest.py)


def _lines(page: pdfplumber.page.Page) -> list[tuple[float, float, str]]:
    """(top, x0, text) per text line."""
    out = []
    for line in page.extract_text_lines():
        out.append((line["top"], line["x0"], line["text"].replace(" ", "")))
    return out


def _page_number(page: pdfplumber.page.Page) -> tuple[int, float, float] | None:
    for top, x0, text in _lines(page):
        m = PAGE_NO.match(text)
        if m and top > 250 * MM:
            x1 = max(c["x1"] for c in page.chars if c["top"] >= top - 1)
            return int(m[1]), x0, x1
    return None


def test_reply_pdf_layout(
    example_year: HandlingYear, example_org: Organisation, converter: Converter
) -> None:
    rec = example_year.cases[0]
    assert rec.reply is not None
    doc = render_reply(rec.case, rec.reply, example_org, today=TODAY)
    pdf = pdfplumber.open(io.BytesIO(converter.to_pdf(doc.to_bytes())))
    first = pdf.pages[0]
    assert (first.width, first.height) == pytest.approx(A4, abs=1)
    text1 = first.extract_text().replace(" ", "").replace("\n", "")
    assert "关于区政协十二届三次会议第8号提案的答复" in text1
    assert "张建国等3位委员：" in text1
    assert _page_number(first) is None, "信函格式首页不显示页码"
    # body text is set in a CJK font
    body_chars = [c for c in first.chars if c["text"] == "收"]
    assert body_chars and all(
        any(k in c["fontname"] for k in ("CJK", "Fang", "UKai", "Song", "Hei")) for c in body_chars
    )
    # the text block's left edge: 28 ± 1 mm from the paper edge
    lefts = [x0 for top, x0, text in _lines(first) if text.startswith("张建国等3位委员")]
    assert lefts and lefts[0] / MM == pytest.approx(28, abs=1)


def test_long_reply_spans_pages_with_odd_even_numbers(
    example_year: HandlingYear, example_org: Organisation, converter: Converter
) -> None:
    rec = example_year.cases[0]
    assert rec.reply is not None
    sentence = "我局高度重视这件提案的办理工作，认真研究落实。"
    paras = [f"第{i}段。" + sentence * 3 for i in range(1, 31)]
    reply = rec.reply.model_copy(update={"body": "\n\n".join(paras)})
    doc = render_reply(rec.case, reply, example_org, today=TODAY)
    pdf = pdfplumber.open(io.BytesIO(converter.to_pdf(doc.to_bytes())))
    assert len(pdf.pages) >= 3
    assert _page_number(pdf.pages[0]) is None
    for index, page in enumerate(pdf.pages[1:], start=2):
        found = _page_number(page)
        assert found is not None, f"第{index}页缺少页码"
        number, x0, x1 = found
        assert number == index
        if index % 2:  # odd: right, one character (16 pt) in from the right margin (26 mm)
            assert x1 / MM == pytest.approx(210 - 26 - 16 / MM, abs=3)
        else:  # even: left, one character in from the left margin (28 mm)
            assert x0 / MM == pytest.approx(28 + 16 / MM, abs=3)
        # later pages: the first text line sits in the first line box of the text area, which
        # starts at the top margin (37 mm) and is one line pitch (≤ 579 twips = 28.95 pt) high;
        # the next line follows exactly one pitch lower (22 lines per page)
        tops = sorted(t for t, x, s in _lines(page) if not PAGE_NO.match(s))
        assert 37 - 0.5 <= tops[0] / MM <= 37 + (28.95 - 16) / MM + 0.5
        if len(tops) > 1:
            assert (tops[1] - tops[0]) == pytest.approx(28.95, abs=0.6)
    all_text = "".join(p.extract_text().replace(" ", "") for p in pdf.pages)
    assert "第30段" in all_text and "2024年5月20日" in all_text
