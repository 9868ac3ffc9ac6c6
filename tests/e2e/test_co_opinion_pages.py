"""Co-handlers' opinions (协办意见) in both formats pass the page rules (P1–P8) as printed by
LibreOffice (issue #12: ``--variant file`` is no longer ignored for them)."""

from __future__ import annotations

import re

import pytest

from gongwen import Converter, HandlingYear, Organisation, render_reply
from gongwen.documents.reply import Variant
from gongwen.findings import Severity
from gongwen.verify.document import Kind
from gongwen.verify.layout import read_pages
from gongwen.verify.pages import check_pdf
from tests.conftest import TODAY

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize("variant", ["letter", "file"])
def test_opinions_print_cleanly(
    variant: Variant, example_year: HandlingYear, example_org: Organisation, converter: Converter
) -> None:
    opinions = [r for r in example_year.cases if r.case.role.value == "协办"]
    assert opinions
    for rec in opinions:
        assert rec.reply is not None
        data = render_reply(rec.case, rec.reply, example_org, variant=variant, today=TODAY).data
        pdf = converter.to_pdf(data)
        kind = Kind.LETTER if variant == "letter" else Kind.DOCUMENT
        errors = [f for f in check_pdf(pdf, kind) if f.severity is Severity.ERROR]
        assert errors == [], (rec.case.label, [f.message for f in errors])
        first = " ".join(re.sub(r"\s", "", ln.text) for ln in read_pages(pdf)[0].lines)
        assert (f"{example_org.mark}文件" in first) is (variant == "file")
        assert f"{rec.case.lead_unit}：" in first
