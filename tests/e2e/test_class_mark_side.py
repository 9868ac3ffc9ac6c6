"""``class_mark_side`` (issue #12) on the printed page 1, both formats, both sides: the class and
disclosure marks at the left of the marks line (``left``) or at the top right of page 1
(``right``: letter — above the organ mark; file — line 1 of the text area), the 发文字号 where
GB/T 9704 puts it (§10.1: under the double rule at the right edge; §7.2.5: centred under the
mark), and nothing past the right edge of the text area. Positions against ``gongwen.standard``."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from gongwen import Converter, Organisation, render_reply
from gongwen import standard as gb
from gongwen.documents.reply import Variant
from gongwen.findings import Severity
from gongwen.models.docnumber import DocNumber
from gongwen.models.year import CaseRecord
from gongwen.verify.document import Kind
from gongwen.verify.layout import Line, read_pages
from gongwen.verify.pages import check_pdf
from tests.conftest import TODAY

pytestmark = pytest.mark.libreoffice

RIGHT_EDGE = gb.MARGIN_LEFT_MM + gb.TEXT_WIDTH_MM
TOL_MM = 1.2


def _find(lines: list[Line], text: str) -> Line:
    return next(ln for ln in lines if text in re.sub(r"\s", "", ln.text))


@pytest.mark.parametrize("variant", ["letter", "file"])
@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(
    ("number", "result_class"),
    [
        ("临经信函〔2024〕15号", "A"),
        ("临湖区经济和信息化局函〔2024〕1158号", "C"),
        ("临经信函〔2024〕3号", None),
    ],
)
def test_marks_and_number_on_page_one(
    variant: Variant,
    side: str,
    number: str,
    result_class: str | None,
    example_record: Callable[[str], CaseRecord],
    example_org: Organisation,
    converter: Converter,
) -> None:
    rec = example_record("建议072")
    assert rec.reply is not None
    reply = rec.reply.model_copy(
        update={"doc_number": DocNumber.parse(number), "result_class": result_class}
    )
    config = example_org.config.model_copy(update={"class_mark_side": side})
    org = example_org.model_copy(update={"config": config})
    data = render_reply(rec.case, reply, org, variant=variant, today=TODAY, check=False).data
    pdf = converter.to_pdf(data)
    errors = [
        f
        for f in check_pdf(pdf, Kind.LETTER if variant == "letter" else Kind.DOCUMENT)
        if f.severity is Severity.ERROR
    ]
    assert errors == [], [f.message for f in errors]
    page = read_pages(pdf)[0]
    # nothing off the right edge (the letter's red mark spans its 170 mm rules: rule P5)
    assert all(ln.x1 <= RIGHT_EDGE + 0.6 for ln in page.lines if not ln.red)
    num = _find(page.lines, re.sub(r"\s", "", number))
    marks = _find(page.lines, reply.disclosure)
    mark = min((ln for ln in page.lines if ln.red), key=lambda ln: ln.top)
    if variant == "letter":
        # §10.1: the number flush with the right edge, on the line under the upper double rule
        assert num.x1 == pytest.approx(RIGHT_EDGE, abs=TOL_MM)
        assert num.top > mark.bottom
        if side == "left":
            assert marks.top == pytest.approx(num.top, abs=0.5)
            assert marks.x0 == pytest.approx(gb.MARGIN_LEFT_MM, abs=TOL_MM)
        else:  # top right of page 1, above the organ mark
            assert marks.x1 == pytest.approx(RIGHT_EDGE, abs=TOL_MM)
            assert marks.bottom < gb.LETTER_MARK_TOP_MM < mark.bottom
    else:
        centre = gb.MARGIN_LEFT_MM + gb.TEXT_WIDTH_MM / 2
        assert (num.x0 + num.x1) / 2 == pytest.approx(centre, abs=TOL_MM)  # §7.2.5
        assert num.top > mark.bottom
        # line 1 of the text area, left (§7.2.1–7.2.3 顶格) or at the right
        assert marks.top == pytest.approx(gb.MARGIN_TOP_MM, abs=3.0)
        if side == "left":
            assert marks.x0 == pytest.approx(gb.MARGIN_LEFT_MM, abs=TOL_MM)
        else:
            assert marks.x1 == pytest.approx(RIGHT_EDGE, abs=TOL_MM)
