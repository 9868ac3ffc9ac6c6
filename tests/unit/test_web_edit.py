"""Editing a case on its page: findings beside the fields as typed, saving, stale edits, fixes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from tests.unit.web_support import box, case_id, client, form_fields


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[TestClient]:
    with client(tmp_path, demo=True) as c:
        yield c


def _loaded(c: TestClient, label: str = "提案008") -> tuple[int, dict[str, str]]:
    cid = case_id(c, label)
    return cid, form_fields(c.get(f"/cases/{cid}").text)


def test_check_shows_a_rule_finding_beside_its_field(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    assert fields["revision"] == "1" and fields["target"] == "reply"
    clean = demo.post(f"/cases/{cid}/check", data=fields)
    assert clean.status_code == 200
    assert "GW" not in box(clean.text, "body")
    fields["body"] = fields["body"].replace("现答复如下", "现答复如下XX")
    found = demo.post(f"/cases/{cid}/check", data=fields)
    assert 'id="f-body" hx-swap-oob="true"' in found.text
    assert "GW301" in box(found.text, "body")  # leftover placeholder, beside the body
    assert "GW301" not in box(found.text, "doc_number")
    # nothing was saved by checking
    assert form_fields(demo.get(f"/cases/{cid}").text)["revision"] == "1"


def test_check_shows_a_refused_value_beside_its_field(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["doc_number"] = "临经信函2024-11"
    fields["contacts-0-date"] = "某天"
    r = demo.post(f"/cases/{cid}/check", data=fields)
    assert "发文字号格式应为" in box(r.text, "doc_number")
    assert box(r.text, "contacts").strip() != ""


def test_save_makes_a_revision_and_keeps_history(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["body"] = fields["body"].replace("很有帮助", "很有帮助和启发")
    fields["author"] = "王芳"
    fields["note"] = "润色正文"
    r = demo.post(f"/cases/{cid}", data=fields)
    assert r.status_code == 303
    page = demo.get(r.headers["location"]).text
    assert "已保存为第 2 版" in page
    assert "很有帮助和启发" in page
    assert "润色正文" in page and "reply.body" in page  # the history says what changed
    assert form_fields(page)["revision"] == "2"
    assert demo.cookies.get("gongwen_user")  # the name is remembered for the next save


def test_save_refuses_a_bad_value_and_keeps_the_input(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["date"] = "明年某日"
    fields["body"] = fields["body"] + "\n\n新加的一段。"
    r = demo.post(f"/cases/{cid}", data=fields)
    assert r.status_code == 422
    assert "未保存" in r.text
    assert box(r.text, "date").strip()
    assert "新加的一段。" in r.text
    assert form_fields(demo.get(f"/cases/{cid}").text)["revision"] == "1"


def test_a_stale_save_is_refused_naming_who_changed_it(tmp_path: Path) -> None:
    with client(tmp_path, demo=True) as first:
        second = TestClient(first.app, raise_server_exceptions=False, follow_redirects=False)
        cid, a = _loaded(first)
        _cid, b = _loaded(second)
        a["body"] = a["body"].replace("很有帮助", "很有帮助（甲）")
        a["author"] = "王芳"
        assert first.post(f"/cases/{cid}", data=a).status_code == 303
        b["body"] = b["body"].replace("很有帮助", "很有帮助（乙）")
        b["author"] = "李强"
        r = second.post(f"/cases/{cid}", data=b)
        assert r.status_code == 409
        assert "保存未成功" in r.text and "王芳" in r.text and "第 2 版" in r.text
        assert "您编辑的是第 1 版" in r.text
        assert "很有帮助（乙）" in r.text  # the refused edit is still on the page
        current = form_fields(first.get(f"/cases/{cid}").text)
        assert "（甲）" in current["body"] and "（乙）" not in current["body"]


def test_one_click_fixes_apply_and_save(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["body"] = fields["body"].replace("现答复如下：", "现答复如下:")  # half-width colon
    fields["body"] = fields["body"].replace("很有帮助", "很有帮助和启发")
    checked = demo.post(f"/cases/{cid}/check", data=fields)
    assert "GW302" in box(checked.text, "body")
    assert "一键修正" in checked.text
    r = demo.post(f"/cases/{cid}/fix", data=fields)
    assert r.status_code == 303
    page = demo.get(r.headers["location"]).text
    saved = form_fields(page)
    assert "现答复如下：" in saved["body"] and "现答复如下:" not in saved["body"]
    assert "很有帮助和启发" in saved["body"]  # the rest of the edit is saved with the fix
    assert saved["revision"] == "2"
    assert "安全修正 GW302" in page


def test_user_text_is_data_never_template_code(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["body"] = (
        fields["body"] + "\n\n附言{{ 7*7 }}{% if true %}真{% endif %}<script>alert(1)</script>"
    )
    assert demo.post(f"/cases/{cid}", data=fields).status_code == 303
    page = demo.get(f"/cases/{cid}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page and "附言49" not in page
    assert "GW301" in box(page, "body")  # template syntax in a reply is a leftover placeholder
    fields = form_fields(page)
    fields["body"] = fields["body"].replace("{{ 7*7 }}{% if true %}真{% endif %}", "&amp;")
    assert demo.post(f"/cases/{cid}", data=fields).status_code == 303
    r = demo.get(f"/cases/{cid}/documents/0?format=docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "附言&amp;<script>alert(1)</script>" in text  # printed as typed


def test_download_with_errors_explains_instead_of_rendering(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["body"] = fields["body"].replace("现答复如下", "现答复如下XX")
    assert demo.post(f"/cases/{cid}", data=fields).status_code == 303
    r = demo.get(f"/cases/{cid}/documents/0?format=docx")
    assert r.status_code == 422
    assert "有错误，不能生成" in r.text and "GW301" in r.text
    assert "有错误" in demo.get("/cases?state=有错误").text


def test_contacts_and_co_opinions_rows_are_edited(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    fields["contacts-1-date"] = "2024-04-20"
    fields["contacts-1-method"] = "电话"
    fields["contacts-1-people"] = "赵丽"
    fields["co_opinions-0-summary"] = "同意将电子商务应用纳入补助范围"
    assert demo.post(f"/cases/{cid}", data=fields).status_code == 303
    saved = form_fields(demo.get(f"/cases/{cid}").text)
    assert saved["contacts-1-method"] == "电话" and saved["contacts-1-people"] == "赵丽"
    assert saved["co_opinions-0-summary"] == "同意将电子商务应用纳入补助范围"


def test_attachment_upload_is_kept_with_the_reply(demo: TestClient, tmp_path: Path) -> None:
    cid, fields = _loaded(demo)
    fields["attachment_title"] = "补助申报指南"
    r = demo.post(
        f"/cases/{cid}",
        data=fields,
        files={"attachment_file": ("指南.txt", "第一条 申报条件。".encode(), "text/plain")},
    )
    assert r.status_code == 303, r.text
    saved = form_fields(demo.get(f"/cases/{cid}").text)
    assert saved["attachments-0-title"] == "补助申报指南"
    assert Path(saved["attachments-0-file"]).read_text(encoding="utf-8") == "第一条 申报条件。"
    bad = demo.post(
        f"/cases/{cid}",
        data=saved,
        files={"attachment_file": ("指南.pdf", b"%PDF", "application/pdf")},
    )
    assert bad.status_code == 422 and "附件文件应为" in bad.text


def test_a_form_without_revision_is_refused_in_chinese(demo: TestClient) -> None:
    cid, fields = _loaded(demo)
    del fields["revision"]
    r = demo.post(f"/cases/{cid}", data=fields)
    assert r.status_code == 422 and "版本号" in r.text
    assert re.search(r"Traceback|Exception", r.text) is None
