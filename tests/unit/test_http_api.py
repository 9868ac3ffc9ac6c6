"""The HTTP API /api/v1 in process (fastapi.testclient): every endpoint, good and bad input.

The app is a bare FastAPI with ``api_v1.mount`` (what ``create_app`` calls), so these tests are
about the API alone; ``test_create_app_*`` checks it inside the workbench app.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi import FastAPI
from fastapi.testclient import TestClient

from gongwen import CaseRecord, HandlingYear, Organisation, verify
from gongwen.ledger import write_ledger
from gongwen.models.schema import json_schema
from gongwen.web import api_v1
from gongwen.web.state import WebSettings, WebState
from tests.conftest import EXAMPLES, TODAY

DOCX = api_v1.DOCX_TYPE


def make_app(tmp: Path, **settings: Any) -> FastAPI:
    app = FastAPI()
    app.state.gongwen = WebState(WebSettings(data_dir=tmp, **settings))
    api_v1.mount(app)
    return app


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(make_app(tmp_path))


@pytest.fixture
def body(
    example_record: Callable[[str], CaseRecord], example_org: Organisation
) -> Callable[..., dict[str, Any]]:
    """``body("提案008")``: the JSON request for a record of the example year."""

    def make(label: str, **more: Any) -> dict[str, Any]:
        return {
            "record": example_record(label).model_dump(mode="json"),
            "organisation": example_org.model_dump(mode="json"),
            "today": TODAY.isoformat(),
            **more,
        }

    return make


def errors_of(response: Any) -> dict[str, str]:
    data = response.json()
    assert set(data) == {"errors", "findings"}, data
    return {e["path"]: e["message"] for e in data["errors"]}


def file_name(response: Any) -> str:
    from urllib.parse import unquote

    disposition = response.headers["content-disposition"]
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def opens(data: bytes) -> str:
    """The text of a docx (python-docx opens it)."""
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


# --------------------------------------------------------------------------- /check


def test_check_good_record(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    r = client.post("/api/v1/check", json=body("提案008"))
    assert r.status_code == 200
    assert r.json() == {"ok": True, "errors": 0, "warnings": 0, "findings": []}


def test_check_reports_every_finding(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    req = body("提案008")
    req["record"]["reply"]["result_class"] = "C"
    req["record"]["reply"]["class_reason"] = None
    r = client.post("/api/v1/check", json=req)
    assert r.status_code == 200
    data = r.json()
    assert data["ok"] is False and data["errors"] == 1
    (f,) = data["findings"]
    assert (f["code"], f["severity"], f["path"]) == ("GW402", "error", "reply.class_reason")
    assert "暂不能解决的原因" in f["message"]


def test_check_warning_only(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    data = client.post("/api/v1/check", json=body("建议085")).json()
    assert data["ok"] is True and data["warnings"] == 1
    assert [f["code"] for f in data["findings"]] == ["GW203"]


# --------------------------------------------------------------------------- validation


def test_bad_fields_give_paths_and_chinese_messages(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    req = body("提案008")
    req["record"]["reply"]["doc_number"] = "第十五号"
    req["record"]["reply"]["colour"] = "红"  # unknown field
    del req["organisation"]["name"]
    r = client.post("/api/v1/render/reply", json=req)
    assert r.status_code == 422
    errors = errors_of(r)
    assert "发文字号格式应为" in errors["record.reply.doc_number"]
    assert errors["record.reply.colour"] == "不认识的字段「colour」（请检查拼写）"
    assert errors["organisation.name"] == "缺少必填项「单位全称」"
    assert "Traceback" not in r.text


def test_bad_query_parameter(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    r = client.post("/api/v1/render/reply?format=odt", json=body("提案008"))
    assert r.status_code == 422
    assert errors_of(r) == {"query.format": "查询参数“format”应为以下之一：docx、pdf"}


@pytest.mark.parametrize(
    ("content", "headers", "message"),
    [
        (b"{not json", {"content-type": "application/json"}, "请求体不是有效的 JSON"),
        (b"", {}, "缺少请求体"),
        (b"[1, 2]", {"content-type": "application/json"}, "请求体应为 JSON 对象"),
        (b"record=1", {"content-type": "text/plain"}, "请求体应为 JSON 对象"),
    ],
)
def test_not_a_json_object(
    client: TestClient, content: bytes, headers: dict[str, str], message: str
) -> None:
    r = client.post("/api/v1/check", content=content, headers=headers)
    assert r.status_code == 422
    (item,) = r.json()["errors"]
    assert item["path"] == ""
    assert item["message"].startswith(message)


def test_bad_date_in_body(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    r = client.post("/api/v1/check", json=body("提案008", today="2024-13-45"))
    assert r.status_code == 422
    assert list(errors_of(r)) == ["today"]
    assert "检查日期" in errors_of(r)["today"]


def test_attachments_naming_server_files_are_refused(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    req = body("提案008")
    req["record"]["reply"]["attachments"] = [{"title": "口令", "file": "/etc/passwd"}]
    for url in ("/api/v1/check", "/api/v1/render/reply", "/api/v1/render/feedback-forms"):
        r = client.post(url, json=req)
        assert r.status_code == 422, url
        assert list(errors_of(r)) == ["record.reply.attachments[0].file"]
    assert b"root:" not in r.content


def test_unknown_endpoint_and_method(client: TestClient) -> None:
    r = client.get("/api/v1/nothing")
    assert r.status_code == 404
    assert "没有这个接口" in errors_of(r)[""]
    r = client.get("/api/v1/check")
    assert r.status_code == 405
    assert "不接受 GET" in errors_of(r)[""]


def test_unexpected_error_is_json_without_traceback(
    tmp_path: Path, body: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api_v1, "check_record", boom)
    client = TestClient(make_app(tmp_path), raise_server_exceptions=False)
    r = client.post("/api/v1/check", json=body("提案008"))
    assert r.status_code == 500
    assert errors_of(r) == {"": "服务器内部错误，请联系管理员查看服务器日志"}
    assert "secret" not in r.text and "Traceback" not in r.text


# --------------------------------------------------------------------------- size limit


def test_oversize_json_body_413(tmp_path: Path, body: Callable[..., dict[str, Any]]) -> None:
    client = TestClient(make_app(tmp_path, max_upload_bytes=2000))
    r = client.post("/api/v1/check", json=body("提案008"))
    assert r.status_code == 413
    assert "上传内容过大" in errors_of(r)[""]


def test_oversize_upload_413_also_when_chunked(tmp_path: Path) -> None:
    client = TestClient(make_app(tmp_path, max_upload_bytes=5000))
    r = client.post("/api/v1/verify", files={"file": ("a.docx", b"x" * 6000, DOCX)})
    assert r.status_code == 413

    def chunks() -> Any:
        for _ in range(10):
            yield b"y" * 1000

    r = client.post("/api/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "上传内容过大" in errors_of(r)[""]

    boundary = "gongwen-boundary"

    def multipart() -> Any:  # an upload without Content-Length, refused while it arrives
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="a.docx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        yield from chunks()
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post(
        "/api/v1/verify",
        content=multipart(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 413
    assert "上传内容过大" in errors_of(r)[""]


# --------------------------------------------------------------------------- /render/reply


def test_render_reply_docx(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    r = client.post("/api/v1/render/reply", json=body("提案008"))
    assert r.status_code == 200
    assert r.headers["content-type"] == DOCX
    assert file_name(r) == "提案008-答复.docx"
    assert r.headers["x-gongwen-warnings"] == "0"
    text = opens(r.content)
    assert "临经信函〔2024〕" in text
    assert not [f for f in verify(r.content) if f.severity.value == "error"]


def test_render_reply_variant_file(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    letter = client.post("/api/v1/render/reply", json=body("提案008")).content
    r = client.post("/api/v1/render/reply?variant=file", json=body("提案008"))
    assert r.status_code == 200
    assert r.content != letter
    assert opens(r.content)


def test_render_reply_warnings_in_headers(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    r = client.post("/api/v1/render/reply", json=body("建议085"))
    assert r.status_code == 200
    assert (r.headers["x-gongwen-warnings"], r.headers["x-gongwen-warning-codes"]) == (
        "1",
        "GW203",
    )


def test_render_reply_check_errors_422_with_findings(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    req = body("提案008")
    req["record"]["reply"]["result_class"] = "C"
    req["record"]["reply"]["class_reason"] = None
    r = client.post("/api/v1/render/reply", json=req)
    assert r.status_code == 422
    assert list(errors_of(r)) == ["record.reply.class_reason"]
    assert [f["code"] for f in r.json()["findings"]] == ["GW402"]


def test_template_syntax_in_user_text_is_refused_not_run(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    req = body("提案008")
    req["record"]["reply"]["body"] += "\n\n{{ 7*7 }}{% for x in range(3) %}循环{% endfor %}"
    r = client.post("/api/v1/render/reply", json=req)
    assert r.status_code == 422
    assert "未替换的占位符" in errors_of(r)["record.reply.body"]
    assert [f["code"] for f in r.json()["findings"]] == ["GW301"]
    assert "49" not in r.text and "循环循环" not in r.text


def test_rehandled_case_gives_the_rehandling_reply(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    latest = client.post("/api/v1/render/reply", json=body("建议096"))
    assert latest.status_code == 200
    assert file_name(latest) == "建议096-重新办理答复.docx"
    assert "临经信函〔2024〕27号" in opens(latest.content)
    first = client.post("/api/v1/render/reply", json=body("建议096", round="初次办理"))
    assert file_name(first) == "建议096-答复.docx"
    assert "临经信函〔2024〕16号" in opens(first.content)
    again = client.post("/api/v1/render/reply", json=body("建议096", round="重新办理"))
    assert again.content == latest.content


def test_rehandling_round_without_rehandling(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    r = client.post("/api/v1/render/reply", json=body("提案008", round="重新办理"))
    assert r.status_code == 422
    assert list(errors_of(r)) == ["record.rehandling"]
    r = client.post("/api/v1/render/reply", json=body("提案008", round="第三次"))
    assert r.status_code == 422
    assert "初次办理" in errors_of(r)["round"]


def test_record_without_reply(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    req = body("提案008")
    req["record"]["reply"] = None
    req["record"]["feedback"] = []
    r = client.post("/api/v1/render/reply", json=req)
    assert r.status_code == 422
    assert "尚无答复" in errors_of(r)["record.reply"]


# --------------------------------------------------------------------------- /render/co-opinion


def test_co_opinion(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    r = client.post("/api/v1/render/co-opinion", json=body("建议103"))
    assert r.status_code == 200
    assert file_name(r) == "建议103-协办意见.docx"
    assert "协办意见" in opens(r.content)
    # /render/reply on a co-handled case gives the same document (as the library does)
    same = client.post("/api/v1/render/reply", json=body("建议103"))
    assert same.content == r.content


def test_co_opinion_refused_for_a_lead_case(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    r = client.post("/api/v1/render/co-opinion", json=body("提案008"))
    assert r.status_code == 422
    assert "/api/v1/render/reply" in errors_of(r)["record.case.role"]
    r = client.post("/api/v1/render/reply?variant=file", json=body("建议103"))
    assert r.status_code == 422
    assert list(errors_of(r)) == ["query.variant"]


# --------------------------------------------------------------------------- /render/feedback-forms


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_feedback_forms_zip_one_per_proposer(
    client: TestClient, body: Callable[..., dict[str, Any]], example_record: Any
) -> None:
    r = client.post("/api/v1/render/feedback-forms", json=body("提案008"))
    assert r.status_code == 200
    assert r.headers["content-type"] == api_v1.ZIP_TYPE
    zf = _zip(r.content)
    manifest = json.loads(zf.read("manifest.json"))
    people = [p.name for p in example_record("提案008").case.proposers]
    assert len(people) == 3
    assert [e["proposer"] for e in manifest["files"]] == people
    for e in manifest["files"]:
        assert e["name"] == f"提案008-{e['proposer']}-征询意见表.docx"
        assert "征询意见表" in opens(zf.read(e["name"]))
    assert sorted(zf.namelist()) == sorted(
        [*(e["name"] for e in manifest["files"]), "manifest.json"]
    )


def test_feedback_forms_blank_and_rehandled(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    filled = _zip(client.post("/api/v1/render/feedback-forms", json=body("建议096")).content)
    blank = _zip(
        client.post("/api/v1/render/feedback-forms", json=body("建议096", blank=True)).content
    )
    name = "建议096-黄伟-征询意见表.docx"
    assert filled.read(name) != blank.read(name)
    assert "（重新办理）" in opens(filled.read(name))  # the forms go with the latest reply


def test_feedback_forms_refused_for_co_handler(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    r = client.post("/api/v1/render/feedback-forms", json=body("建议103"))
    assert r.status_code == 422
    assert "主办单位" in errors_of(r)["record"]


# --------------------------------------------------------------------------- /render/report


@pytest.fixture
def year_body(example_year: HandlingYear, example_org: Organisation) -> dict[str, Any]:
    return {
        "year": example_year.model_dump(mode="json"),
        "organisation": example_org.model_dump(mode="json"),
        "narrative": (EXAMPLES / "narrative2024.md").read_text(encoding="utf-8"),
        "report_date": "2024-12-20",
        "today": TODAY.isoformat(),
    }


def test_report(client: TestClient, year_body: dict[str, Any]) -> None:
    r = client.post("/api/v1/render/report", json=year_body)
    assert r.status_code == 200, r.text
    assert file_name(r).endswith("办理工作总结.docx")
    assert "基本情况" in opens(r.content)


def test_report_contradicting_narrative_422(client: TestClient, year_body: dict[str, Any]) -> None:
    year_body["narrative"] = "# 二、主要做法\n\n今年共办理建议提案99件，满意率100%。\n"
    r = client.post("/api/v1/render/report", json=year_body)
    assert r.status_code == 422
    errors = errors_of(r)
    assert errors and all(p.startswith("narrative") for p in errors), errors
    assert r.json()["findings"]


def test_report_case_error_points_into_the_year(
    client: TestClient, year_body: dict[str, Any]
) -> None:
    reply = year_body["year"]["cases"][0]["reply"]
    reply["result_class"], reply["class_reason"] = "C", None
    r = client.post("/api/v1/render/report", json=year_body)
    assert r.status_code == 422
    assert "year.cases[0].reply.class_reason" in errors_of(r)


def test_report_needs_an_organisation(client: TestClient, year_body: dict[str, Any]) -> None:
    del year_body["organisation"]
    r = client.post("/api/v1/render/report", json=year_body)
    assert r.status_code == 422
    assert list(errors_of(r)) == ["organisation"]


# --------------------------------------------------------------------------- /batch


@pytest.fixture
def ledger_csv(tmp_path: Path, example_year: HandlingYear) -> bytes:
    """The example year as a CSV ledger with one unreadable row (a bad 交办日期)."""
    path = write_ledger(example_year, tmp_path / "台账.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    bad = list(rows[1])
    bad[rows[0].index("案号")] = "99"
    bad[rows[0].index("交办日期")] = "2024.13.01"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*rows, bad])
    return buffer.getvalue().encode("utf-8-sig")


def _batch(
    client: TestClient, ledger: tuple[str, bytes], org: tuple[str, bytes], **form: str
) -> Any:
    return client.post(
        "/api/v1/batch",
        files={"ledger": (*ledger, "text/csv"), "organisation": (*org, "application/yaml")},
        data={"today": TODAY.isoformat(), **form},
    )


ORG = ("organisation.yaml", (EXAMPLES / "organisation.yaml").read_bytes())


def test_batch_zip_with_manifest_bad_row_not_fatal(
    client: TestClient, ledger_csv: bytes, example_year: HandlingYear
) -> None:
    r = _batch(client, ("台账.csv", ledger_csv), ORG, what="replies,forms", allow_partial="true")
    assert r.status_code == 200, r.text
    zf = _zip(r.content)
    names = set(zf.namelist())
    manifest = json.loads(zf.read("manifest.json"))
    listed = {e["file"] for e in manifest["outputs"]}
    assert listed == names - {"manifest.json", "numbers.json", "results.json"}
    results = json.loads(zf.read("results.json"))
    (invalid,) = [x for x in results if x["status"] == "invalid"]
    assert invalid["row"] == len(example_year.cases) + 2
    assert [p["header"] for p in invalid["problems"]] == ["交办日期"]
    assert {x["file"] for x in results if x["status"] == "written"} == listed
    assert manifest["source"] == "台账.csv"  # the upload's name, not the server's temp path
    assert "建议096-重新办理答复.docx" in names and "提案008-答复.docx" in names
    skipped = manifest["skipped"]
    assert [s["row"] for s in skipped] == [len(example_year.cases) + 2]
    assert "2024.13.01" in json.dumps(skipped, ensure_ascii=False)
    assert int(r.headers["x-gongwen-failed"]) == 1
    assert int(r.headers["x-gongwen-written"]) == len(listed)
    forms = sorted(n for n in names if n.startswith("提案008-") and n.endswith("征询意见表.docx"))
    assert len(forms) == 3  # a co-signed case: one form per proposer
    assert "征询意见表" in opens(zf.read(forms[0]))


def test_batch_bad_organisation_file(client: TestClient, ledger_csv: bytes) -> None:
    org = ORG[1].decode("utf-8").replace("reply_code: 临经信函", "reply_code: 12")
    r = _batch(client, ("台账.csv", ledger_csv), ("org.yaml", org.encode()), what="replies")
    assert r.status_code == 422
    assert any(p.startswith("organisation.") for p in errors_of(r)), r.text
    r = _batch(client, ("台账.csv", ledger_csv), ("org.yaml", b"name: [unclosed"))
    assert r.status_code == 422
    assert "无法解析承办单位文件" in errors_of(r)["organisation"]


def test_batch_bad_options_and_files(client: TestClient, ledger_csv: bytes) -> None:
    r = _batch(client, ("台账.csv", ledger_csv), ORG, what="letters")
    assert r.status_code == 422 and "未知的文档类别" in errors_of(r)["what"]
    r = _batch(client, ("台账.csv", ledger_csv), ORG, variant="poster")
    assert r.status_code == 422 and list(errors_of(r)) == ["variant"]
    r = _batch(client, ("台账.csv", ledger_csv), ORG, today="明天")
    assert r.status_code == 422 and list(errors_of(r)) == ["today"]
    r = _batch(client, ("台账.pdf", ledger_csv), ORG)
    assert r.status_code == 422 and "不支持的文件类型" in errors_of(r)["ledger"]
    r = _batch(client, ("台账.csv", b""), ORG)
    assert r.status_code == 422 and errors_of(r) == {"ledger": "上传的文件是空的"}
    r = client.post("/api/v1/batch", files={"ledger": ("台账.csv", ledger_csv, "text/csv")})
    assert r.status_code == 422 and "organisation" in errors_of(r)


def test_batch_unreadable_ledger_hides_server_paths(client: TestClient) -> None:
    r = _batch(client, ("台账.csv", "甲,乙\n1,2\n".encode()), ORG)
    assert r.status_code == 422
    text = json.dumps(r.json(), ensure_ascii=False)
    assert "/tmp" not in text and "gongwen-api-" not in text


def test_batch_year_file_with_attachments_refused(client: TestClient) -> None:
    year = (
        "year: 2024\ncases:\n  - case: {}\n"
        "    reply: {attachments: [{title: a, file: /etc/passwd}]}\n"
    )
    r = _batch(client, ("年度.yaml", year.encode()), ORG)
    assert r.status_code == 422
    assert list(errors_of(r)) == ["ledger.cases[0].reply.attachments"]


# --------------------------------------------------------------------------- /verify


def test_verify_rendered_docx(client: TestClient, body: Callable[..., dict[str, Any]]) -> None:
    docx = client.post("/api/v1/render/reply", json=body("提案008")).content
    r = client.post("/api/v1/verify", files={"file": ("a.docx", docx, DOCX)})
    assert r.status_code == 200
    data = r.json()
    assert data["ok"] is True
    assert data["findings"] == [f.to_dict() for f in verify(docx)]


def test_verify_finds_layout_problems(
    client: TestClient, body: Callable[..., dict[str, Any]]
) -> None:
    docx = client.post("/api/v1/render/reply", json=body("提案008")).content
    import docx as python_docx
    from docx.shared import Pt

    doc = python_docx.Document(io.BytesIO(docx))
    for p in doc.paragraphs:
        for run in p.runs:
            run.font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    r = client.post("/api/v1/verify", files={"file": ("a.docx", out.getvalue(), DOCX)})
    assert r.status_code == 200
    assert r.json()["ok"] is False
    assert all(f["code"].startswith("D") for f in r.json()["findings"])


def test_verify_not_a_docx(client: TestClient) -> None:
    r = client.post("/api/v1/verify", files={"file": ("a.docx", b"PK not really", DOCX)})
    assert r.status_code == 422
    assert "不是有效的 docx" in errors_of(r)["file"]
    r = client.post("/api/v1/verify")
    assert r.status_code == 422 and "file" in errors_of(r)


@pytest.mark.libreoffice
def test_verify_pages_and_pdf_through_the_warm_converter(
    tmp_path: Path, body: Callable[..., dict[str, Any]]
) -> None:
    app = make_app(tmp_path)
    client = TestClient(app)
    try:
        pdf = client.post("/api/v1/render/reply?format=pdf", json=body("建议096"))
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")
        assert file_name(pdf) == "建议096-重新办理答复.pdf"
        docx = client.post("/api/v1/render/reply", json=body("建议096")).content
        r = client.post("/api/v1/verify?pages=1", files={"file": ("a.docx", docx, DOCX)})
        assert r.status_code == 200
        data = r.json()
        assert data["ok"] is True, data
        plain = client.post("/api/v1/verify", files={"file": ("a.docx", docx, DOCX)}).json()
        assert len(data["findings"]) >= len(plain["findings"])
    finally:
        app.state.gongwen.close()


# --------------------------------------------------------------------------- OpenAPI


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    wanted = {
        "/api/v1/check",
        "/api/v1/render/reply",
        "/api/v1/render/co-opinion",
        "/api/v1/render/feedback-forms",
        "/api/v1/render/report",
        "/api/v1/batch",
        "/api/v1/verify",
    }
    routes = {r.path for r in api_v1.router.routes}  # type: ignore[attr-defined]
    assert routes == wanted
    assert wanted <= set(spec["paths"])
    for path in wanted:
        op = spec["paths"][path]["post"]
        assert op["summary"] and op["description"], path
        assert any("\u4e00" <= ch <= "\u9fff" for ch in op["summary"]), path
        assert "ErrorBody" in json.dumps(op["responses"]["422"]), path
        assert "requestBody" in op, path
    schemas = spec["components"]["schemas"]
    # the request bodies are gongwen's models: the same fields as `gongwen schema record`
    assert set(schemas["CaseRecord"]["properties"]) == set(json_schema("record")["properties"])
    assert set(schemas["Organisation"]["properties"]) == set(
        json_schema("organisation")["properties"]
    )
    reply = spec["paths"]["/api/v1/render/reply"]["post"]
    assert {p["name"] for p in reply["parameters"]} == {"format", "variant"}
    assert set(reply["responses"]["200"]["content"]) == {DOCX, "application/pdf"}


# --------------------------------------------------------------------------- inside create_app


def test_create_app_serves_the_api_behind_the_token(
    tmp_path: Path, body: Callable[..., dict[str, Any]]
) -> None:
    from gongwen.web.app import create_app

    app = create_app(
        WebSettings(data_dir=tmp_path, host="0.0.0.0", token="s3cret-令牌".encode().hex())
    )
    token = "s3cret-令牌".encode().hex()
    with TestClient(app) as client:
        r = client.post("/api/v1/render/reply", json=body("提案008"))
        assert r.status_code == 401
        r = client.post(
            "/api/v1/render/reply",
            json=body("提案008"),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200 and file_name(r) == "提案008-答复.docx"
        bad = body("提案008")
        bad["record"]["reply"]["doc_number"] = "x"
        r = client.post("/api/v1/check", json=bad, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 422
        assert list(errors_of(r)) == ["record.reply.doc_number"]
        assert "/api/v1/render/reply" in client.get("/openapi.json").json()["paths"]
