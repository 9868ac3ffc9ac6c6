"""The feedback form: content (blank and filled), one form per proposer, layout, one A4 page."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from lxml import etree  # type: ignore[import-untyped]
from syrupy.assertion import SnapshotAssertion

from gongwen import HandlingYear, Organisation
from gongwen.api import render_feedback_form, render_feedback_forms
from gongwen.errors import NoFormForCoHandler
from tests.conftest import TODAY
from tests.conftest import record_by_label as _record
from tests.docview import docx_view

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


def _texts(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            out.extend(c.text for c in row.cells)
    return out


def _row(texts: list[str], label: str) -> str:
    return texts[texts.index(label) + 1]


def test_filled_forms_one_per_proposer(
    example_year: HandlingYear, example_org: Organisation, snapshot: SnapshotAssertion
) -> None:
    rec = _record(example_year, "提案008")
    docs = render_feedback_forms(rec, example_org, today=TODAY)
    assert [d.name for d in docs] == [
        "提案008-张建国-征询意见表.docx",
        "提案008-李明华-征询意见表.docx",
        "提案008-赵丽-征询意见表.docx",
    ]
    texts = _texts(docs[2].data)
    assert "政协提案办理情况征询意见表" in texts
    assert _row(texts, "案　　号") == "区政协十二届三次会议第8号提案"
    assert _row(texts, "案　　由") == "关于加大中小企业数字化转型扶持力度的提案"
    assert _row(texts, "提案人") == "赵丽"
    assert _row(texts, "答复日期") == "2024年5月20日"
    assert _row(texts, "主办单位") == "东江市临湖区经济和信息化局"
    assert _row(texts, "协办单位") == "区商务局"
    assert _row(texts, "答复类别") == "A类（已解决或采纳）"
    assert "☐当面\u2002☑走访\u2002☐座谈\u2002☐电话\u2002☐书面\u2002☐未联系" in texts
    assert _row(texts, "对办理结果评价") == "☐满意\u2002☑基本满意\u2002☐不满意"
    assert _row(texts, "答复是否针对") == "☑针对\u2002☐基本针对\u2002☐未针对"
    assert _row(texts, "意见和建议") == "希望进一步简化补助申报材料"
    assert _row(texts, "填表日期") == "2024年6月3日"
    assert _row(texts, "委员签名") == ""
    note = next(t for t in texts if t.startswith("注："))
    assert "15个工作日" in note and "府前路88号" in note and "0574-87654321" in note
    assert {name: docx_view(d.data) for name, d in ((d.name, d) for d in docs)} == snapshot


def test_blank_form_and_collective_proposer(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _record(example_year, "提案015")
    assert rec.reply is not None
    doc = render_feedback_form(rec.case, rec.reply, example_org, rec.case.lead, today=TODAY)
    texts = _texts(doc.data)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(doc.data)).read("word/document.xml"))
    joined = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert "☑" not in joined and joined.count("☐") == 6 + 3 + 3 + 3
    assert _row(texts, "提案单位") == "民建临湖区基层委员会"
    assert "提案单位盖章" in texts
    assert _row(texts, "协办单位") == "无"
    assert _row(texts, "意见和建议") == ""
    assert _row(texts, "填表日期") == "　　年　　月　　日"


def test_suggestion_title_separate_case_and_rehandling(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    sep = _record(example_year, "建议118")
    texts = _texts(render_feedback_forms(sep, example_org, today=TODAY)[0].data)
    assert "人大代表建议办理情况征询意见表" in texts
    assert _row(texts, "分办单位") == "东江市临湖区经济和信息化局"
    assert _row(texts, "其他分办单位") == "区商务局、区农业农村局"
    again = _record(example_year, "建议096")
    doc = render_feedback_forms(again, example_org, today=TODAY)[0]
    texts = _texts(doc.data)
    assert "（重新办理）" in texts
    assert _row(texts, "答复日期") == "2024年8月20日"
    assert _row(texts, "对办理结果评价") == "☐满意\u2002☑基本满意\u2002☐不满意"


def test_no_form_for_a_co_handled_case(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _record(example_year, "提案023")
    with pytest.raises(NoFormForCoHandler, match="主办单位"):
        render_feedback_forms(rec, example_org, today=TODAY)


def _mm(twips: str | None) -> float:
    return int(twips or 0) / TWIPS_PER_MM


def test_layout_page_fonts_and_table_width(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    doc = render_feedback_forms(_record(example_year, "建议072"), example_org, today=TODAY)[0]
    view = docx_view(doc.data)
    (sect,) = view["sections"]
    # GB/T 9704 §5: A4 210×297, top 37, bottom 35, left 28, right 26 mm (±1 mm)
    assert [_mm(v) for v in sect["page"][:2]] == pytest.approx([210, 297], abs=1)
    margins = sect["margins"]
    for side, value in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert _mm(margins[side]) == pytest.approx(value, abs=1)
    title = next(p for p in view["body"] if p["runs"] and "征询意见表" in p["runs"][0]["text"])
    assert title["align"] == "center" and "小标宋" in title["runs"][0]["font"]
    assert title["runs"][0]["size"] == "44"  # 二号
    cells = [p for p in view["body"] if p["where"] == "body/table"]
    for p in cells:
        for r in p["runs"]:
            if r["text"] in ("☐", "☑"):
                continue
            assert r["font"] in ("仿宋_GB2312", "仿宋") and r["size"] == "28", r
            assert r["color"] in (None, "000000")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(doc.data)).read("word/document.xml"))
    (tbl,) = root.iter(f"{W}tbl")
    width = sum(int(g.get(f"{W}w")) for g in tbl.iter(f"{W}gridCol"))
    assert _mm(str(width)) <= 156 + 0.1


@pytest.mark.libreoffice
def test_form_is_one_a4_page_inside_the_margins(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    from gongwen.preview import to_pdf

    rec = _record(example_year, "提案015")
    assert rec.reply is not None
    blank = render_feedback_form(rec.case, rec.reply, example_org, rec.case.lead, today=TODAY)
    filled = render_feedback_forms(_record(example_year, "提案008"), example_org, today=TODAY)[2]
    for doc in (blank, filled):
        with pdfplumber.open(io.BytesIO(to_pdf(doc.data))) as pdf:
            assert len(pdf.pages) == 1
            page = pdf.pages[0]
            assert (page.width, page.height) == pytest.approx((595.3, 841.9), abs=1)
            pt_mm = 72 / 25.4
            left, right = 28 * pt_mm, (210 - 26) * pt_mm
            xs = [c["x0"] for c in page.chars] + [e["x0"] for e in page.edges]
            x1s = [c["x1"] for c in page.chars] + [e["x1"] for e in page.edges]
            assert min(xs) >= left - 1 * pt_mm and max(x1s) <= right + 1 * pt_mm
            assert max(c["bottom"] for c in page.chars) <= (297 - 35) * pt_mm + 1 * pt_mm
