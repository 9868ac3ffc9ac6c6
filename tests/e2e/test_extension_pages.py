"""The extension notice (延期办理告知函) on the printed page: the page rules (P1–P8) pass and
the letter's layout holds (mark on one line, signature block whole on the last page, 抄送 at
the bottom of the text area, nothing outside the 156 mm text width)."""

from __future__ import annotations

from datetime import date

import pytest

from gongwen import HandlingYear, Organisation
from gongwen.api import render_extension_notice
from gongwen.documents.extension import ExtensionNotice, extension_context
from gongwen.findings import Severity
from gongwen.preview import Converter
from gongwen.verify import verify_pages
from tests.conftest import TODAY
from tests.conftest import record_by_label as _record
from tests.e2e.pages import Expected, page_problems, read_pdf, squash

pytestmark = pytest.mark.libreoffice


def _notice(
    year: HandlingYear, org: Organisation, label: str, reason: str
) -> tuple[bytes, Expected]:
    case = _record(year, label).case.model_copy(
        update={"extended_to": date(2024, 8, 15), "extension_reason": reason}
    )
    notice = ExtensionNotice(date(2024, 6, 10), "临经信函〔2024〕9号")
    ctx = extension_context(case, notice, org)
    body = "".join(b["text"] for b in ctx["body"])
    exp = Expected(
        body=squash(ctx["title"] + ctx["salutation"] + body + ctx["closing"] + ctx["mark_right"]),
        closing_block=(ctx["sign_org"], ctx["date"], squash(ctx["note"])),
        copy_to=squash("抄送：" + ctx["copy_to"]),
        mark=org.mark,
        file_format=False,
    )
    doc = render_extension_notice(case, notice, org, today=TODAY)
    return doc.data, exp


@pytest.mark.parametrize(
    ("label", "reason", "pages"),
    [
        ("提案015", "需会同区财政局研究", 1),  # short: notice, closing, signature on one page
        ("提案008", "涉及专项资金管理办法修订，需会同区财政局研究", 2),  # the closing moves on
    ],
)
def test_notice_pages(
    example_year: HandlingYear,
    example_org: Organisation,
    converter: Converter,
    label: str,
    reason: str,
    pages: int,
) -> None:
    data, exp = _notice(example_year, example_org, label, reason)
    errors = [f for f in verify_pages(data, converter) if f.severity is Severity.ERROR]
    assert errors == []
    pdf = converter.to_pdf(data)
    assert len(read_pdf(pdf).pages) == pages
    assert page_problems(pdf, exp) == []
