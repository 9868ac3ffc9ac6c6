"""Issue #14: each measured defect of the annual report, with its hand-computed figure.

Every test builds a small year, counts by hand in the comment, and checks the statistics (and,
where the defect was in the wording, the sentence the report prints).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gongwen import CheckFailed, HandlingYear, Organisation
from gongwen.api import render_annual_report
from gongwen.checks import check_year_all
from gongwen.documents.report import report_context
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
    Round,
    Session,
)
from gongwen.stats import compute_stats
from gongwen.summary import summary_sentences
from gongwen.text.rates import Rate

CPPCC = Session(body="政协", level="区", term=3, meeting=1, region="海曙区")
NPC = Session(body="人大", level="市", term=16, meeting=3)
ASSIGNED = date(2024, 3, 15)  # limit 2024-06-15; co-handler limit 2024-04-15


def case_record(
    n: int,
    *,
    kind: CaseKind = CaseKind.PROPOSAL,
    role: HandlingRole = HandlingRole.LEAD,
    assigned: date = ASSIGNED,
    reply_on: date | None = date(2024, 4, 10),
    contact: ContactMethod | None = ContactMethod.VISIT,
    results: tuple[Rating | None, ...] = (Rating.SATISFIED,),
    cls: str = "A",
    again: Rating | None = None,
) -> CaseRecord:
    """One case; ``results`` gives one first-round form per proposer (None: not returned)."""
    case = Case(
        kind=kind,
        number=n,
        title=f"关于第{n}项工作的{kind.value}",
        session=CPPCC if kind is CaseKind.PROPOSAL else NPC,
        proposers=tuple(Proposer(name=f"人{n}-{i}") for i in range(len(results))),
        assigned_date=assigned,
        role=role,
        lead_unit="区发展和改革局" if role is HandlingRole.ASSIST else None,
    )
    if reply_on is None:
        return CaseRecord(case=case)
    contacts = (
        ()
        if contact is None
        else (ContactRecord(date=reply_on - timedelta(days=5), method=contact),)
    )
    reply = Reply(
        doc_number=f"海经函〔2024〕{n}号",
        result_class=None if role is HandlingRole.ASSIST else cls,
        date=reply_on,
        body="正文。",
        contacts=contacts,
    )
    if role is HandlingRole.ASSIST:
        return CaseRecord(case=case, reply=reply)
    forms = [
        Feedback(proposer=p.name, attitude=Rating.SATISFIED, result=r, date=reply_on)
        for p, r in zip(case.proposers, results, strict=True)
        if r is not None
    ]
    rehandling = None
    if again is not None:
        rehandling = reply.model_copy(
            update={"date": reply_on + timedelta(days=40), "round": Round.AGAIN}
        )
        forms += [
            Feedback(
                proposer=p.name,
                attitude=Rating.SATISFIED,
                result=again,
                date=reply_on + timedelta(days=45),
                round=Round.AGAIN,
            )
            for p in case.proposers
        ]
    return CaseRecord(case=case, reply=reply, feedback=tuple(forms), rehandling=rehandling)


def org(**config: object) -> Organisation:
    return Organisation(
        name="宁波市海曙区经济发展局",
        self_name="我局",
        reply_code="海经函",
        config=Config.model_validate(config),
    )


def year(*recs: CaseRecord, y: int = 2024) -> HandlingYear:
    return HandlingYear(year=y, cases=recs)


def text_of(stats_year: HandlingYear, o: Organisation, as_of: date | None = None) -> str:
    stats = compute_stats(stats_year, o.config, as_of=as_of, own_unit=o.name)
    return "".join(summary_sentences(stats, o))


# ── 按时办结率 ──────────────────────────────────────────────────────────────────────────
def test_co_handler_opinion_after_its_one_month_limit_is_late() -> None:
    # 提案001 lead on time; 提案002 lead replied 2024-07-01 (limit 06-15): late;
    # 提案003 co-handler opinion 04-10 (limit 04-15): on time;
    # 提案004 co-handler opinion 05-20 = 35 days after 04-15: late.  Hand count 2/4 = 50 %.
    y = year(
        case_record(1),
        case_record(2, reply_on=date(2024, 7, 1)),
        case_record(3, role=HandlingRole.ASSIST),
        case_record(4, role=HandlingRole.ASSIST, reply_on=date(2024, 5, 20)),
    )
    o = org()
    stats = compute_stats(y, o.config)
    assert stats.on_time == Rate(2, 4)  # was 3/4 = 75 %
    assert stats.on_time.format(1) == "50%"
    assert stats.late == ("提案002", "提案004")
    # `gongwen check` flags the same case
    late = [f for f in check_year_all(y, o, today=date(2024, 12, 1)) if f.code == "GW210"]
    assert [f.case for f in late] == ["提案004"]


def test_case_not_yet_due_on_the_report_date_is_left_out() -> None:
    # 提案001 assigned 2026-03-15, replied on time; 提案002 assigned 2026-11-01, no reply,
    # limit 2027-02-01. Report dated 2026-12-01: hand count 1/1 = 100 % (was 1/2 = 50 %).
    y = year(
        case_record(1, assigned=date(2026, 3, 15), reply_on=date(2026, 4, 10)),
        case_record(2, assigned=date(2026, 11, 1), reply_on=None),
        y=2026,
    )
    o = org()
    context = report_context(y, o, report_date=date(2026, 12, 1))
    on_time = next(r for r in context["rate_rows"] if r["name"] == "按时办结率")
    assert (on_time["num"], on_time["den"], on_time["value"]) == (1, 1, "100%")
    # the year rules compare the narrative with the same figures
    findings = check_year_all(
        y, o, "按时办结率达100%。", today=date(2026, 12, 1), as_of=date(2026, 12, 1)
    )
    assert "GW503" not in {f.code for f in findings}
    # without a date every case is due
    assert compute_stats(y, o.config).on_time == Rate(1, 2)


def test_report_date_before_the_year_is_a_warning() -> None:
    y = year(case_record(1))
    findings = check_year_all(y, org(), today=date(2024, 12, 1), as_of=date(2023, 12, 31))
    assert [f.code for f in findings if f.code == "GW508"] == ["GW508"]
    assert not [f for f in check_year_all(y, org(), as_of=date(2025, 1, 10)) if f.code == "GW508"]


# ── denominators ────────────────────────────────────────────────────────────────────────
def eleven_cases() -> HandlingYear:
    # 11 lead cases: 8 with one form 满意, 2 with one form 基本满意, 1 co-signed case with two
    # forms 基本满意 → 12 forms sent, 12 returned, 8 forms 满意, 8 cases 满意.
    recs = [case_record(i) for i in range(1, 9)]
    recs += [case_record(i, results=(Rating.BASICALLY,)) for i in (9, 10)]
    recs.append(case_record(11, results=(Rating.BASICALLY, Rating.BASICALLY)))
    return year(*recs)


def test_satisfaction_over_all_cases_divides_by_cases() -> None:
    y = eleven_cases()
    per_case = compute_stats(y, org(satisfaction_denominator="cases").config)
    assert per_case.result_satisfied == Rate(8, 11)  # 72.7 %, was 8/12 = 66.7 %
    assert per_case.result_satisfied.format(1) == "72.7%"
    per_form = compute_stats(y, org(satisfaction_denominator="sent").config)
    assert per_form.result_satisfied == Rate(8, 12)  # the old figure, now asked for by name
    # the denominator is stated in the report: sentence and table
    o = org(satisfaction_denominator="cases")
    assert "分母为主办和分办件数" in text_of(y, o)
    rows = report_context(y, o, report_date=date(2024, 12, 1))["rate_rows"]
    result = next(r for r in rows if r["name"] == "办理结果满意率")
    assert result["basis"].startswith("满意件数÷主办和分办件数")
    assert (result["num"], result["den"], result["value"]) == (8, 11, "72.7%")


def test_feedback_round_is_configurable_and_stated() -> None:
    # 提案001: first-round form 不满意, re-handled, second form 满意; 提案002: 满意.
    y = year(case_record(1, results=(Rating.UNSATISFIED,), again=Rating.SATISFIED), case_record(2))
    first = compute_stats(y, org().config)
    assert first.result_satisfied == Rate(1, 2)
    final = compute_stats(y, org(satisfaction_round="final").config)
    assert final.result_satisfied == Rate(2, 2)
    assert "满意率按初次办理的征询意见表计算" in text_of(y, org())
    assert "最后一轮（重新办理后的）征询意见表" in text_of(y, org(satisfaction_round="final"))
    assert "重新办理的案件按重新办理答复的类别统计" in text_of(y, org())


def test_face_to_face_basis_lead_only() -> None:
    # 提案001 lead, visited; 提案002 分办, phone only.
    y = year(
        case_record(1), case_record(2, role=HandlingRole.SEPARATE, contact=ContactMethod.PHONE)
    )
    assert compute_stats(y, org().config).face_to_face == Rate(1, 2)  # 50 %
    lead = compute_stats(y, org(contact_basis="lead").config)
    assert lead.face_to_face == Rate(1, 1)  # 100 %
    assert "沟通率、面商率按主办件数计算" in text_of(y, org(contact_basis="lead"))
    rows = report_context(y, org(contact_basis="lead"), report_date=date(2024, 12, 1))["rate_rows"]
    assert next(r for r in rows if r["name"] == "面商率")["basis"].endswith("÷主办件数")


def test_all_co_handled_is_never_answered_by_this_unit() -> None:
    y = year(*(case_record(i, role=HandlingRole.ASSIST) for i in (1, 2, 3)))
    text = text_of(y, org())
    assert "已全部办结并答复" not in text
    assert "已全部办结，协办意见均已送交主办单位" in text
    assert "已全部办结并答复" in text_of(year(case_record(1)), org())


# ── the seeds' phrasing ─────────────────────────────────────────────────────────────────
def test_seed_cppcc_preset_four_proposals() -> None:
    # a district bureau's report: 共承办政协海曙区三届一次会议委员提案4件,其中主办1件,协办3件,
    # … 按时办结率和直接走访率达100%
    y = year(case_record(8), *(case_record(n, role=HandlingRole.ASSIST) for n in (3, 5, 9)))
    text = text_of(y, org(wording="seed_cppcc_visit"))
    assert text.startswith(
        "2024年，我局共承办政协海曙区三届一次会议委员提案4件，其中主办1件，协办3件。"
    )
    assert "按时办结率和直接走访率达100%" in text


def test_seed_npc_preset_twenty_nine_suggestions() -> None:
    # a city bureau's report: 承办市十六届人大三次会议人大代表建议共29件，其中主办9件、协办20件
    # … 面商率、按时办复率、代表满意率的100%
    recs = [case_record(i, kind=CaseKind.SUGGESTION) for i in range(1, 10)]
    recs += [
        case_record(i, kind=CaseKind.SUGGESTION, role=HandlingRole.ASSIST) for i in range(10, 30)
    ]
    o = org(wording="seed_npc_reply")
    text = text_of(year(*recs), o)
    assert text.startswith(
        "2024年，我局承办市十六届人大三次会议人大代表建议共29件，其中主办9件、协办20件。"
    )
    assert "面商率、按时办复率均达100%" in text
    # the report's own words pass the narrative check
    findings = check_year_all(
        year(*recs),
        o,
        "实现了我局人大建议办理工作面商率、按时办复率、代表满意率的100%。",
        today=date(2024, 12, 1),
    )
    assert "GW503" not in {f.code for f in findings}


def test_wording_fields_can_be_set_one_by_one() -> None:
    o = org(wording={"rate_names": {"on_time": "按时办复率"}, "session_style": "formal"})
    text = text_of(year(case_record(1)), o)
    assert "政协海曙区第三届委员会第一次会议委员提案1件" in text
    assert "按时办复率" in text
    with pytest.raises(ValueError, match="未知的比率"):
        org(wording={"rate_names": {"speed": "速度"}})
    with pytest.raises(ValueError, match="未知的统计措辞方案"):
        org(wording="nowhere")


# ── one set of rules ────────────────────────────────────────────────────────────────────
def test_report_runs_the_case_rules() -> None:
    # a contact dated before the assignment is an error of `gongwen check` (GW201)
    bad = case_record(1)
    assert bad.reply is not None
    reply = bad.reply.model_copy(
        update={"contacts": (ContactRecord(date=date(2024, 3, 1), method=ContactMethod.VISIT),)}
    )
    y = year(bad.model_copy(update={"reply": reply}))
    with pytest.raises(CheckFailed) as exc:
        render_annual_report(y, org(), today=date(2024, 12, 1))
    assert "GW201" in {f.code for f in exc.value.findings}
