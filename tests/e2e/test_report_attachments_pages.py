"""The annual report with the office's own attachment on the printed page (§7.3.7, issue #12):
the page rules (P1–P8) pass; 附件3 follows the landscape case list on a portrait page of its
own — "附件3" flush left on line 1, the title centred on line 3 — and carries the 版记 at the
bottom, with no page left over after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongwen import HandlingYear, Organisation
from gongwen import standard as gb
from gongwen.api import render_annual_report
from gongwen.findings import Severity
from gongwen.models.reply import Attachment
from gongwen.preview import Converter
from gongwen.verify import verify_pages
from tests.conftest import ROOT, TODAY
from tests.e2e.pages import MM, PITCH, TEXT_LEFT, TEXT_RIGHT, read_pdf, squash

pytestmark = pytest.mark.libreoffice

NARRATIVE = (ROOT / "examples" / "narrative2024.md").read_text(encoding="utf-8")
TITLE = "建议提案办理工作制度"
TOP = gb.MARGIN_TOP_MM * MM


def test_report_with_a_text_attachment(
    example_year: HandlingYear, example_org: Organisation, converter: Converter, tmp_path: Path
) -> None:
    rules = tmp_path / "制度.txt"
    rules.write_text(
        "第一条　为规范建议提案办理工作，提高办理质量，制定本制度。\n\n"
        "第二条　收到交办件后，办公室在两个工作日内登记、分办。",
        encoding="utf-8",
    )
    doc = render_annual_report(
        example_year,
        example_org,
        NARRATIVE,
        doc_number="临经信〔2024〕30号",
        report_date=date(2024, 12, 20),
        today=TODAY,
        attachments=[Attachment(title=TITLE, file=rules)],
    )
    errors = [f for f in verify_pages(doc.data, converter) if f.severity is Severity.ERROR]
    assert errors == []
    printed = read_pdf(converter.to_pdf(doc.data))
    text = ["".join(squash(ln.text) for ln in printed.lines(i)) for i in range(len(printed.pages))]
    assert any(f"3.{TITLE}" in t for t in text)  # the 附件说明
    listing = max(i for i, t in enumerate(text) if t.startswith("附件2"))
    last = printed.lines(len(text) - 1)
    # its own page, the last one, right after the pages of the list (none left empty)
    assert [i for i, t in enumerate(text) if t.startswith("附件3")] == [len(text) - 1]
    assert listing < len(text) - 1 and all(text[listing : len(text) - 1])
    label, title = last[0], last[1]
    assert squash(label.text) == "附件3"
    assert label.x0 == pytest.approx(TEXT_LEFT, abs=1.5 * MM)  # flush left
    assert label.bottom - TOP == pytest.approx(PITCH * gb.ATTACHMENT_LABEL_LINE, abs=PITCH / 2)
    assert squash(title.text) == TITLE
    assert (title.x0 + title.x1) / 2 == pytest.approx((TEXT_LEFT + TEXT_RIGHT) / 2, abs=2 * MM)
    assert title.bottom - label.bottom == pytest.approx(
        PITCH * (gb.ATTACHMENT_TITLE_LINE - gb.ATTACHMENT_LABEL_LINE), abs=PITCH / 2
    )
    assert "第二条" in text[-1] and "抄送：" in text[-1] and text[-1].endswith("印发")
