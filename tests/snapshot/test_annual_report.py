"""The annual handling report: narrative sections, statistics, attachments, layout, PDF, CLI."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from lxml import etree  # type: ignore[import-untyped]
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

import gongwen.cli.year  # noqa: F401  (registers the form and report commands)
from gongwen import HandlingYear, Organisation
from gongwen.api import render_annual_report
from gongwen.cli.app import app
from gongwen.documents.report import parse_narrative, section_key
from gongwen.text.body import Heading, Paragraph
from tests.conftest import ROOT, TODAY
from tests.docview import docx_view

NARRATIVE = (ROOT / "examples" / "narrative2024.md").read_text(encoding="utf-8")
SIGNED = date(2024, 12, 20)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def _report(
    year: HandlingYear, org: Organisation, text: str | None = NARRATIVE, **kw: object
) -> bytes:
    doc = render_annual_report(
        year,
        org,
        text,
        doc_number="临经信〔2024〕30号",
        report_date=SIGNED,
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )
    assert doc.name == "2024年建议提案办理工作总结.docx"
    return doc.data


def test_parse_markdown_and_plain_text() -> None:
    md = parse_narrative(
        "开头一段。\n\n# 主要做法\n\n## 强化领导\n\n正文甲。\n\n# 三、存在的问题\n\n问题乙。"
    )
    assert md.preamble == (Paragraph("开头一段。"),)
    assert [(s.title, s.key) for s in md.sections] == [
        ("主要做法", "practices"),
        ("存在的问题", "problems"),
    ]
    assert (
        isinstance(md.sections[0].blocks[0], Heading)
        and md.sections[0].blocks[0].head == "（一）强化领导"
    )
    plain = parse_narrative(
        "一、领导重视，落实责任。主要领导亲自挂帅。\n\n二、规范程序\n\n正文。\n\n下一步打算\n\n继续努力。"
    )
    assert [s.title for s in plain.sections] == ["领导重视，落实责任。", "规范程序", "下一步打算"]
    assert plain.sections[0].run_in == "主要领导亲自挂帅。" and plain.sections[0].key is None
    assert plain.sections[2].key == "plans"
    assert section_key("领导重视，落实责任，是做好承办工作的前提") is None


def test_report_content(example_year: HandlingYear, example_org: Organisation) -> None:
    paras = _paragraphs(_report(example_year, example_org))
    assert "东江市临湖区经济和信息化局文件" in paras
    assert "临经信〔2024〕30号" in paras
    assert paras[paras.index("东江市临湖区经济和信息化局") + 1] == "2024年建议提案办理工作总结"
    heads = [p for p in paras if p[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert heads[:5] == [
        "一、基本情况",
        "二、主要做法",
        "三、办理成效",
        "四、存在问题",
        "五、下一步打算",
    ]
    basic = paras[paras.index("一、基本情况") + 1]
    assert basic.startswith("2024年，我局共承办代表建议和委员提案12件")
    assert "按时办结率为91.7%" in basic
    # the user's 基本情况 text follows the generated paragraph
    assert paras[paras.index("一、基本情况") + 2].startswith("今年我局承办的建议提案主要涉及")
    assert "（一）强化组织领导，压实办理责任" in paras
    assert "附件：1.2024年建议提案办理情况统计表" in paras
    assert "2.2024年建议提案办理情况一览表" in paras
    assert "2024年12月20日" in paras
    assert "附件1" in paras and "附件2" in paras


def test_missing_sections_are_left_out(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    paras = _paragraphs(_report(example_year, example_org, "# 主要做法\n\n认真办理。"))
    heads = [p for p in paras if p[:2] in ("一、", "二、", "三、", "四、")]
    assert heads[:2] == ["一、基本情况", "二、主要做法"]
    assert not any("存在问题" in p or "下一步" in p or "办理成效" in p for p in paras)
    only_stats = _paragraphs(_report(example_year, example_org, None))
    body = only_stats[: next(i for i, p in enumerate(only_stats) if p.startswith("附件："))]
    assert [p for p in body if p[:2] in ("一、", "二、")] == ["一、基本情况"]


def test_statistics_tables_and_case_list(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    doc = Document(io.BytesIO(_report(example_year, example_org)))
    counts, classes, rates, cases = doc.tables
    assert [c.text for c in counts.rows[1].cells] == ["承办总数", "6", "6", "12"]
    assert [c.text for c in classes.rows[1].cells] == ["A", "已解决或采纳", "4", "44.5%"]
    assert [c.text for c in classes.rows[-1].cells][-2:] == ["9", "100%"]
    on_time = next(r for r in rates.rows if r.cells[0].text == "按时办结率")
    assert [c.text for c in on_time.cells][2:] == ["11", "12", "91.7%"]
    assert [c.text for c in cases.rows[0].cells] == [
        "序号",
        "案号",
        "案由",
        "提案人/领衔代表",
        "办理类型",
        "答复类别",
        "答复日期",
        "沟通方式",
        "满意度",
    ]
    assert len(cases.rows) == 1 + 12
    row96 = next(r for r in cases.rows if r.cells[1].text == "建议第96号")
    assert [c.text for c in row96.cells][5:] == [
        "C→B",
        "2024年6月10日",
        "电话",
        "不满意；重办后基本满意",
    ]


def _mm(value: str | int | None) -> float:
    return int(value or 0) / TWIPS_PER_MM


def test_layout_sections_and_tables_inside_text_area(
    example_year: HandlingYear, example_org: Organisation, snapshot: SnapshotAssertion
) -> None:
    data = _report(example_year, example_org)
    view = docx_view(data)
    # portrait, the landscape case list (§8), portrait again for the 版记 page (§7.4)
    portrait, landscape, record = view["sections"]
    for section in (portrait, record):
        assert [_mm(v) for v in section["page"][:2]] == pytest.approx([210, 297], abs=1)
        for side, value in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
            assert _mm(section["margins"][side]) == pytest.approx(value, abs=1)
    assert landscape["page"][2] == "landscape"
    assert [_mm(v) for v in landscape["page"][:2]] == pytest.approx([297, 210], abs=1)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    tables = list(root.iter(f"{W}tbl"))
    assert len(tables) == 4

    def width(t: etree._Element) -> float:
        return _mm(sum(int(g.get(f"{W}w")) for g in t.iter(f"{W}gridCol")))

    landscape_text = 297 - _mm(landscape["margins"]["left"]) - _mm(landscape["margins"]["right"])
    assert all(width(t) <= 156 + 0.1 for t in tables[:3])
    assert width(tables[3]) <= landscape_text + 0.1
    mark = next(p for p in view["body"] if p["style"] == "GwOrgMarkFileTop")
    assert mark["runs"][0]["text"] == "东江市临湖区经济和信息化局文件"
    assert mark["runs"][0]["color"] == "FF0000" and mark["align"] == "center"
    title = next(p for p in view["body"] if p["style"] == "GwTitle")
    assert title["runs"][0]["size"] == "44" and "小标宋" in title["runs"][0]["font"]
    body = [p for p in view["body"] if p["style"] == "GwBody"]
    assert body and all(r["size"] == "32" and "仿宋" in r["font"] for p in body for r in p["runs"])
    label = next(p for p in view["body"] if p["runs"] and p["runs"][0]["text"] == "附件1")
    assert label["runs"][0]["font"] == "黑体" and label["align"] == "left"
    assert view == snapshot


def test_chart_is_embedded(example_year: HandlingYear, example_org: Organisation) -> None:
    pytest.importorskip("matplotlib")
    data = _report(example_year, example_org, chart=True)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    media = [n for n in names if n.startswith("word/media/") and n.endswith(".png")]
    assert len(media) == 1
    png = zipfile.ZipFile(io.BytesIO(data)).read(media[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    extent = next(
        root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    )
    assert int(extent.get("cx")) / 36000 <= 156
    assert "{{" not in "".join(t.text or "" for t in root.iter(f"{W}t"))


@pytest.mark.libreoffice
def test_pdf_text_and_tables_stay_inside_margins(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    from gongwen.preview import to_pdf

    pdf_bytes = to_pdf(_report(example_year, example_org, chart=True))
    pt = 72 / 25.4
    tol = 1 * pt
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert len(pdf.pages) >= 4
        sizes = {(round(p.width), round(p.height)) for p in pdf.pages}
        assert sizes == {(595, 842), (842, 595)}
        for page in pdf.pages:
            landscape = page.width > page.height
            left, right = (37, 297 - 35) if landscape else (28, 210 - 26)
            top, bottom = (28, 210 - 26) if landscape else (37, 297 - 35)
            for c in page.chars:
                if c["top"] > bottom * pt:  # the page number lies below the text area
                    continue
                if landscape and c["x1"] < left * pt and c["text"] in "— 0123456789":
                    continue  # …or, turned with the sheet, left of it (§7.5, §8)
                assert left * pt - tol <= c["x0"] and c["x1"] <= right * pt + tol, (
                    page.page_number,
                    c["text"],
                )
                assert c["top"] >= top * pt - 3 * tol or not landscape
            for e in page.edges + page.images:
                assert left * pt - tol <= e["x0"] and e["x1"] <= right * pt + tol, page.page_number
        text = pdf.pages[0].extract_text()
        assert "基本情况" in text
        # the landscape pages' numbers: on the short (left) edge, turned, centred 28 mm from the
        # paper edge (the portrait dash is 7 mm below the text area, 28 mm above the edge);
        # odd pages near the bottom, even near the top — where portrait pages have them
        for page in pdf.pages:
            if page.width < page.height:
                continue
            digits = [c for c in page.chars if c["text"].isdigit() and c["x1"] < 37 * pt]
            assert digits, page.page_number
            assert int("".join(c["text"] for c in digits)) == page.page_number
            centre = sum(c["x0"] + c["x1"] for c in digits) / 2 / len(digits) / pt
            assert centre == pytest.approx(28, abs=1.5)
            near_bottom = digits[0]["top"] > page.height / 2
            assert near_bottom == (page.page_number % 2 == 1)
        # the 版记 on the last page, portrait, its last rule on the text area's bottom edge
        last = pdf.pages[-1]
        assert last.width < last.height
        assert "印发" in (last.extract_text() or "")
        rules = [e for e in last.edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 150 * pt]
        assert max(e["top"] for e in rules) / pt == pytest.approx(262, abs=0.7)


def test_cli_report_and_form(tmp_path: Path, cli_runner: CliRunner) -> None:
    runner = cli_runner
    out = tmp_path / "总结.docx"
    args = [
        "report",
        str(ROOT / "examples" / "year2024.yaml"),
        "--org",
        str(ROOT / "examples" / "organisation.yaml"),
        "--narrative",
        str(ROOT / "examples" / "narrative2024.md"),
        "--out",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.exists() and "已生成" in result.output
    again = runner.invoke(app, args)
    assert again.exit_code != 0 and "已存在" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    bad = tmp_path / "bad.md"
    bad.write_text("# 办理成效\n\n共承办建议提案30件。", encoding="utf-8")
    result = runner.invoke(
        app, [*args[:-4], "--narrative", str(bad), "--out", str(tmp_path / "x.docx")]
    )
    assert result.exit_code == 1 and "GW503" in result.output

    import yaml

    data = yaml.safe_load((ROOT / "examples" / "year2024.yaml").read_text(encoding="utf-8"))
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(data["cases"][0], allow_unicode=True), encoding="utf-8")
    forms = tmp_path / "forms"
    result = runner.invoke(
        app,
        [
            "form",
            str(case_file),
            "--org",
            str(ROOT / "examples" / "organisation.yaml"),
            "--out",
            str(forms),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in forms.iterdir()) == sorted(
        [
            "提案008-张建国-征询意见表.docx",
            "提案008-李明华-征询意见表.docx",
            "提案008-赵丽-征询意见表.docx",
        ]
    )
