"""Case, reply and feedback rules (GW1xx–GW4xx): each rule passes on a record where it applies
and fails on a record changed to break it. Records are built from the example data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from gongwen.checks import Finding, Severity, check_record, check_year_cases, rules_table
from gongwen.models import CaseRecord, Organisation
from tests.conftest import TODAY, load_example_org, load_example_year, record_by_label

YEAR = load_example_year()
ORG = load_example_org()


def rec(label: str) -> CaseRecord:
    """The example record with this label, e.g. ``提案008``."""
    return record_by_label(YEAR, label)


def edit(record: CaseRecord, **sections: Any) -> CaseRecord:
    """Re-validate ``record`` with fields replaced: ``edit(r, reply={"result_class": None})``.

    A dict merges into that section; anything else (a list, None) replaces it.
    """
    data = record.model_dump()
    for key, value in sections.items():
        if isinstance(value, dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return CaseRecord.model_validate(data)


def fb(record: CaseRecord, index: int, **changes: Any) -> list[dict[str, Any]]:
    """The record's feedback list (as data) with one form changed."""
    forms = [f.model_dump() for f in record.feedback]
    forms[index] = {**forms[index], **changes}
    return forms


def tracking(record: CaseRecord, when: date) -> dict[str, Any]:
    """A 跟踪答复 follow-up (as data) of ``record``'s reply, dated ``when``."""
    assert record.reply is not None
    reply = record.reply.model_dump()
    reply.update(
        doc_number="临经信函〔2024〕40号",
        date=when,
        result_class="A",
        previous=str(record.reply.doc_number),
        contacts=[{"date": when, "method": "电话"}],
    )
    return {"kind": "跟踪答复", "reply": reply}


def again(record: CaseRecord, when: date) -> CaseRecord:
    """``record`` with its re-handling reply (dated ``when``) and 重新办理 forms moved from the
    ``rehandling`` slot into a 重新办理 follow-up."""
    assert record.rehandling is not None
    reply = {**record.rehandling.model_dump(), "date": when}
    forms = [f.model_dump() for f in record.feedback]
    later = [f for f in forms if f["round"] == "重新办理"]
    first = [f for f in forms if f["round"] != "重新办理"]
    follow_up = {"kind": "重新办理", "reply": reply, "feedback": later}
    return edit(record, rehandling=None, feedback=first, follow_ups=[follow_up])


def body_replace(
    record: CaseRecord, old: str, new: str, section: str = "reply", count: int = 1
) -> CaseRecord:
    reply = getattr(record, section)
    assert old in reply.body
    return edit(record, **{section: {"body": reply.body.replace(old, new, count)}})


def org(**changes: Any) -> Organisation:
    return Organisation.model_validate({**ORG.model_dump(), **changes})


def org_config(**changes: Any) -> Organisation:
    data = ORG.model_dump()
    data["config"] = {**data["config"], **changes}
    return Organisation.model_validate(data)


def run(record: CaseRecord, o: Organisation = ORG, today: date = TODAY) -> list[Finding]:
    return check_record(record, o, today=today)


@dataclass(frozen=True)
class Case_:
    """One rule test: a record where the rule applies and passes, and one where it fails."""

    code: str
    good: Callable[[], CaseRecord]
    bad: Callable[[], CaseRecord]
    org: Callable[[], Organisation] = lambda: ORG
    good_org: Callable[[], Organisation] | None = None
    today: date = TODAY
    good_today: date | None = None
    path: str | None = None  # expected path of the failing finding
    message: str | None = None  # expected substring of its message


P8, P15, P23, P31, P42 = "提案008", "提案015", "提案023", "提案031", "提案042"
S72, S85, S96 = "建议072", "建议085", "建议096"
C = ORG.copy_to
EXTENDED = {
    "extended_to": date(2024, 7, 15),
    "extension_reason": "涉及审批流程调整，需会商多个部门",
}

CASES: list[Case_] = [
    # ── GW1xx numbers and marks ──
    Case_(
        "GW101",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"doc_number": "临经信函〔2023〕11号"}),
        path="reply.doc_number",
        message="年份2023",
    ),
    Case_(
        "GW102",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"doc_number": "临经信函[2024]11号"}),
        path="reply.doc_number",
        message="临经信函〔2024〕11号",
    ),
    Case_(
        "GW103",
        lambda: rec(P23),
        lambda: edit(rec(P23), reply={"doc_number": "临经信函〔2024〕3号"}),
        path="reply.doc_number",
        message="临经信协",
    ),
    Case_(
        "GW104",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"doc_number": "临经信协〔2024〕11号"}),
        path="reply.doc_number",
        message="临经信函",
    ),
    Case_(
        "GW105",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"result_class": None}),
        path="reply.result_class",
    ),
    Case_(
        "GW106",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"result_class": "D"}),
        path="reply.result_class",
        message="A、B、C",
    ),
    Case_(  # both vocabularies are accepted by default: GW107 applies to a configured one
        "GW107",
        lambda: rec(P42),
        lambda: edit(rec(P42), reply={"disclosure": "主动公开"}),
        org=lambda: org_config(disclosure_vocabulary=["全文公开", "摘要公开", "不予公开"]),
        path="reply.disclosure",
        message="全文公开、摘要公开、不予公开",
    ),
    Case_(
        "GW108",
        lambda: rec(P31),
        lambda: edit(rec(P31), reply={"disclosure_reason": None}),
        path="reply.disclosure_reason",
    ),
    Case_(
        "GW109",
        lambda: rec(P31),
        lambda: edit(rec(P31), reply={"disclosure": "全文公开"}),
        path="reply.disclosure",
    ),
    Case_(
        "GW110",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"doc_number": "临经信函〔2024〕16号"}),
        path="rehandling.doc_number",
    ),
    Case_(
        "GW111",
        lambda: rec(P8),
        lambda: rec(P8),
        good_org=lambda: org_config(categories=["工业经济", "营商环境"]),
        org=lambda: org_config(categories=["营商环境"]),
        path="case.category",
    ),
    # ── GW2xx dates ──
    Case_(
        "GW201",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"contacts": [{"date": date(2024, 3, 1), "method": "电话"}]}),
        path="reply.contacts[0].date",
        message="早于交办日期2024年3月15日",
    ),
    Case_(
        "GW202",
        lambda: rec(P8),
        lambda: edit(
            rec(P8),
            reply={
                "contacts": [
                    {"date": date(2024, 4, 10), "method": "走访"},
                    {"date": date(2024, 5, 25), "method": "电话"},
                ]
            },
        ),
        path="reply.contacts[1].date",
    ),
    Case_(
        "GW203",
        lambda: edit(rec(S85), case=EXTENDED),
        lambda: rec(S85),
        path="reply.date",
        message="答复日期2024年6月28日晚于办理期限2024年6月15日，逾期13天",
    ),
    Case_(
        "GW204",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"date": date(2024, 10, 8)}),
        path="rehandling.date",
        message="2024年9月24日",
    ),
    Case_(
        "GW205",
        lambda: rec(P8),
        lambda: rec(P8),
        good_today=date(2024, 5, 20),
        today=date(2024, 5, 19),
        path="reply.date",
        message="晚于今天2024年5月19日",
    ),
    Case_(
        "GW206",
        lambda: rec(P8),
        lambda: rec(P8),
        good_today=date(2024, 6, 3),
        today=date(2024, 6, 2),
        path="feedback[0].date",
    ),
    Case_(
        "GW207",
        lambda: edit(rec(S85), case=EXTENDED),
        lambda: edit(rec(S85), case={**EXTENDED, "extended_to": date(2024, 10, 1)}),
        path="case.extended_to",
        message="2024年9月15日",
    ),
    Case_(
        "GW208",
        lambda: edit(rec(S85), case=EXTENDED),
        lambda: edit(rec(S85), case={**EXTENDED, "extension_reason": None}),
        path="case.extension_reason",
    ),
    Case_(
        "GW209",
        lambda: edit(rec(S85), case=EXTENDED),
        lambda: edit(rec(S85), case={**EXTENDED, "extended_to": date(2024, 6, 15)}),
        path="case.extended_to",
    ),
    Case_(
        "GW210",
        lambda: rec(P23),
        lambda: edit(rec(P23), reply={"date": date(2024, 4, 20)}),
        path="reply.date",
        message="协办期限2024年4月15日，逾期5天",
    ),
    Case_(
        "GW211",
        lambda: rec(P8),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 1, date=date(2024, 5, 10))),
        path="feedback[1].date",
    ),
    Case_(
        "GW212",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"date": date(2024, 6, 10)}),
        path="rehandling.date",
    ),
    Case_(
        "GW213",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"date": date(2024, 6, 20)}),
        path="rehandling.date",
        message="黄伟",
    ),
    # the extension notice (延期办理告知函): 建议085 was due 2024-06-15, extended to 2024-07-15
    Case_(
        "GW290",
        lambda: edit(rec(S85), case={**EXTENDED, "extension_notice": {"date": date(2024, 6, 15)}}),
        lambda: edit(rec(S85), case={**EXTENDED, "extension_notice": {"date": date(2024, 6, 20)}}),
        path="case.extension_notice.date",
        message="晚于原办理期限2024年6月15日（逾期5天）",
    ),
    Case_(
        "GW291",
        lambda: edit(rec(S85), case={**EXTENDED, "extension_notice": {"date": date(2024, 7, 14)}}),
        lambda: edit(rec(S85), case={**EXTENDED, "extension_notice": {"date": date(2024, 7, 15)}}),
        path="case.extension_notice.date",
        message="不早于延期后的期限2024年7月15日",
    ),
    Case_(  # no notice recorded: a warning only once the original deadline has passed
        "GW292",
        lambda: edit(rec(S85), case=EXTENDED),
        lambda: edit(rec(S85), case=EXTENDED),
        good_today=date(2024, 6, 15),
        today=date(2024, 6, 16),
        path="case.extension_notice",
        message="原办理期限2024年6月15日已过",
    ),
    # ── GW3xx text ──
    Case_(
        "GW301",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "37家", "XX家"),
        path="reply.body",
        message="第4段有未替换的占位符：XX",
    ),
    Case_(
        "GW302",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "收悉。经认真研究，", "收悉,经认真研究,"),
        path="reply.body",
        message="第1段使用了半角标点“,”",
    ),
    Case_(
        "GW303",
        lambda: rec(P8),
        lambda: body_replace(
            rec(P8), "《临湖区中小企业数字化改造专项资金管理办法》", "《临湖区办法"
        ),
        path="reply.body",
        message="书名号不成对",
    ),
    Case_(
        "GW304",
        lambda: rec(P23),
        lambda: edit(rec(P23), reply={"title": "关于区政协十二届三次会议第23号提案的协办意见。"}),
        path="reply.title",
    ),
    Case_(
        "GW305",
        lambda: rec(P23),
        lambda: edit(rec(P23), reply={"title": "关于区政协十二届三次会议第24号提案的协办意见"}),
        path="reply.title",
        message="第24号",
    ),
    Case_(
        "GW306",
        lambda: rec(P23),
        lambda: edit(rec(P23), reply={"title": "关于区政协十二届三次会议第23号提案的答复"}),
        path="reply.title",
        message="协办意见",
    ),
    Case_(
        "GW307",
        lambda: edit(rec(P15), reply={"salutation": "民建临湖区基层委员会："}),
        lambda: edit(rec(P15), reply={"salutation": "民建临湖区基层委员会:"}),
        path="reply.salutation",
        message="民建临湖区基层委员会：",
    ),
    Case_(
        "GW308",
        lambda: edit(rec(P8), reply={"salutation": "尊敬的张建国委员、李明华委员、赵丽委员："}),
        lambda: edit(rec(P8), reply={"salutation": "张建国代表、李明华委员、赵丽委员："}),
        path="reply.salutation",
        message="“张建国代表”应称“张建国委员”",
    ),
    Case_(
        "GW309",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "三、关于加强", "四、关于加强"),
        path="reply.body",
        message="“三、”",
    ),
    Case_(
        "GW310",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "2024年4月30日", "2024-4-30"),
        path="reply.body",
        message="2024-4-30",
    ),
    Case_(
        "GW311",
        lambda: edit(rec(P8), reply={"contact_phone": "0574-87654321转8001、13805740001"}),
        lambda: edit(rec(P8), reply={"contact_phone": "87654321"}),
        path="reply.contact_phone",
    ),
    Case_(
        "GW312",
        lambda: rec(P8),
        lambda: body_replace(
            rec(P8),
            "你们提出的《关于加大中小企业数字化转型扶持力度的提案》（第8号）收悉。",
            "您的提案收悉。",
        ),
        path="reply.body",
        message="第1段",
    ),
    Case_(
        "GW313",
        lambda: rec(P23),
        lambda: body_replace(rec(P23), "第23号提案", "第32号提案"),
        path="reply.body",
        message="第32号",
    ),
    Case_(
        "GW314",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "数字化转型扶持力度", "数字化转型力度"),
        path="reply.body",
        message="《关于加大中小企业数字化转型力度的提案》",
    ),
    Case_(
        "GW315",
        lambda: rec(P8),
        lambda: rec(P8),
        good_org=lambda: ORG,
        org=lambda: org(contact_phone=None),
        path="reply.contact_phone",
    ),
    Case_(
        "GW316",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"copy_to": [*C[:2], "区政府办公室。"]}),
        path="reply.copy_to[2]",
    ),
    Case_(
        "GW317",
        lambda: rec(P8),
        lambda: edit(rec(P8), case={"title": "关于加大中小企业数字化转型扶持力度的提案。"}),
        path="case.title",
        message="应为“关于加大中小企业数字化转型扶持力度的提案”",
    ),
    Case_(
        "GW318",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "你们提出的", "您提出的"),
        path="reply.body",
        message="正文宜称“你们”",
    ),
    # ── GW4xx handling ──
    Case_(
        "GW401",
        lambda: rec(P8),
        lambda: edit(rec(P8), reply={"contacts": [{"date": date(2024, 5, 21), "method": "走访"}]}),
        path="reply.contacts",
    ),
    Case_(
        "GW402",
        lambda: edit(rec(P31), reply={"class_reason": None}),
        lambda: edit(
            rec(S96),
            reply={
                "class_reason": None,
                "body": "您提出的《关于加快工业园区污水管网配套建设的建议》（第96号）收悉。"
                "您的建议我们将留作参考。",
            },
        ),
        path="reply.class_reason",
        message="C类",
    ),
    Case_(
        "GW403",
        lambda: rec(P8),
        lambda: body_replace(rec(P8), "区商务局", "有关部门", count=-1),
        path="reply.body",
        message="区商务局",
    ),
    Case_(
        "GW404",
        lambda: rec(S72),
        lambda: edit(rec(S72), reply={"co_opinions": []}),
        path="reply.co_opinions",
        message="区人力资源和社会保障局",
    ),
    Case_(
        "GW405",
        lambda: rec(P8),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 0)[:2]),
        path="feedback",
        message="赵丽",
    ),
    Case_(
        "GW406",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling=None),
        path="feedback[0].result",
        message="黄伟",
    ),
    Case_(
        "GW407",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"previous": None}),
        path="rehandling.previous",
    ),
    Case_(
        "GW408",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"previous": "临经信函〔2024〕15号"}),
        path="rehandling.previous",
    ),
    Case_(
        "GW409",
        lambda: rec(S96),
        lambda: edit(rec(S96), rehandling={"round": "初次办理"}),
        path="rehandling.round",
    ),
    Case_(
        "GW410",
        lambda: rec(P8),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 2, proposer="赵力")),
        path="feedback[2].proposer",
        message="赵力",
    ),
    Case_(
        "GW411",
        lambda: rec(P8),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 2, proposer="张建国")),
        path="feedback[2]",
        message="张建国",
    ),
    Case_(
        "GW412",
        lambda: rec(S96),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 0, round="重新办理", date=date(2024, 9, 1))),
        path="feedback[0].round",
    ),
    Case_(
        "GW413",
        lambda: rec(P8),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 0, contact_method="未联系")),
        path="feedback[0].contact_method",
    ),
    Case_(
        "GW414",
        lambda: edit(rec(P8), reply=None, feedback=[]),
        lambda: edit(rec(P8), reply=None, feedback=[]),
        good_today=date(2024, 6, 15),
        today=date(2024, 6, 20),
        path="reply",
        message="逾期5天",
    ),
    Case_(
        "GW415",
        lambda: rec(P8),
        lambda: edit(rec(P8), case={"lead_unit": "区发展和改革局"}),
        path="case.lead_unit",
    ),
    Case_(
        "GW416",
        lambda: rec(P15),
        lambda: edit(
            rec(P15),
            reply={
                "body": "贵委员会提出的《关于优化营商环境助力民营经济发展的提案》（第15号）收悉。"
                "经认真研究，现答复如下：\n\n我局高度重视，正在研究相关措施。"
            },
        ),
        path="reply.body",
        message="B类",
    ),
    # ── model extensions (issue 14): rating scale, upload date, follow-up replies ──
    Case_(
        "GW417",
        lambda: rec(P8),
        lambda: edit(rec(P8), feedback=fb(rec(P8), 0, result="同意")),
        path="feedback[0].result",
        message="满意、基本满意、不满意",
    ),
    Case_(
        "GW418",
        lambda: edit(rec(P8), reply={"uploaded_on": date(2024, 5, 22)}),
        lambda: edit(rec(P8), reply={"uploaded_on": date(2024, 5, 19)}),
        path="reply.uploaded_on",
        message="2024年5月19日",
    ),
    Case_(
        "GW419",
        lambda: edit(rec(P15), follow_ups=[tracking(rec(P15), date(2024, 11, 5))]),
        lambda: edit(rec(P15), follow_ups=[tracking(rec(P15), date(2024, 6, 3))]),
        path="follow_ups[0].reply.date",
        message="应晚于首次答复日期2024年6月3日",
    ),
    Case_(  # the 重新办理 reply of 2024-08-20, its form of 2024-09-02
        "GW421",
        lambda: again(rec(S96), date(2024, 8, 20)),
        lambda: again(rec(S96), date(2024, 9, 5)),
        path="follow_ups[0].feedback[0].date",
        message="2024年9月2日早于该次重新办理日期2024年9月5日",
    ),
]


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


@pytest.mark.parametrize("t", CASES, ids=[t.code for t in CASES])
def test_rule_passes_where_it_applies(t: Case_) -> None:
    findings = run(t.good(), (t.good_org or t.org)(), t.good_today or t.today)
    assert t.code not in _codes(findings), [str(f) for f in findings if f.code == t.code]


@pytest.mark.parametrize("t", CASES, ids=[t.code for t in CASES])
def test_rule_fails_on_broken_record(t: Case_) -> None:
    findings = [f for f in run(t.bad(), t.org(), t.today) if f.code == t.code]
    assert findings, f"{t.code} did not fire"
    f = findings[0]
    if t.path:
        assert f.path == t.path, str(f)
    if t.message:
        assert t.message in f.message, str(f)
    assert f.case == t.bad().case.label


def test_every_case_rule_is_tested_and_there_are_enough() -> None:
    mine = [r.code for r in rules_table() if r.code[:3] in ("GW1", "GW2", "GW3", "GW4")]
    assert len(mine) >= 25
    assert sorted(mine) == sorted(t.code for t in CASES)


def test_example_year_has_no_errors_and_only_the_late_suggestion() -> None:
    findings = check_year_cases(YEAR, ORG, today=TODAY)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    assert [(f.case, f.code) for f in findings] == [("建议085", "GW203")]
    assert findings[0].severity is Severity.WARNING


# ── details of single rules ──


def test_gw102_fix_is_the_normalised_number_also_for_previous() -> None:
    bad = edit(rec(S96), rehandling={"previous": "临经信函【2024】16号"})
    f = next(f for f in run(bad) if f.code == "GW102")
    assert (f.path, f.fix) == ("rehandling.previous", "临经信函〔2024〕16号")
    assert "临经信函【2024】16号" in f.message


def test_gw104_opinion_without_separate_series_may_use_reply_code() -> None:
    plain = org(opinion_code=None)
    good = edit(rec(P23), reply={"doc_number": "临经信函〔2024〕3号"})
    assert not {"GW103", "GW104"} & _codes(run(good, plain))
    foreign = edit(rec(P23), reply={"doc_number": "区发改函〔2024〕3号"})
    assert "GW104" in _codes(run(foreign, plain))


def test_gw105_co_handler_opinion_needs_no_class() -> None:
    opinion = rec(P23).reply
    assert opinion is not None and opinion.result_class is None
    assert "GW105" not in _codes(run(rec(P23)))
    bad = edit(rec(S96), rehandling={"result_class": None})
    assert [f.path for f in run(bad) if f.code == "GW105"] == ["rehandling.result_class"]


def test_gw106_four_class_scheme_accepts_d() -> None:
    four = org_config(class_scheme="四类")
    assert "GW106" not in _codes(run(edit(rec(P8), reply={"result_class": "D"}), four))


def test_gw107_document_vocabulary_configured() -> None:
    vocab = org_config(disclosure_vocabulary=["主动公开", "依申请公开", "不予公开"])
    assert "GW107" not in _codes(run(edit(rec(P8), reply={"disclosure": "主动公开"}), vocab))
    assert "GW107" in _codes(run(rec(P8), vocab))


def test_gw109_active_publication_also_counts() -> None:
    vocab = org_config(disclosure_vocabulary=["主动公开", "依申请公开", "不予公开"])
    bad = edit(rec(P31), reply={"disclosure": "主动公开"})
    assert "GW109" in _codes(run(bad, vocab))
    assert "GW109" not in _codes(run(edit(rec(P8), reply={"disclosure": "主动公开"}), vocab))


def test_gw203_extended_deadline_message() -> None:
    late = edit(rec(S85), case={**EXTENDED, "extended_to": date(2024, 6, 20)})
    f = next(f for f in run(late) if f.code == "GW203")
    assert f.message == "答复日期2024年6月28日晚于延期后的办理期限2024年6月20日，逾期8天"


def test_gw203_time_limit_from_config_and_case() -> None:
    five = org_config(time_limit_months={"建议": 5, "提案": 5})
    assert "GW203" not in _codes(run(rec(S85), five))
    assert "GW203" not in _codes(run(edit(rec(S85), case={"time_limit_months": 4})))


def test_gw210_co_opinion_in_lead_reply() -> None:
    bad = edit(
        rec(P8),
        reply={
            "co_opinions": [
                {
                    "unit": "区商务局",
                    "summary": "将电子商务应用纳入补助范围",
                    "date": date(2024, 4, 20),
                }
            ]
        },
    )
    f = next(f for f in run(bad) if f.code == "GW210")
    assert f.path == "reply.co_opinions[0].date"
    assert "区商务局" in f.message


def test_gw302_fix_is_full_width_paragraph() -> None:
    bad = body_replace(rec(P8), "收悉。经认真研究，", "收悉,经认真研究,")
    f = next(f for f in run(bad) if f.code == "GW302")
    assert f.fix is not None and f.fix.startswith(
        "你们提出的《关于加大中小企业数字化转型扶持力度的提案》"
    )
    assert "收悉，经认真研究，" in f.fix


def test_gw302_case_title_and_urls() -> None:
    bad = edit(rec(P8), case={"title": "关于加大中小企业数字化转型扶持力度的提案(修改稿)"})
    f = next(f for f in run(bad) if f.code == "GW302" and f.path == "case.title")
    assert f.fix == "关于加大中小企业数字化转型扶持力度的提案（修改稿）"
    url = body_replace(
        rec(P8), "已有37家企业提交申请。", "已有37家企业提交申请，详见https://a.gov.cn/x?a=1,2。"
    )
    assert "GW302" not in _codes(run(url))


def test_gw301_placeholders_in_salutation_closing_and_phone() -> None:
    bad = edit(rec(P8), reply={"salutation": "某某委员：", "closing": "感谢您对××工作的支持。"})
    paths = {f.path for f in run(bad) if f.code == "GW301"}
    assert {"reply.salutation", "reply.closing"} <= paths
    assert "GW301" in _codes(run(rec(P8), org(contact_person="XXX")))


def test_gw305_kind_and_session_mismatch() -> None:
    kind = edit(rec(P23), reply={"title": "关于区政协十二届三次会议第23号建议的协办意见"})
    assert any("标题却写作“第23号建议”" in f.message for f in run(kind) if f.code == "GW305")
    session = edit(rec(P23), reply={"title": "关于区政协十二届二次会议第23号提案的协办意见"})
    assert any("届次" in f.message for f in run(session) if f.code == "GW305")
    formal = edit(
        rec(P23), reply={"title": "关于政协临湖区第十二届委员会第三次会议第23号提案的协办意见"}
    )
    assert "GW305" not in _codes(run(formal))


def test_gw307_double_colon_and_fix() -> None:
    bad = edit(rec(P8), reply={"salutation": "张建国委员、李明华委员、赵丽委员：："})
    f = next(f for f in run(bad) if f.code == "GW307")
    assert f.fix == "张建国委员、李明华委员、赵丽委员："


def test_gw308_missing_proposer_and_collective() -> None:
    missing = edit(rec(P8), reply={"salutation": "张建国委员、李明华委员："})
    assert any("赵丽委员" in f.message for f in run(missing) if f.code == "GW308")
    coll = edit(rec(P15), reply={"salutation": "周文委员："})
    assert any("集体提案人" in f.message for f in run(coll) if f.code == "GW308")
    deputy = edit(rec(S72), reply={"salutation": "陈志强委员："})
    assert any("应称“陈志强代表”" in f.message for f in run(deputy) if f.code == "GW308")


def test_gw309_message_names_paragraph() -> None:
    bad = body_replace(rec(P8), "（二）开展", "（三）开展")
    f = next(f for f in run(bad) if f.code == "GW309")
    assert f.message.startswith("答复正文第7段：")


def test_gw310_fix_and_zero_padding() -> None:
    bad = body_replace(rec(P8), "2024年4月30日", "2024年04月30日")
    f = next(f for f in run(bad) if f.code == "GW310")
    assert f.fix is not None and "截至2024年4月30日" in f.fix
    assert "“2024年04月30日”应写作“2024年4月30日”" in f.message
    impossible = body_replace(rec(P8), "2024年4月30日", "2024年2月30日")
    f = next(f for f in run(impossible) if f.code == "GW310")
    assert "不是有效日期" in f.message and f.fix is None


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("0574-87654321", True),
        ("010-12345678", True),
        ("13805740001", True),
        ("12345", True),
        ("0574-87654321-8001", True),
        ("057487654321", False),
        ("1380574000", False),
        ("0574—87654321", False),
    ],
)
def test_gw311_phone_formats(phone: str, ok: bool) -> None:
    record = edit(rec(P8), reply={"contact_phone": phone})
    assert ("GW311" not in _codes(run(record))) is ok


def test_gw401_no_contact_method_does_not_count() -> None:
    bad = edit(rec(P8), reply={"contacts": [{"date": date(2024, 4, 10), "method": "未联系"}]})
    assert "GW401" in _codes(run(bad))
    assert "GW401" not in _codes(run(edit(rec(P23), reply={"contacts": []})))
    rehandled = edit(rec(S96), rehandling={"contacts": []})
    assert [f.path for f in run(rehandled) if f.code == "GW401"] == ["rehandling.contacts"]


def test_gw402_body_reason_is_enough() -> None:
    assert "GW402" not in _codes(run(edit(rec(S96), reply={"class_reason": None})))


def test_gw406_rehandling_reply_in_reply_slot_counts() -> None:
    r = rec(S96)
    assert r.rehandling is not None
    alone = edit(r, reply=r.rehandling.model_dump(), rehandling=None)
    assert "GW406" not in _codes(run(alone))
    assert "GW203" not in _codes(run(alone))  # a re-handling reply is not late against 3 months


def test_gw407_fix_links_first_reply() -> None:
    bad = edit(rec(S96), rehandling={"previous": None})
    f = next(f for f in run(bad) if f.code == "GW407")
    assert f.fix == "临经信函〔2024〕16号"


def test_gw414_co_handler_deadline() -> None:
    r = edit(rec(P23), reply=None)
    assert "GW414" not in _codes(run(r, today=date(2024, 4, 15)))
    f = next(f for f in run(r, today=date(2024, 4, 16)) if f.code == "GW414")
    assert "协办期限2024年4月15日" in f.message


def test_gw415_co_handler_naming_itself_lead() -> None:
    bad = edit(rec(P23), case={"lead_unit": ORG.name})
    assert "GW415" in _codes(run(bad))


def test_findings_of_record_without_reply() -> None:
    bare = edit(rec(P8), reply=None, feedback=[])
    assert not [f for f in run(bare, today=date(2024, 4, 1))]


def test_organisation_fields_reported_once_for_two_letters() -> None:
    bad_org = org(contact_phone="87654321", copy_to=["区政府办公室。"], contact_person="XX")
    findings = run(rec(S96), bad_org)
    for code in ("GW301", "GW311", "GW316"):
        assert len([f for f in findings if f.code == code]) == 1, code
    assert {f.path for f in findings if f.code in ("GW301", "GW311", "GW316")} == {
        "organisation.contact_person",
        "organisation.contact_phone",
        "organisation.copy_to[0]",
    }


# ── issue #14: text rules, should-trigger and should-not-trigger ──
P8_OPENING = "你们提出的《关于加大中小企业数字化转型扶持力度的提案》（第8号）收悉。"


def test_gw313_document_number_in_opening_is_not_a_case_number() -> None:
    ok = body_replace(
        rec(P8), "经认真研究，", "经认真研究，根据《东江市企业服务办法》（市政府令第9号），"
    )
    assert "GW313" not in _codes(run(ok))
    bad = body_replace(rec(P8), "（第8号）", "（第9号）")
    assert "GW313" in _codes(run(bad))


def test_gw302_url_ending_in_parenthesis() -> None:
    ok = body_replace(
        rec(P8),
        "已有37家企业提交申请。",
        "已有37家企业提交申请，详见https://a.gov.cn/info_(2024)。",
    )
    assert "GW302" not in _codes(run(ok))
    bad = body_replace(
        rec(P8), "已有37家企业提交申请。", "已有37家企业提交申请(详见https://a.gov.cn/x)。"
    )
    f = next(f for f in run(bad) if f.code == "GW302")
    assert f.fix is not None and "（详见https://a.gov.cn/x）" in f.fix


def test_gw403_short_unit_name_and_bare_mention() -> None:
    short = body_replace(rec(P8), "区商务局将电子商务", "商务局将电子商务")
    assert "GW403" not in _codes(run(short))
    bare = body_replace(
        rec(P8), "区商务局将电子商务应用纳入中小企业数字化改造补助范围，进一步扩大政策覆盖面。", ""
    )
    msgs = [f.message for f in run(bare) if f.code == "GW403"]
    assert msgs and "未写明其意见" in msgs[0] and "区商务局" in msgs[0]


def test_gw312_title_without_book_marks() -> None:
    plain = "你们提出的关于加大中小企业数字化转型扶持力度的提案收悉。"
    ok = body_replace(rec(P8), P8_OPENING, plain)
    assert "GW312" not in _codes(run(ok))
    assert "GW312" in _codes(run(body_replace(rec(P8), P8_OPENING, "您的提案收悉。")))


def test_gw402_unrelated_reason_word_does_not_count() -> None:
    head = "您提出的《关于加快工业园区污水管网配套建设的建议》（第96号）收悉。"
    unrelated = edit(
        rec(S96),
        reply={
            "class_reason": None,
            "body": head + "由于您的关心，我们加快了调研。该建议留作参考。",
        },
    )
    assert "GW402" in _codes(run(unrelated))
    related = edit(
        rec(S96),
        reply={"class_reason": None, "body": head + "由于用地指标不足，该管网暂无法实施。"},
    )
    assert "GW402" not in _codes(run(related))


def test_gw416_follow_up_stated_for_planned_class() -> None:
    assert "GW416" not in _codes(run(rec(S85)))
    assert "GW416" not in _codes(run(rec(P8)))  # class A needs no follow-up
