"""Models: valid and invalid input, Chinese messages that name the field, round trips."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from gongwen import (
    Case,
    CaseRecord,
    Config,
    DocNumber,
    Feedback,
    HandlingYear,
    Organisation,
    Reply,
    Session,
    error_list,
)
from gongwen.models import FOUR_CLASSES, JIA_YI_BING, CaseKind, Level

CPPCC = {"body": "政协", "level": "区", "term": 3, "meeting": 1, "region": "海曙区"}
NPC = {"body": "人大", "level": "市", "term": 16, "meeting": 3}


def case_data(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "提案",
        "number": 8,
        "title": "关于加强社区养老服务的提案",
        "session": CPPCC,
        "proposers": [{"name": "张三"}],
        "assigned_date": "2024-03-15",
        "role": "主办",
    }
    data.update(kw)
    return data


def reply_data(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "doc_number": "海经函〔2024〕15号",
        "result_class": "A",
        "date": "2024-06-18",
        "body": "您提出的提案收悉。现答复如下：\n\n一、总体情况",
    }
    data.update(kw)
    return data


# ── Session ────────────────────────────────────────────────────────────────


def test_session_display_strings() -> None:
    s = Session.model_validate(CPPCC)
    assert s.short == "区三届一次会议"
    assert s.display == "区政协三届一次会议"
    assert s.formal == "政协海曙区第三届委员会第一次会议"
    n = Session.model_validate(NPC)
    assert n.display == "市十六届人大三次会议"
    assert str(n) == "市十六届人大三次会议"


def test_session_recess_and_national() -> None:
    s = Session(body="人大", level=Level.DISTRICT, term=16, period="闭会期间")
    assert s.display == "区十六届人大闭会期间"
    assert (
        Session(body="政协", level="全国", term=14, meeting=2).display == "全国政协十四届二次会议"
    )


def test_session_needs_meeting() -> None:
    with pytest.raises(ValidationError, match="第几次会议"):
        Session(body="人大", level="区", term=16)


@given(
    body=st.sampled_from(["人大", "政协"]),
    level=st.sampled_from(["省", "市", "区", "县"]),
    term=st.integers(1, 99),
    meeting=st.integers(1, 20),
)
def test_session_display_round_trip(body: str, level: str, term: int, meeting: int) -> None:
    from gongwen.text import cn_to_int

    s = Session.model_validate({"body": body, "level": level, "term": term, "meeting": meeting})
    text = s.short
    assert text.startswith(level) and text.endswith("次会议")
    t, m = text[len(level) :].removesuffix("次会议").split("届")
    assert (cn_to_int(t), cn_to_int(m)) == (term, meeting)
    assert Session.model_validate(s.model_dump()) == s


# ── DocNumber ─────────────────────────────────────────────────────────────


def test_doc_number_parse_and_format() -> None:
    d = DocNumber.parse("海经函〔2024〕15号")
    assert (d.code, d.year, d.serial) == ("海经函", 2024, 15)
    assert str(d) == "海经函〔2024〕15号"
    assert not d.normalised


@pytest.mark.parametrize("text", ["海经函[2024]15号", "海经函（2024）15号", "海经函【2024】15号"])
def test_doc_number_normalises_brackets_and_reports(text: str) -> None:
    d = DocNumber.parse(text)
    assert str(d) == "海经函〔2024〕15号"
    assert d.normalised and d.original == text


@pytest.mark.parametrize(
    "text", ["海经函〔24〕15号", "海经函〔2024〕015号", "海经函〔2024〕第15号", "海经函2024-15", ""]
)
def test_doc_number_rejects(text: str) -> None:
    with pytest.raises(ValidationError, match="机关代字〔年份〕序号号"):
        DocNumber.parse(text)


@given(
    code=st.text(alphabet="海经函信发办政A1", min_size=1, max_size=6),
    year=st.integers(1900, 2099),
    serial=st.integers(1, 99999),
)
def test_doc_number_round_trip(code: str, year: int, serial: int) -> None:
    d = DocNumber(code=code, year=year, serial=serial)
    assert DocNumber.parse(str(d)) == d


def test_doc_number_serialises_as_text() -> None:
    r = Reply.model_validate(reply_data())
    assert r.model_dump(mode="json")["doc_number"] == "海经函〔2024〕15号"
    assert Reply.model_validate(r.model_dump(mode="json")) == r


# ── Chinese errors naming the field ───────────────────────────────────────


def test_error_names_field_with_chinese_message() -> None:
    with pytest.raises(ValidationError) as ei:
        CaseRecord.model_validate({"case": case_data(), "reply": reply_data(doc_number="15号")})
    pairs = error_list(ei.value)
    assert pairs == [
        (
            "reply.doc_number",
            '发文字号格式应为"机关代字〔年份〕序号号"，如"海经函〔2024〕15号"，而不是"15号"',
        )
    ]


def test_builtin_errors_are_chinese() -> None:
    with pytest.raises(ValidationError) as ei:
        Case.model_validate(case_data(number=0, title="", proposers=[], assigned_date="2024-13-01"))
    msgs = dict(error_list(ei.value))
    assert msgs["number"] == "「案号」应不小于1"
    assert msgs["title"] == "「案由」过短（至少2个字符）"
    assert msgs["proposers"] == "「提案人」至少需要1项"
    assert msgs["assigned_date"] == '「交办日期」：无法识别的日期"2024-13-01"'
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in msgs.values())


def test_missing_and_unknown_fields() -> None:
    with pytest.raises(ValidationError) as ei:
        Reply.model_validate({"doc_number": "海经函〔2024〕1号", "body": "x", "colour": 1})
    msgs = dict(error_list(ei.value))
    assert msgs["date"] == "缺少必填项「成文日期」"
    assert "不认识的字段" in msgs["colour"]


def test_nested_path_in_year() -> None:
    bad = {"year": 2024, "cases": [{"case": case_data()}, {"case": case_data(number=-1)}]}
    with pytest.raises(ValidationError) as ei:
        HandlingYear.model_validate(bad)
    assert error_list(ei.value)[0][0] == "cases[1].case.number"


# ── Case ──────────────────────────────────────────────────────────────────


def test_case_derivations() -> None:
    c = Case.model_validate(case_data(proposers=[{"name": "张三"}, {"name": "李四"}]))
    assert c.label == "提案008"
    assert c.salutation() == "张三委员、李四委员："
    assert c.co_signed
    assert c.deadline() == date(2024, 6, 15)
    cfg = Config(time_limit_months={CaseKind.PROPOSAL: 5, CaseKind.SUGGESTION: 3})
    assert c.deadline(cfg) == date(2024, 8, 15)
    assert c.co_handler_deadline() == date(2024, 4, 15)


def test_case_suggestion_addresses_deputies_and_collectives() -> None:
    c = Case.model_validate(case_data(kind="建议", session=NPC, proposers=[{"name": "王五"}]))
    assert c.salutation() == "王五代表："
    col = Case.model_validate(
        case_data(proposers=[{"name": "民盟海曙区委员会", "type": "collective"}])
    )
    assert col.salutation() == "民盟海曙区委员会："


def test_case_kind_must_match_session_body() -> None:
    with pytest.raises(ValidationError, match="提案应属于政协会议"):
        Case.model_validate(case_data(session=NPC))


def test_assisting_case_needs_lead_unit() -> None:
    with pytest.raises(ValidationError, match="主办单位"):
        Case.model_validate(case_data(role="协办"))


def test_frozen() -> None:
    c = Case.model_validate(case_data())
    with pytest.raises(ValidationError):
        c.number = 9  # type: ignore[misc]


# ── Reply, Feedback, Organisation, Config ────────────────────────────────


def test_reply_disclosure_vocabulary() -> None:
    assert Reply.model_validate(reply_data(disclosure="依申请公开")).disclosure == "依申请公开"
    with pytest.raises(ValidationError, match="公开属性应为以下之一"):
        Reply.model_validate(reply_data(disclosure="公开"))


def test_feedback_rates_attitude_and_result_separately() -> None:
    f = Feedback(proposer="张三", attitude="满意", result="不满意", contact_method="走访")
    assert f.attitude is not None and f.result is not None
    assert f.attitude.value == "满意" and f.result.value == "不满意"
    with pytest.raises(ValidationError, match="办理结果评价"):
        Feedback(proposer="张三", result="很好")


def test_organisation_and_config_schemes() -> None:
    org = Organisation(name="宁波市海曙区经济发展局", reply_code="海经函")
    assert org.mark == "宁波市海曙区经济发展局"
    assert org.config.class_scheme.codes == ("A", "B", "C")
    cfg = Config.model_validate({"class_scheme": "四类"})
    assert cfg.class_scheme == FOUR_CLASSES and cfg.class_scheme.get("d") is not None
    assert Config.model_validate({"class_scheme": "甲乙丙"}).class_scheme == JIA_YI_BING
    with pytest.raises(ValidationError, match="未知的答复类别方案"):
        Config.model_validate({"class_scheme": "五类"})
    with pytest.raises(ValidationError, match="答复函机关代字"):
        Organisation(name="某局", reply_code="海经函〔〕")


def test_year_rejects_duplicate_numbers() -> None:
    with pytest.raises(ValidationError, match="案号重复"):
        HandlingYear.model_validate(
            {"year": 2024, "cases": [{"case": case_data()}, {"case": case_data()}]}
        )


def test_examples_load(example_year: HandlingYear, example_org: Organisation) -> None:
    cases = [r.case for r in example_year.cases]
    assert len(cases) >= 12
    assert {c.kind.value for c in cases} == {"建议", "提案"}
    assert {c.role.value for c in cases} == {"主办", "协办", "分办"}
    classes = {r.reply.result_class for r in example_year.cases if r.reply and r.reply.result_class}
    assert classes == set(example_org.config.class_scheme.codes)
    assert any(p.collective for c in cases for p in c.proposers)
    assert any(c.co_signed for c in cases)
    assert any(
        f.result and f.result.value == "不满意" for r in example_year.cases for f in r.feedback
    )
    assert any(
        r.reply and r.reply.date > r.case.effective_deadline(example_org.config)
        for r in example_year.cases
    )


def test_nested_errors_are_translated_once() -> None:
    with pytest.raises(ValidationError) as ei:
        CaseRecord.model_validate({"case": case_data(title="x")})
    assert error_list(ei.value) == [("case.title", "「案由」过短（至少2个字符）")]


@pytest.mark.parametrize(
    "text", ["2024年5月20日", "2024-05-20", "2024/5/20", "2024.5.20", "２０２４年５月２０日"]
)
def test_reply_date_accepts_the_forms_offices_write(text: str) -> None:
    from gongwen import Reply

    reply = Reply.model_validate(
        {"doc_number": "临经信函〔2024〕15号", "date": text, "body": "正文"}
    )
    assert reply.date == date(2024, 5, 20)


def test_an_impossible_date_is_refused_in_chinese() -> None:
    from pydantic import ValidationError

    from gongwen import Reply

    with pytest.raises(ValidationError) as info:
        Reply.model_validate(
            {"doc_number": "临经信函〔2024〕15号", "date": "2024年2月30日", "body": "x"}
        )
    assert "日期" in str(info.value)
