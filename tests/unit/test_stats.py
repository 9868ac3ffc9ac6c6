"""Statistics of a handling year and the 基本情况 sentences, against the seeds' figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from gongwen import HandlingYear, Organisation
from gongwen.models import (
    Case,
    CaseKind,
    CaseRecord,
    Config,
    ContactMethod,
    ContactRecord,
    Feedback,
    HandlingRole,
    Proposer,
    Rating,
    Reply,
    Session,
)
from gongwen.stats import compute_stats
from gongwen.summary import SummaryWording, summary_sentences
from gongwen.text.rates import Rate

ASSIGNED = date(2024, 3, 15)
CPPCC = Session(body="政协", level="区", term=3, meeting=1)
NPC = Session(body="人大", level="市", term=16, meeting=3)


def record(
    n: int,
    *,
    kind: CaseKind = CaseKind.PROPOSAL,
    role: HandlingRole = HandlingRole.LEAD,
    cls: str | None = "A",
    replied: bool = True,
    late: bool = False,
    contact: ContactMethod | None = ContactMethod.VISIT,
    rating: Rating | None = Rating.SATISFIED,
    attitude: Rating | None = Rating.SATISFIED,
    proposers: int = 1,
) -> CaseRecord:
    session = CPPCC if kind is CaseKind.PROPOSAL else NPC
    case = Case(
        kind=kind,
        number=n,
        title=f"关于第{n}项工作的{kind.value}",
        session=session,
        proposers=tuple(Proposer(name=f"人{n}-{i}") for i in range(proposers)),
        assigned_date=ASSIGNED,
        role=role,
        lead_unit="区发展和改革局" if role is HandlingRole.ASSIST else None,
    )
    reply = None
    feedback: tuple[Feedback, ...] = ()
    if replied:
        if role is HandlingRole.ASSIST:  # a co-handler's opinion is due within 1 month
            when = date(2024, 5, 20) if late else date(2024, 4, 10)
        else:
            when = date(2024, 7, 1) if late else date(2024, 5, 20)
        contacts = (
            () if contact is None else (ContactRecord(date=date(2024, 4, 20), method=contact),)
        )
        reply = Reply(
            doc_number=f"临经信函〔2024〕{n}号",
            result_class=cls if role is not HandlingRole.ASSIST else None,
            date=when,
            body="正文。",
            contacts=contacts,
        )
        if role is not HandlingRole.ASSIST and rating is not None:
            feedback = tuple(
                Feedback(
                    proposer=p.name,
                    attitude=attitude,
                    result=rating,
                    date=when + timedelta(days=10),
                )
                for p in case.proposers
            )
    return CaseRecord(case=case, reply=reply, feedback=feedback)


def org(**config: object) -> Organisation:
    return Organisation(
        name="东江市海曙区经济发展局",
        self_name="我局",
        reply_code="临经信函",
        config=Config(**config),
    )


def year(*recs: CaseRecord) -> HandlingYear:
    return HandlingYear(year=2024, cases=recs)


def test_seed_four_proposals_one_lead_all_visited() -> None:
    # seed 000: 共承办政协海曙区三届一次会议委员提案4件,其中主办1件,协办3件 …
    # 按时办结率和直接走访率达100%, 满意和基本满意率达100%
    y = year(record(8), *(record(n, role=HandlingRole.ASSIST) for n in (3, 5, 9)))
    o = org()
    stats = compute_stats(y, o.config)
    assert (stats.total, stats.lead, stats.assist) == (4, 1, 3)
    assert stats.on_time == Rate(4, 4) and stats.face_to_face == Rate(1, 1)
    wording = SummaryWording(
        handling_rates=("on_time", "face_to_face"), rate_names={"face_to_face": "直接走访率"}
    )
    text = "".join(summary_sentences(stats, o, wording))
    assert text.startswith(
        "2024年，我局共承办区政协三届一次会议委员提案4件，其中主办1件、协办3件。"
    )
    assert "按时办结率、直接走访率均达100%" in text
    assert "满意和基本满意率均达100%" in text or "满意和基本满意率达100%" in text


def test_seed_eleven_cases_by_class() -> None:
    # seed 000 (second report): 已解决7件，列入计划解决的3件，解释清楚的1件
    classes = ["A"] * 7 + ["B"] * 3 + ["C"]
    y = year(*(record(i + 1, cls=c) for i, c in enumerate(classes)))
    stats = compute_stats(y, org().config)
    assert [c.count for c in stats.by_class] == [7, 3, 1]
    assert stats.classed == 11
    text = "".join(summary_sentences(stats, org()))
    assert "已解决或采纳7件，列入计划解决3件，留作参考1件" in text


def test_seed_twenty_nine_suggestions() -> None:
    # seed 004: 承办市十六届人大三次会议人大代表建议共29件，其中主办9件、协办20件 …
    # 面商率、按时办复率、代表满意率的100%
    recs = [record(i, kind=CaseKind.SUGGESTION) for i in range(1, 10)]
    recs += [record(i, kind=CaseKind.SUGGESTION, role=HandlingRole.ASSIST) for i in range(10, 30)]
    stats = compute_stats(year(*recs), org().config)
    sentences = summary_sentences(stats, org())
    assert (
        sentences[0]
        == "2024年，我局共承办市十六届人大三次会议代表建议29件，其中主办9件、协办20件。"
    )
    assert stats.face_to_face == Rate(9, 9) and stats.result_satisfied == Rate(9, 9)
    assert "代表对办理态度和办理结果的满意率、满意和基本满意率均达100%" in "".join(sentences)


def test_ten_of_eleven_on_time_is_90_9() -> None:
    recs = [record(i) for i in range(1, 11)] + [record(11, late=True)]
    stats = compute_stats(year(*recs), org().config)
    assert stats.on_time == Rate(10, 11)
    assert stats.late == ("提案011",)
    text = "".join(summary_sentences(stats, org()))
    assert "按时办结率为90.9%" in text
    assert "沟通率、面商率均达100%" in text
    two = org(decimals=2)
    assert "按时办结率为90.91%" in "".join(
        summary_sentences(compute_stats(year(*recs), two.config), two)
    )


def test_shares_by_largest_remainder_two_decimals() -> None:
    classes = ["A"] * 4 + ["B"] * 7 + ["C"]
    y = year(*(record(i + 1, cls=c) for i, c in enumerate(classes)))
    stats = compute_stats(y, org(share_decimals=2).config)
    assert [c.share for c in stats.by_class] == [
        Decimal("33.33"),
        Decimal("58.34"),
        Decimal("8.33"),
    ]
    assert sum(c.share for c in stats.by_class) == 100
    assert [c.rate for c in stats.by_class] == [Rate(4, 12), Rate(7, 12), Rate(1, 12)]


def test_contact_and_face_to_face_over_lead_and_separate_cases() -> None:
    recs = [
        record(1, contact=ContactMethod.PHONE),
        record(2, role=HandlingRole.SEPARATE, contact=ContactMethod.MEETING),
        record(3, contact=None),
        record(4, role=HandlingRole.ASSIST, contact=None),
    ]
    stats = compute_stats(year(*recs), org().config)
    assert stats.answering == 3
    assert stats.contact == Rate(2, 3)
    assert stats.face_to_face == Rate(1, 3)


def test_satisfaction_denominator_is_configurable() -> None:
    recs = [record(1, proposers=2), record(2, rating=None), record(3, rating=Rating.BASICALLY)]
    returned = compute_stats(year(*recs), org().config)
    assert (returned.forms_sent, returned.forms_returned) == (4, 3)
    assert returned.feedback_return == Rate(3, 4)
    assert returned.result_satisfied == Rate(2, 3)
    assert returned.result_satisfied_or_basic == Rate(3, 3)
    per_form = compute_stats(year(*recs), org(satisfaction_denominator="sent").config)
    assert per_form.result_satisfied == Rate(2, 4)
    assert per_form.result_satisfied_or_basic == Rate(3, 4)
    # per case: 提案001 (both forms 满意) is satisfied, 提案002 returned none, 提案003 基本满意
    per_case = compute_stats(year(*recs), org(satisfaction_denominator="cases").config)
    assert per_case.result_satisfied == Rate(1, 3)
    assert per_case.result_satisfied_or_basic == Rate(2, 3)


def test_unreplied_case_not_yet_due_is_left_out_with_as_of() -> None:
    recs = [record(1), record(2, replied=False)]
    assert compute_stats(year(*recs), org().config).on_time == Rate(1, 2)
    early = compute_stats(year(*recs), org().config, as_of=date(2024, 5, 31))
    assert early.on_time == Rate(1, 1)
    assert early.replied == Rate(1, 2)
    text = "".join(summary_sentences(early, org()))
    assert "已办结1件，尚有1件正在办理" in text


def test_example_year(example_year: HandlingYear, example_org: Organisation) -> None:
    stats = compute_stats(example_year, example_org.config, own_unit=example_org.name)
    assert (stats.total, stats.lead, stats.assist, stats.separate, stats.key) == (12, 7, 3, 2, 2)
    assert [(k.kind, k.total, k.lead, k.assist, k.separate) for k in stats.by_kind] == [
        (CaseKind.SUGGESTION, 6, 4, 1, 1),
        (CaseKind.PROPOSAL, 6, 3, 2, 1),
    ]
    # 建议085 replied 2024-06-28, deadline 2024-06-15
    assert stats.on_time == Rate(11, 12) and stats.late == ("建议085",)
    assert stats.contact == Rate(9, 9)
    assert stats.face_to_face == Rate(7, 9)  # 提案031 and 建议096 by phone only
    # 建议096 was re-handled: its class is the re-handling reply's B
    assert [(c.code, c.count) for c in stats.by_class] == [("A", 4), ("B", 4), ("C", 1)]
    assert stats.feedback_return == Rate(13, 13)
    assert stats.attitude_satisfied == Rate(12, 13)
    assert stats.attitude_satisfied_or_basic == Rate(13, 13)
    assert stats.result_satisfied == Rate(7, 13)
    assert stats.result_satisfied_or_basic == Rate(12, 13)
    assert stats.by_category[0] == ("园区建设", 4)
    assert ("区商务局", 3) in stats.by_unit
    assert all(unit != example_org.name for unit, _ in stats.by_unit)
    text = "".join(summary_sentences(stats, example_org))
    assert (
        "共承办代表建议和委员提案12件，其中区十六届人大三次会议代表建议6件、区政协十二届三次会议委员提案6件"
        in text
    )
    assert "主办7件、协办3件、分办2件，重点建议1件、重点提案1件" in text
    assert "按时办结率为91.7%，沟通率达100%，面商率为77.8%" in text
    assert "对办理结果的满意率为53.8%，满意和基本满意率为92.3%" in text


@pytest.mark.parametrize(
    ("label", "short"),
    [
        ("正在解决或列入计划拟解决", "列入计划解决"),
        ("因条件限制暂不能解决，留作参考", "留作参考"),
        ("某种新类别，暂缓", "暂缓"),
    ],
)
def test_class_short_labels(label: str, short: str) -> None:
    assert SummaryWording().short_label("X", label) == short
    assert SummaryWording(class_short={"X": "自定"}).short_label("X", label) == "自定"


def test_empty_year() -> None:
    stats = compute_stats(year(), org().config)
    assert stats.total == 0 and stats.on_time == Rate(0, 0)
    assert summary_sentences(stats, org()) == ["2024年，我局未承办建议提案。"]
