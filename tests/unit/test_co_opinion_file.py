"""Co-handlers' opinions (协办意见) in both formats (issue #12): ``variant="file"`` is honoured
by the API, the batch plan and the CLI template choice, not silently dropped."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from gongwen import render_reply
from gongwen.api import render_planned
from gongwen.documents.plan import DocKind, case_documents
from gongwen.documents.reply import Variant, reply_template_name
from gongwen.models.year import CaseRecord
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()
OPINIONS = [r for r in load_example_year().cases if r.case.role.value == "协办"]


def _text(data: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_there_are_opinions_to_test() -> None:
    assert len(OPINIONS) >= 2


@pytest.mark.parametrize("record", OPINIONS, ids=lambda r: r.case.label)
@pytest.mark.parametrize("variant", ["letter", "file"])
def test_opinion_in_each_format(record: CaseRecord, variant: Variant) -> None:
    assert record.reply is not None
    case = record.case
    expected = "reply_file.docx" if variant == "file" else "co_opinion.docx"
    assert reply_template_name(case, variant) == expected
    doc = render_reply(case, record.reply, ORG, variant=variant, today=TODAY)
    assert doc.kind == DocKind.CO_OPINION.value
    text = _text(doc.data)
    assert f"{case.lead_unit}：" in text and "协办意见" in text
    has_file_mark = f"{ORG.mark}文件" in text
    # the 版记's 印发 line (§7.4.3)
    has_imprint = re.search(rf"{ORG.issuing_office}\d{{4}}年\d+月\d+日印发", text) is not None
    assert has_file_mark is (variant == "file")
    assert has_imprint is (variant == "file")
    planned = case_documents(record, ("replies",), variant=variant)
    assert planned and all(d.template == expected for d in planned)
    again = render_planned(record, planned[0], ORG, today=TODAY)
    assert (f"{ORG.mark}文件" in _text(again.data)) is (variant == "file")
