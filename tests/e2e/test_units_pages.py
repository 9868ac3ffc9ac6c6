"""The summary across several units on the printed page: the page rules (P1–P8) pass; page 1
carries the red header and 基本情况, the tables are on the attachment page, the 版记 on the last
page."""

from __future__ import annotations

import pytest

from gongwen import Organisation
from gongwen.api import render_units_summary
from gongwen.findings import Severity
from gongwen.preview import Converter
from gongwen.verify import verify_pages
from tests.e2e.pages import read_pdf, squash
from tests.unit.test_units_summary import AS_OF, _org, _units

pytestmark = pytest.mark.libreoffice

NARRATIVE = """二、主要做法

（一）部署及时、交办迅速。在正式交办前，与各承办单位逐一进行沟通，积极衔接协调，确定牵头部门和配合部门。

（二）全程督促、持续推动。通过电话访问、现场走访等方式，检查承办单位与领衔人的面商沟通情况和办理进度情况。"""


def test_units_summary_pages(example_org: Organisation, converter: Converter) -> None:
    doc = render_units_summary(
        _units(), _org(example_org), NARRATIVE, doc_number="临政办〔2024〕30号", report_date=AS_OF
    )
    errors = [f for f in verify_pages(doc.data, converter) if f.severity is Severity.ERROR]
    assert errors == []
    pages = read_pdf(converter.to_pdf(doc.data)).pages
    text = ["".join(squash(ln.text) for ln in page) for page in pages]
    assert "东江市临湖区人民政府文件" in text[0] and "一、基本情况" in text[0]
    tables = next(i for i, t in enumerate(text) if t.startswith("附件"))
    assert "二、办理结果满意度（件）" in text[tables]
    assert "合计6221180%" in text[tables]  # 征询 6, 满意 2, 基本满意 2, 不满意 1, 未表态 1, 80%
    assert "印发" in text[-1]
