"""The workbench pages in process: start/import, case list and filters, report, downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from gongwen.resources import example_path
from tests.unit.web_support import case_id, client

LEDGER = example_path("ledger2024.csv")
ORG = example_path("organisation.yaml")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with client(tmp_path_factory.mktemp("web-demo"), demo=True) as c:
        yield c


def test_start_page_without_data_offers_import(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        r = c.get("/")
        assert r.status_code == 200
        assert "导入台账或年度文件" in r.text and "载入内置示例" in r.text
        assert c.get("/cases").headers["location"] == "/"  # nothing imported yet: back to start
        assert (tmp_path / "gongwen.sqlite3").is_file()  # the database is made on first start


def test_demo_lists_every_case_with_its_state(demo: TestClient) -> None:
    html = demo.get("/cases").text
    assert "案件（12/12 件）" in html
    assert "提案008" in html and "建议127" in html
    row = re.search(r"建议085</a>.*?</tr>", html, re.S)
    assert row is not None and "有警告" in row.group(0) and "警告1处" in row.group(0)


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("kind=建议", "建议072", "提案008"),
        ("cls=C", "提案031", "提案008"),
        ("cls=无", "提案023", "提案008"),
        ("unit=区金融工作中心", "建议127", "建议072"),
        ("state=有警告", "建议085", "提案008"),
    ],
)
def test_case_list_filters(demo: TestClient, query: str, present: str, absent: str) -> None:
    html = demo.get(f"/cases?{query}").text
    assert f">{present}</a>" in html
    assert f">{absent}</a>" not in html


def test_case_page_shows_the_reply_fields(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    html = demo.get(f"/cases/{cid}").text
    assert 'value="临经信函〔2024〕11号"' in html
    assert "一、关于加大财政扶持力度" in html  # the body, headings included
    assert 'name="contacts-0-people" value="张建国、李明华、赵丽"' in html
    assert 'name="co_opinions-0-unit" value="区商务局"' in html
    assert 'hx-trigger="keyup changed delay:500ms, change"' in html
    assert "/static/htmx.min.js" in html  # served by the app, no CDN
    assert demo.get("/static/htmx.min.js").status_code == 200
    assert "修改记录" in html and "第1版" in html


def test_unknown_case_is_a_chinese_404(demo: TestClient) -> None:
    r = demo.get("/cases/9999")
    assert r.status_code == 404
    assert "没有找到" in r.text and "Traceback" not in r.text
    r = demo.get("/cases/abc")
    assert r.status_code == 422 and "参数有误" in r.text
    assert "案件编号：取值无效" in r.text and "case_id" not in r.text  # named in Chinese
    assert demo.get("/nowhere").status_code == 404


def test_import_a_ledger_with_organisation(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        r = c.post(
            "/import",
            files={
                "ledger": ("台账.csv", LEDGER.read_bytes(), "text/csv"),
                "organisation": ("organisation.yaml", ORG.read_bytes(), "text/yaml"),
            },
            data={"author": "王芳"},
        )
        assert r.status_code == 200, r.text
        assert "已从 台账.csv 导入" in r.text
        assert "案件（" in c.get("/cases").text
        history = c.get(f"/cases/{case_id(c, '提案008')}").text
        assert "王芳" in history and "导入 台账.csv" in history


def test_import_shows_ledger_problems_with_row_and_header(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(LEDGER.read_text(encoding="utf-8-sig"))))
    rows[2][rows[0].index("交办日期")] = "不是日期"  # spreadsheet row 3
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    bad = out.getvalue().encode("utf-8")
    with client(tmp_path) as c:
        files = {
            "ledger": ("台账.csv", bad, "text/csv"),
            "organisation": ("organisation.yaml", ORG.read_bytes(), "text/yaml"),
        }
        r = c.post("/import", files=files)
        assert r.status_code == 422
        assert "1 行无法读取" in r.text
        assert "<td>3</td>" in r.text  # the spreadsheet row
        assert "交办日期" in r.text and "不是日期" in r.text  # header and the cell's value
        r = c.post("/import", files=files, data={"allow_partial": "1"})
        assert r.status_code == 200 and "另有 1 行无法读取，未导入" in r.text


def test_import_refuses_a_wrong_file_in_chinese(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        r = c.post("/import", files={"ledger": ("说明.pdf", b"%PDF-1.4", "application/pdf")})
        assert r.status_code == 422 and "台账或年度文件应为" in r.text
        r = c.post("/import", files={"ledger": ("台账.csv", LEDGER.read_bytes(), "text/csv")})
        assert r.status_code == 422 and "请同时选择单位信息文件" in r.text


def test_import_year_file_replaces_only_when_asked(demo: TestClient) -> None:
    year = example_path("year2024.yaml").read_bytes()
    files = {
        "ledger": ("year2024.yaml", year, "text/yaml"),
        "organisation": ("organisation.yaml", ORG.read_bytes(), "text/yaml"),
    }
    r = demo.post("/import", files=files)
    assert r.status_code == 409 and "工作区已有 12 件案件" in r.text
    r = demo.post("/import", files=files, data={"replace": "1"})
    assert r.status_code == 200 and "导入 12 件案件" in r.text


def test_report_page_has_statistics_narrative_and_claim_check(demo: TestClient) -> None:
    html = demo.get("/report").text
    assert "按时办结率" in html and "合计" in html
    assert 'id="in-narrative"' in html
    assert "总结中识别出的数字说法" in html
    wrong = demo.post("/report/check", data={"narrative": "全年按时办结率达100%。", "date": ""})
    assert wrong.status_code == 200
    assert "GW503" in wrong.text  # the figure contradicts the statistics
    right = demo.post("/report/check", data={"narrative": "我们认真办理。", "date": ""})
    assert "GW503" not in right.text


def test_report_save_and_stale_save(demo: TestClient) -> None:
    html = demo.get("/report").text
    revision = re.search(r'name="revision" value="(\d+)"', html)
    assert revision is not None
    base = revision.group(1)
    ok = demo.post(
        "/report",
        data={
            "narrative": "# 二、主要做法\n\n认真办理。",
            "date": "2024-12-20",
            "revision": base,
            "author": "王芳",
        },
    )
    assert ok.status_code == 303
    saved = demo.get(ok.headers["location"]).text
    assert 'id="saved"' in saved and "已保存为第" in saved and "王芳" in saved
    assert 'id="saved"' not in demo.get("/report").text
    stale = demo.post(
        "/report",
        data={"narrative": "另一种写法", "date": "", "revision": base, "author": "李强"},
    )
    assert stale.status_code == 409
    assert "王芳" in stale.text and "请刷新后重新修改" in stale.text


def test_case_document_downloads_as_docx(demo: TestClient) -> None:
    cid = case_id(demo, "提案015")
    r = demo.get(f"/cases/{cid}/documents/0?format=docx")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "关于优化营商环境助力民营经济发展的提案" in text
    page = demo.get(f"/cases/{cid}").text
    assert "已生成的文档（一件一档）" in page
    assert "已生成" in demo.get("/cases?state=已生成").text


def test_all_documents_zip_has_manifest(demo: TestClient) -> None:
    r = demo.get("/downloads/all.zip")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert any(n.endswith("提案008-答复.docx") for n in names)
    assert any("征询意见表" in n for n in names)
    assert any("办理工作总结" in n for n in names)
    assert manifest


def test_merged_print_file(demo: TestClient) -> None:
    r = demo.get("/downloads/merged?format=docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert text.count("收悉") >= 5  # several letters in one file


def test_archive_export(demo: TestClient) -> None:
    r = demo.get("/downloads/archive")
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        names = zf.namelist()
    assert any("提案008" in n for n in names)


def test_downloads_page_links_every_document_of_every_case(demo: TestClient) -> None:
    html = demo.get("/downloads").text
    cid = case_id(demo, "提案008")
    assert "提案008-答复.docx" in html and "提案008-赵丽-征询意见表.docx" in html
    link = f"/cases/{cid}/documents/0?format=docx"
    assert f'href="{link}"' in html
    r = demo.get(link)
    assert r.status_code == 200 and r.content.startswith(b"PK")


def test_a_refused_import_names_the_file_as_chosen_and_keeps_the_workspace(
    tmp_path: Path,
) -> None:
    with client(tmp_path, demo=True) as c:
        r = c.post("/import", files={"ledger": ("空白.json", b"{}", "application/json")})
        assert r.status_code == 422
        assert "空白.json" in r.text and "gongwen-upload" not in r.text
        assert "共 12 件" in r.text  # the current workspace is still there, and says so
