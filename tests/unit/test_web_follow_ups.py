"""Follow-up replies (跟踪答复、重新办理) and the extension notice on the case page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from docx import Document
from fastapi.testclient import TestClient

from gongwen.ledger.files import load_record
from gongwen.models.year import CaseRecord
from gongwen.resources import example_path
from gongwen.store import Store
from gongwen.web.forms import field_name
from tests.unit.web_support import box, case_id, client, form_fields

FOLLOW_BODY = (
    "您提出的《关于加大中小企业数字化转型扶持力度的提案》（第8号），我局已于2024年5月20日答复。"
    "现将办理结果答复如下：\n\n数字化改造补助资金已于2024年10月拨付到位。"
)
#: The “新增后续答复” form filled in for a 跟踪答复 of 提案008.
TRACKING = {
    "kind": "跟踪答复",
    "date": "2024-11-05",
    "doc_number": "临经信函〔2024〕40号",
    "body": FOLLOW_BODY,
}


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[TestClient]:
    with client(tmp_path, demo=True) as c:
        yield c


def _store(c: TestClient) -> Store:
    store: Store = c.app.state.gongwen.store  # type: ignore[attr-defined]
    return store


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _add(c: TestClient, cid: int, **values: str) -> tuple[int, str]:
    fields = form_fields(c.get(f"/cases/{cid}").text, "follow-form")
    fields.update(values)
    r = c.post(f"/cases/{cid}/follow-ups", data=fields)
    return r.status_code, r.headers.get("location", "") if r.status_code == 303 else r.text


def _documents(html: str) -> list[str]:
    return re.findall(r'class="dl" data-kind="([^"]+)"', html)


def test_a_follow_up_is_added_and_opens_in_its_own_tab(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    assert "新增后续答复" in demo.get(f"/cases/{cid}").text
    status, location = _add(demo, cid, **TRACKING, author="王芳")
    assert status == 303 and "target=follow-1" in location
    page = demo.get(location).text
    assert "已保存为第 2 版" in page and "新增跟踪答复" in page
    assert re.search(r'data-target="follow-1" class="on">跟踪答复<', page)
    fields = form_fields(page)
    assert fields["target"] == "follow-1" and fields["doc_number"] == "临经信函〔2024〕40号"
    assert "拨付到位" in fields["body"]
    assert "正在编辑跟踪答复" in page
    assert _documents(page)[:2] == ["答复", "跟踪答复"]  # the follow-up's letter is listed
    record = _store(demo).case(cid).record
    (follow,) = record.follow_ups
    assert follow.reply.previous is not None and str(follow.reply.previous) == str(
        record.reply.doc_number if record.reply else ""
    )  # the earlier reply's number is named as 前次答复文号
    # no contact before the follow-up yet (GW401): beside its contacts, and it cannot be made
    assert "GW401" in box(page, "contacts")
    refused = demo.get(f"/cases/{cid}/documents/1?format=docx")
    assert refused.status_code == 422 and "GW401" in refused.text
    assert f'href="/cases/{cid}?target=follow-1"' in refused.text  # a way back to the form
    fields["contacts-0-date"] = "2024-10-28"
    fields["contacts-0-method"] = "电话"
    fields["contacts-0-people"] = "张建国"
    assert demo.post(f"/cases/{cid}", data=fields).status_code == 303
    r = demo.get(f"/cases/{cid}/documents/1?format=docx")
    assert r.status_code == 200
    assert "拨付到位" in _text(r.content)
    assert quote("提案008-跟踪答复.docx") in r.headers["content-disposition"]


def test_a_follow_up_edit_shows_its_findings_beside_its_fields(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    status, location = _add(demo, cid, **TRACKING)
    assert status == 303
    fields = form_fields(demo.get(location).text)
    fields["body"] = fields["body"].replace("拨付到位", "拨付到位XX")
    r = demo.post(f"/cases/{cid}/check", data=fields)
    assert 'data-path="follow_ups[0].reply.body"' in box(r.text, "body")
    assert "GW301" in box(r.text, "body") and "GW301" not in box(r.text, "doc_number")
    fields["doc_number"] = "临经信函2024-40"  # refused by the model: beside the 文号
    r = demo.post(f"/cases/{cid}/check", data=fields)
    assert "发文字号格式应为" in box(r.text, "doc_number")
    assert 'data-path="follow_ups[0].reply.doc_number"' in box(r.text, "doc_number")
    # the first reply's form does not show the follow-up's findings beside its fields
    first = form_fields(demo.get(f"/cases/{cid}?target=reply").text)
    assert first["target"] == "reply"
    assert "GW301" not in box(demo.post(f"/cases/{cid}/check", data=first).text, "body")


def test_saving_a_follow_up_changes_only_that_reply(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    before = _store(demo).case(cid).record
    _status, location = _add(
        demo,
        cid,
        kind="重新办理",
        date="2024-08-20",
        doc_number="临经信函〔2024〕27号",
        body=FOLLOW_BODY,
    )
    fields = form_fields(demo.get(location).text)
    fields["body"] = fields["body"] + "\n\n下一步，我局将持续跟踪。"
    fields["note"] = "补充下一步打算"
    r = demo.post(f"/cases/{cid}", data=fields)
    assert r.status_code == 303 and "target=follow-1" in r.headers["location"]
    page = demo.get(r.headers["location"]).text
    assert "follow_ups[0].reply.body" in page  # the history names the field changed…
    assert ">第1次后续答复·正文<" in page  # …in words
    after = _store(demo).case(cid).record
    assert after.reply == before.reply
    assert after.follow_ups[0].kind.value == "重新办理"
    assert after.follow_ups[0].reply.body.endswith("下一步，我局将持续跟踪。")
    assert "重新办理答复" in _documents(page)


def test_a_refused_follow_up_is_explained_beside_its_field_and_not_saved(
    demo: TestClient,
) -> None:
    cid = case_id(demo, "提案008")
    status, html = _add(demo, cid, **{**TRACKING, "date": "明年某日"})
    assert status == 422 and "后续答复未能新增" in html
    assert box(html, "new-date").strip()
    assert "明年某日" in html and "拨付到位" in html  # what was typed is kept
    status, html = _add(demo, cid, **{**TRACKING, "kind": "初次办理"})
    assert status == 422 and "后续答复类型应为" in box(html, "new-kind")
    assert _store(demo).case(cid).revision == 1
    assert re.search(r"Traceback|Exception", html) is None


def test_a_stale_follow_up_is_refused(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    fields = form_fields(demo.get(f"/cases/{cid}").text, "follow-form")
    editor = form_fields(demo.get(f"/cases/{cid}").text)
    editor["body"] += "\n\n补充一段。"
    editor["author"] = "李强"
    assert demo.post(f"/cases/{cid}", data=editor).status_code == 303
    fields.update(TRACKING)
    r = demo.post(f"/cases/{cid}/follow-ups", data=fields)
    assert r.status_code == 409 and "保存未成功" in r.text and "李强" in r.text
    assert "拨付到位" in r.text
    assert _store(demo).case(cid).record.follow_ups == ()


def test_every_follow_up_of_an_imported_record_has_a_tab(tmp_path: Path) -> None:
    record = load_record(example_path("record_follow_ups.yaml"))
    with client(tmp_path, demo=True) as c:
        cid = case_id(c, "建议096")
        stored = _store(c).case(cid)
        same = stored.record.case  # the example's follow-ups on a case of the workspace
        case = record.case.model_copy(update={"number": same.number, "session": same.session})
        record = record.model_copy(update={"case": case})
        _store(c).save_case(cid, record, base_revision=stored.revision, author="测试")
        page = c.get(f"/cases/{cid}").text
        tabs = re.findall(r'data-target="([^"]+)"[^>]*>([^<]+)<', page)
        assert tabs == [
            ("reply", "首次答复"),
            ("follow-1", "重新办理答复"),
            ("follow-2", "跟踪答复"),
        ]
        assert _documents(page)[:3] == ["答复", "重新办理答复", "跟踪答复"]
        second = form_fields(c.get(f"/cases/{cid}?target=follow-2").text)
        assert second["doc_number"] == "临经信函〔2024〕35号"
        unknown = form_fields(c.get(f"/cases/{cid}?target=follow-9").text)
        assert unknown["target"] == "reply"  # a follow-up the case does not have: the first reply


def _extended(c: TestClient, label: str = "提案008") -> int:
    cid = case_id(c, label)
    stored = _store(c).case(cid)
    case = stored.record.case.model_copy(
        update={"extended_to": date(2024, 7, 15), "extension_reason": "涉及多部门协调"}
    )
    record = CaseRecord.model_validate(
        {**stored.record.model_dump(mode="json"), "case": case.model_dump(mode="json")}
    )
    _store(c).save_case(cid, record, base_revision=stored.revision, author="测试")
    return cid


def test_the_extension_notice_is_listed_once_recorded_and_downloads(demo: TestClient) -> None:
    cid = _extended(demo)
    page = demo.get(f"/cases/{cid}").text
    assert "延期至：2024年7月15日（涉及多部门协调）" in page
    assert 'id="notice-form"' in page and "录入告知函日期" in page
    assert "延期办理告知函" not in _documents(page)  # nothing recorded yet
    fields = form_fields(page, "notice-form")
    fields.update(date="2024-06-10", doc_number="")
    r = demo.post(f"/cases/{cid}/extension", data=fields)
    assert r.status_code == 303, r.text
    page = demo.get(r.headers["location"]).text
    kinds = _documents(page)
    assert kinds[0] == "延期办理告知函" and "答复" in kinds
    r = demo.get(f"/cases/{cid}/documents/0?format=docx")
    assert r.status_code == 200, r.text
    text = _text(r.content)
    assert "延期" in text and "2024年7月15日" in text


def test_the_extension_notice_date_and_number_are_recorded(demo: TestClient) -> None:
    cid = _extended(demo)
    page = demo.get(f"/cases/{cid}").text
    assert 'id="notice-form"' in page
    fields = form_fields(page, "notice-form")
    fields.update(date="2024-06-10", doc_number="临经信函〔2024〕12号", author="王芳")
    r = demo.post(f"/cases/{cid}/extension", data=fields)
    assert r.status_code == 303
    saved = form_fields(demo.get(r.headers["location"]).text, "notice-form")
    assert saved["date"] == "2024-06-10" and saved["doc_number"] == "临经信函〔2024〕12号"
    notice = _store(demo).case(cid).record.case.extension_notice
    assert notice is not None and notice.date == date(2024, 6, 10)
    text = _text(demo.get(f"/cases/{cid}/documents/0?format=docx").content)
    assert "临经信函〔2024〕12号" in text

    # a date on or after the new deadline: the rule's finding beside the notice's date
    saved.update(date="2024-07-20")
    r = demo.post(f"/cases/{cid}/extension", data=saved)
    assert r.status_code == 303
    page = demo.get(r.headers["location"]).text
    assert "GW291" in box(page, "notice-date")
    assert page.count('data-code="GW291"') == 1  # once: beside the notice, not among 其他问题
    # a 文号 the model refuses: beside the 文号, nothing saved
    fields = form_fields(page, "notice-form")
    fields.update(doc_number="12号")
    r = demo.post(f"/cases/{cid}/extension", data=fields)
    assert r.status_code == 422 and "告知函未保存" in r.text
    assert box(r.text, "notice-doc_number").strip()
    # both cleared: the recorded notice is removed
    fields.update(date="", doc_number="")
    fields["revision"] = form_fields(page, "notice-form")["revision"]
    assert demo.post(f"/cases/{cid}/extension", data=fields).status_code == 303
    assert _store(demo).case(cid).record.case.extension_notice is None


def test_a_case_not_extended_has_no_notice_form(demo: TestClient) -> None:
    cid = case_id(demo, "提案008")
    page = demo.get(f"/cases/{cid}").text
    assert 'id="notice-form"' not in page and "延期办理告知函" not in _documents(page)
    assisting = demo.get(f"/cases/{case_id(demo, '提案023')}").text  # 协办: an opinion only
    assert 'id="follow-form"' not in assisting and 'id="follow-form"' in page


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("reply.body", "首次答复·正文"),
        ("follow_ups[1].reply.contacts[0].people", "第2次后续答复·沟通记录第1行·参加人员"),
        ("case.extension_notice.doc_number", "案件·延期办理告知函·发文字号"),
        ("feedback[0].result", "第1张征询意见表·办理结果"),
        ("reply.unknown_field", "首次答复·unknown_field"),
    ],
)
def test_history_paths_in_words(path: str, words: str) -> None:
    assert field_name(path) == words


def test_the_case_list_shows_the_latest_reply_class(demo: TestClient) -> None:
    cid = case_id(demo, "提案015")  # answered B (正在解决)
    assert (
        "B"
        in re.findall(
            rf'href="/cases/{cid}">提案015</a></td>.*?</tr>', demo.get("/cases").text, re.S
        )[0]
    )
    status, _location = _add(
        demo, cid, **{**TRACKING, "doc_number": "临经信函〔2024〕41号"}, result_class="A"
    )
    assert status == 303
    html = demo.get("/cases?cls=A").text
    assert f'href="/cases/{cid}">提案015</a>' in html  # solved by the follow-up: now class A
    assert f'href="/cases/{cid}">提案015</a>' not in demo.get("/cases?cls=B").text
