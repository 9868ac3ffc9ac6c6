"""Model extensions (issue 14, deliverable 3): follow-up replies, declined visits, 领衔/附议,
会办, 并案, rating vocabularies, upload date, copy-to per body and document kind, the proposal's
own text and attachments — model, validation, ledger columns, statistics, checks, documents."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pydantic import ValidationError

from gongwen import check_record, load_record
from gongwen.api import render_planned
from gongwen.batch import render_all
from gongwen.checks.rules.year import check_year
from gongwen.documents.feedback import feedback_context
from gongwen.documents.plan import DocKind, case_documents
from gongwen.documents.reply import reply_context
from gongwen.documents.report import case_rows
from gongwen.inputs import check_input, load_input
from gongwen.ledger import load_ledger, write_ledger
from gongwen.models import (
    CaseRecord,
    ContactMethod,
    HandlingRole,
    HandlingYear,
    Organisation,
    Rating,
    Round,
)
from gongwen.models.enums import AssistKind, Signing
from gongwen.models.year import FollowUp
from gongwen.stats import compute_stats, counted_feedback
from gongwen.summary import basis_sentence, rate_basis
from tests.conftest import (
    ROOT,
    TODAY,
    load_example_org,
    load_example_year,
    record_by_label,
    with_config,
)
from tests.conftest import edit_record as edit

YEAR = load_example_year()
ORG = load_example_org()


def rec(label: str) -> CaseRecord:
    return record_by_label(YEAR, label)


def org_config(**changes: Any) -> Organisation:
    return with_config(ORG, **changes)


def later_reply(record: CaseRecord, when: date, serial: int, **over: Any) -> dict[str, Any]:
    """A later reply (as data) of ``record``: new number and date, a phone call that day."""
    assert record.reply is not None
    reply = record.reply.model_dump()
    reply.update(
        doc_number=f"临经信函〔2024〕{serial}号",
        date=when,
        previous=str(record.reply.doc_number),
        contacts=[{"date": when, "method": "电话", "people": [record.case.lead.name]}],
    )
    reply.update(over)
    return reply


def tracked_085() -> CaseRecord:
    """建议085 (class B, 林秀英 基本满意) with a 跟踪答复 in November: solved (A), 满意."""
    r = rec("建议085")
    tracking = {
        "kind": "跟踪答复",
        "reply": later_reply(r, date(2024, 11, 5), 40, result_class="A"),
        "feedback": [{"proposer": "林秀英", "attitude": "满意", "result": "满意"}],
    }
    return edit(r, follow_ups=[tracking])


def year_with(*records: CaseRecord) -> HandlingYear:
    """The example year with ``records`` replacing the cases of the same label."""
    by_label = {r.case.label: r for r in records}
    return HandlingYear(year=2024, cases=tuple(by_label.get(r.case.label, r) for r in YEAR.cases))


def xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    headers = list(dict.fromkeys(h for r in rows for h in r))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    wb.save(path)
    return path


BODY = "您提出的提案收悉。经认真研究，现答复如下：\n\n我局已出台相关办法。"


def ledger_row(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "类型": "提案",
        "届次": "区政协十二届三次会议",
        "案号": 8,
        "案由": "关于加大中小企业数字化转型扶持力度的提案",
        "提案人": "张建国",
        "办理类型": "主办",
        "主办单位": "东江市临湖区经济和信息化局",
        "交办日期": datetime(2024, 3, 15),
        "发文字号": "临经信函〔2024〕11号",
        "答复日期": datetime(2024, 5, 20),
        "答复类别": "B",
        "公开属性": "全文公开",
        "答复正文": BODY,
    }
    base.update(over)
    return base


def messages(result: Any) -> list[str]:
    return [f"{p.where}：{p.message}" for p in result.problems]


# ── 1. follow-up replies ────────────────────────────────────────────────────────────────────
def test_old_rehandling_slot_loads_unchanged_and_is_a_round() -> None:
    r = rec("建议096")
    assert r.follow_ups == ()
    assert [(x.kind, x.path, x.feedback_paths) for x in r.rounds] == [
        (Round.FIRST, "reply", ("feedback[0]",)),
        (Round.AGAIN, "rehandling", ("feedback[1]",)),
    ]
    assert r.final_reply is r.rehandling
    assert r.rehandled
    # the dump of an old record has the new field only as its default
    assert r.model_dump()["follow_ups"] == ()
    assert CaseRecord.model_validate(r.model_dump()) == r


def as_follow_up(record: CaseRecord) -> CaseRecord:
    """``record`` with its ``rehandling`` slot and 重新办理 forms written as a follow-up."""
    assert record.rehandling is not None
    forms = [f.model_dump() for f in record.feedback]
    follow_up = {
        "kind": "重新办理",
        "reply": record.rehandling.model_dump(),
        "feedback": [f for f in forms if f["round"] is Round.AGAIN],
    }
    first = [f for f in forms if f["round"] is not Round.AGAIN]
    return edit(record, rehandling=None, feedback=first, follow_ups=[follow_up])


def test_rehandling_slot_and_rehandling_follow_up_are_equivalent() -> None:
    old = rec("建议096")
    new = as_follow_up(old)
    assert new.rehandling is None and new.rehandled
    assert [(r.kind, r.reply) for r in new.rounds] == [(r.kind, r.reply) for r in old.rounds]
    assert [d.name for d in case_documents(new)] == [d.name for d in case_documents(old)]
    assert [f.code for f in check_record(new, ORG, today=TODAY)] == [
        f.code for f in check_record(old, ORG, today=TODAY)
    ]
    for rnd in ("first", "final"):
        cfg = org_config(satisfaction_round=rnd).config
        assert compute_stats(year_with(new), cfg) == compute_stats(YEAR, cfg)


def test_follow_up_takes_its_kind_as_round_of_reply_and_forms() -> None:
    r = tracked_085()
    fu = r.follow_ups[0]
    assert fu.kind is Round.TRACKING
    assert fu.reply.round is Round.TRACKING
    assert [f.round for f in fu.feedback] == [Round.TRACKING]
    assert r.final_reply is fu.reply
    assert not r.rehandled
    assert [x.path for x in r.rounds] == ["reply", "follow_ups[0].reply"]
    assert r.rounds[1].feedback_paths == ("follow_ups[0].feedback[0]",)


def test_follow_up_refuses_first_round_and_mismatched_rounds() -> None:
    r = rec("建议085")
    with pytest.raises(ValidationError, match="后续答复类型应为跟踪答复或重新办理"):
        FollowUp.model_validate(
            {"kind": "初次办理", "reply": later_reply(r, date(2024, 11, 5), 40)}
        )
    with pytest.raises(
        ValidationError, match="答复的办理轮次“重新办理”与后续答复类型“跟踪答复”不符"
    ):
        FollowUp.model_validate(
            {"kind": "跟踪答复", "reply": later_reply(r, date(2024, 11, 5), 40, round="重新办理")}
        )
    with pytest.raises(ValidationError, match="后续答复类型"):
        FollowUp.model_validate({"kind": "再办", "reply": later_reply(r, date(2024, 11, 5), 40)})


def test_follow_ups_need_a_first_reply_and_tracking_forms_live_in_them() -> None:
    r = rec("建议085")
    data = r.model_dump()
    data["follow_ups"] = [{"kind": "跟踪答复", "reply": later_reply(r, date(2024, 11, 5), 40)}]
    data["reply"] = None
    data["feedback"] = []
    with pytest.raises(ValidationError, match="须先录入首次答复"):
        CaseRecord.model_validate(data)
    with pytest.raises(ValidationError, match="应录在对应的后续答复"):
        edit(r, feedback=[{"proposer": "林秀英", "result": "满意", "round": "跟踪答复"}])


def test_any_number_of_follow_ups_ordered_by_date_with_own_feedback() -> None:
    """跟踪答复 in August (still B, 不满意), 重新办理 in October (A, 满意), another 跟踪答复 in
    December: three later rounds, each its own documents and forms."""
    r = rec("建议085")
    data = r.model_dump()
    data["follow_ups"] = [
        {
            "kind": "重新办理",
            "reply": later_reply(r, date(2024, 10, 10), 42, result_class="A"),
            "feedback": [{"proposer": "林秀英", "attitude": "满意", "result": "满意"}],
        },
        {
            "kind": "跟踪答复",
            "reply": later_reply(r, date(2024, 8, 1), 41, result_class="B"),
            "feedback": [{"proposer": "林秀英", "attitude": "满意", "result": "不满意"}],
        },
        {"kind": "跟踪答复", "reply": later_reply(r, date(2024, 12, 2), 43, result_class="A")},
    ]
    many = CaseRecord.model_validate(data)
    assert [(x.kind.value, str(x.reply.doc_number)) for x in many.rounds] == [
        ("初次办理", "临经信函〔2024〕18号"),
        ("跟踪答复", "临经信函〔2024〕41号"),
        ("重新办理", "临经信函〔2024〕42号"),
        ("跟踪答复", "临经信函〔2024〕43号"),
    ]
    assert str(many.final_reply.doc_number) == "临经信函〔2024〕43号"  # type: ignore[union-attr]
    # final round of feedback: the October form (December has none)
    assert [(f.proposer, f.result) for f in counted_feedback(many, "final")] == [
        ("林秀英", Rating.SATISFIED)
    ]
    docs = case_documents(many)
    assert [d.name for d in docs] == [
        "建议085-答复.docx",
        "建议085-跟踪答复.docx",
        "建议085-重新办理答复.docx",
        "建议085-跟踪答复2.docx",
        "建议085-林秀英-征询意见表.docx",
    ]
    assert [d.kind for d in docs][:4] == [
        DocKind.REPLY,
        DocKind.TRACKING,
        DocKind.REHANDLING,
        DocKind.TRACKING,
    ]
    form = docs[-1]
    assert form.reply is not None
    assert str(form.reply.doc_number) == "临经信函〔2024〕43号"  # the latest reply
    assert form.feedback is None  # no form returned for that round yet
    # the unsatisfied August round is re-handled in October: GW406 quiet
    assert "GW406" not in {f.code for f in check_record(many, ORG, today=TODAY)}


def test_unsatisfied_follow_up_round_needs_a_later_rehandling() -> None:
    r = rec("建议085")
    data = r.model_dump()
    data["follow_ups"] = [
        {
            "kind": "跟踪答复",
            "reply": later_reply(r, date(2024, 8, 1), 41, result_class="B"),
            "feedback": [{"proposer": "林秀英", "result": "不满意"}],
        }
    ]
    found = [f for f in check_record(CaseRecord.model_validate(data), ORG, today=TODAY)]
    gw406 = [f for f in found if f.code == "GW406"]
    assert [f.path for f in gw406] == ["follow_ups[0].feedback[0].result"]
    assert "林秀英对跟踪答复的办理结果“不满意”" in gw406[0].message


def test_text_and_number_rules_run_on_follow_up_letters() -> None:
    r = tracked_085()
    bad = edit(
        r,
        follow_ups=[
            {
                "kind": "跟踪答复",
                "reply": {
                    **r.follow_ups[0].reply.model_dump(),
                    "body": r.follow_ups[0].reply.body + "\n\n我局将继续跟进,及时告知进展。",
                    "doc_number": "临经信函〔2023〕40号",
                },
            }
        ],
    )
    found = {(f.code, f.path) for f in check_record(bad, ORG, today=TODAY)}
    assert ("GW302", "follow_ups[0].reply.body") in found  # ASCII comma
    assert ("GW101", "follow_ups[0].reply.doc_number") in found  # year 2023 in a 2024 letter
    # a tracking reply after the deadline is not "late" (only the first reply is: 085 was)
    assert [p for c, p in found if c == "GW203"] == ["reply.date"]
    clean = {f.code for f in check_record(r, ORG, today=TODAY)}
    assert not {"GW302", "GW101", "GW419"} & clean


def test_tracking_reply_renders_with_its_own_title(example_org: Organisation) -> None:
    r = tracked_085()
    planned = next(d for d in case_documents(r) if d.kind is DocKind.TRACKING)
    doc = render_planned(r, planned, example_org, today=TODAY)
    assert doc.name == "建议085-跟踪答复.docx"
    assert doc.kind == "跟踪答复"
    xml = zipfile.ZipFile(io.BytesIO(doc.data)).read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    assert "关于区十六届人大三次会议第85号建议的跟踪答复" in text
    assert "临经信函〔2024〕40号" in text
    assert planned.reply is not None
    ctx = feedback_context(r.case, planned.reply, example_org, r.case.lead)
    assert ctx["round_note"] == "（跟踪答复）"


def test_stats_see_follow_up_rounds_hand_counted() -> None:
    """Example year: 9 replied lead/分办 cases; final classes A 008 042 072 127, B 015 085 096
    (re-handled C→B) 118, C 031. 13 forms; final-round 满意 on result: 008×2, 042, 072, 118,
    127×2 = 7. A 跟踪答复 of 085 (B→A, 林秀英 基本满意→满意) makes A 5, B 3 and 8 of 13."""
    cfg = org_config(satisfaction_round="final").config
    before = compute_stats(YEAR, cfg)
    after = compute_stats(year_with(tracked_085()), cfg)
    assert [(c.code, c.count) for c in before.by_class] == [("A", 4), ("B", 4), ("C", 1)]
    assert [(c.code, c.count) for c in after.by_class] == [("A", 5), ("B", 3), ("C", 1)]
    assert (before.result_satisfied.numerator, before.result_satisfied.denominator) == (7, 13)
    assert (after.result_satisfied.numerator, after.result_satisfied.denominator) == (8, 13)
    assert (before.tracked, after.tracked) == (0, 1)
    assert after.rehandled == 1  # 096 only
    # first round is unchanged by a follow-up
    first = compute_stats(year_with(tracked_085()), ORG.config)
    assert (first.result_satisfied.numerator, first.result_satisfied.denominator) == (7, 13)
    assert "有重新办理或跟踪答复的案件按最后一次答复的类别统计" in basis_sentence(after)
    assert "重新办理的案件按重新办理答复的类别统计" in basis_sentence(before)


def test_report_case_list_shows_the_follow_up_round() -> None:
    rows = {r["case_no"]: r for r in case_rows(year_with(tracked_085()))}
    assert (rows["建议第85号"]["cls"], rows["建议第85号"]["satisfaction"]) == (
        "B→A",
        "基本满意；跟踪答复后满意",
    )
    assert (rows["建议第96号"]["cls"], rows["建议第96号"]["satisfaction"]) == (
        "C→B",
        "不满意；重办后基本满意",
    )


def test_year_rules_see_follow_ups() -> None:
    r = tracked_085()
    stray = edit(
        r,
        follow_ups=[
            {
                **r.follow_ups[0].model_dump(),
                "feedback": [
                    {"proposer": "林秀英", "result": "满意"},
                    {"proposer": "林秀英", "result": "满意"},
                ],
            }
        ],
    )
    year = year_with(stray)
    found = [f for f in check_year(year, ORG, today=TODAY) if f.code == "GW502"]
    assert [f.path for f in found] == ["cases[7].follow_ups[0].feedback"]
    # a 跟踪答复 in the next year is not a slip (GW504 is for the year's own replies)
    next_year = edit(
        r,
        follow_ups=[{**r.follow_ups[0].model_dump(), "reply": later_reply(r, date(2025, 3, 1), 2)}],
    )
    assert not [f for f in check_year(year_with(next_year), ORG, today=TODAY) if f.code == "GW504"]


def _tracking_ledger(tmp_path: Path, **over: Any) -> Any:
    row = ledger_row(
        **{
            "后续答复类型": "跟踪答复",
            "重新办理发文字号": "临经信函〔2024〕40号",
            "重新办理答复日期": datetime(2024, 11, 5),
            "重新办理答复类别": "A",
            "重新办理答复正文": "您提出的提案，我局已于2024年5月20日答复。现将办理进展答复如下："
            "\n\n相关扶持办法已于2024年10月实施。",
        }
    )
    row.update(over)
    return load_ledger(xlsx(tmp_path / "台账.xlsx", [row]), organisation=ORG)


def test_ledger_follow_up_kind_column_builds_a_tracking_reply(tmp_path: Path) -> None:
    result = _tracking_ledger(tmp_path)
    assert not [p for p in result.problems if p.severity == "error"], messages(result)
    record = result.records[0][1]
    assert record.rehandling is None
    assert [(f.kind, str(f.reply.doc_number), f.reply.result_class) for f in record.follow_ups] == [
        (Round.TRACKING, "临经信函〔2024〕40号", "A")
    ]
    assert str(record.follow_ups[0].reply.previous) == "临经信函〔2024〕11号"
    # written back, the ledger keeps the kind
    out = write_ledger([record], tmp_path / "回写.csv")
    again = load_ledger(out, organisation=ORG).records[0][1]
    assert again.follow_ups == record.follow_ups


def test_check_places_follow_up_findings_on_the_follow_up_columns(tmp_path: Path) -> None:
    row = ledger_row(
        **{
            "后续答复类型": "跟踪答复",
            "重新办理发文字号": "临经信函〔2024〕40号",
            "重新办理答复日期": datetime(2024, 5, 10),  # before the first reply (5月20日)
            "重新办理答复类别": "A",
            "重新办理答复正文": "您提出的提案，我局已答复。现将办理进展答复如下：\n\n已实施。",
        }
    )
    path = xlsx(tmp_path / "台账.xlsx", [row])
    found = check_input(load_input(path, organisation=ORG), ORG, today=TODAY)
    gw419 = [f for f in found if f.code == "GW419"]
    assert [(f.row, f.header) for f in gw419] == [(2, "重新办理答复日期")]


def test_batch_renders_the_ledger_follow_up(tmp_path: Path) -> None:
    path = write_ledger(year_with(tracked_085()), tmp_path / "台账.csv")
    results = list(render_all(path, ORG, tmp_path / "out", what={"replies"}, today=TODAY))
    names = {Path(r.path).name for r in results if r.ok and r.path}
    assert {"建议085-答复.docx", "建议085-跟踪答复.docx", "建议096-重新办理答复.docx"} <= names
    xml = zipfile.ZipFile(tmp_path / "out" / "建议085-跟踪答复.docx").read("word/document.xml")
    assert "第85号建议的跟踪答复" in re.sub(r"<[^>]+>", "", xml.decode("utf-8"))


def test_ledger_follow_up_cells_are_reported_with_their_headers(tmp_path: Path) -> None:
    result = _tracking_ledger(tmp_path, **{"后续答复类型": "再次答复"})
    assert messages(result) == [
        "第2行 N列（后续答复类型）：后续答复类型应为以下之一：初次办理、重新办理、跟踪答复，"
        '而不是"再次答复"'
    ]
    result = _tracking_ledger(tmp_path, **{"重新办理答复日期": "2024-13-40"})
    assert [(p.row, p.header) for p in result.problems] == [(2, "重新办理答复日期")]


# ── 2. declined visit ───────────────────────────────────────────────────────────────────────
def _contacts(label: str, method: str) -> CaseRecord:
    r = rec(label)
    assert r.reply is not None
    when = r.reply.date.replace(day=1)
    return edit(r, reply={"contacts": [{"date": when, "method": method}]})


def _three_cases() -> HandlingYear:
    """Three lead cases: 072 visited (走访), 127 declined a visit (婉拒面商), 008 phoned."""
    return HandlingYear(
        year=2024,
        cases=(
            _contacts("建议072", "走访"),
            _contacts("建议127", "婉拒面商"),
            _contacts("提案008", "电话"),
        ),
    )


def test_declined_visit_is_a_contact_not_an_error() -> None:
    r = _contacts("建议127", "婉拒面商")
    assert r.reply is not None and r.reply.contacts[0].method is ContactMethod.DECLINED
    codes = {f.code for f in check_record(r, ORG, today=TODAY)}
    assert "GW401" not in codes


@pytest.mark.parametrize(
    ("how", "f2f", "note"),
    [
        ("excluded", (1, 2), "（提案人婉拒面商的1件不计入分母）"),
        ("not_face_to_face", (1, 3), "（提案人婉拒面商的1件计入分母、不计为面商）"),
        ("face_to_face", (2, 3), "（提案人婉拒面商的1件计为面商）"),
    ],
)
def test_declined_visit_counts_in_face_to_face_rate_as_configured(
    how: str, f2f: tuple[int, int], note: str
) -> None:
    stats = compute_stats(_three_cases(), org_config(declined_visit=how).config)
    assert (stats.contact.numerator, stats.contact.denominator) == (3, 3)
    assert (stats.face_to_face.numerator, stats.face_to_face.denominator) == f2f
    assert stats.declined == 1
    assert rate_basis(stats, "face_to_face").endswith(note)
    assert note in basis_sentence(stats)


def test_declined_visit_is_not_a_form_option() -> None:
    r = rec("提案008")
    assert r.reply is not None
    ctx = feedback_context(r.case, r.reply, ORG, r.case.lead)
    assert "婉拒面商" not in [o["label"] for o in ctx["contact_options"]]


def test_ledger_reads_declined_visit(tmp_path: Path) -> None:
    row = ledger_row(**{"沟通方式": "婉拒面商", "沟通日期": datetime(2024, 5, 1)})
    result = load_ledger(xlsx(tmp_path / "台账.xlsx", [row]), organisation=ORG)
    reply = result.records[0][1].reply
    assert reply is not None and reply.contacts[0].method is ContactMethod.DECLINED


# ── 3. 领衔/附议, 会办, 并案 ──────────────────────────────────────────────────────────────────
def test_signing_defaults_and_a_lead_must_come_first() -> None:
    case = rec("提案008").case
    assert [case.signing_of(i) for i in range(3)] == [
        Signing.LEAD,
        Signing.SECONDER,
        Signing.SECONDER,
    ]
    data = case.model_dump()
    data["proposers"][2]["signing"] = "领衔"
    with pytest.raises(ValidationError, match="提案人第3位“赵丽”标为领衔"):
        type(case).model_validate(data)
    data["proposers"][2]["signing"] = None
    data["proposers"][0]["signing"] = "附议"
    with pytest.raises(ValidationError, match="提案人第1位“张建国”标为附议"):
        type(case).model_validate(data)


def test_ledger_seconders_column_marks_seconders(tmp_path: Path) -> None:
    row = ledger_row(**{"提案人": "张建国", "附议人": "李明华、赵丽"})
    result = load_ledger(xlsx(tmp_path / "台账.xlsx", [row]), organisation=ORG)
    record = result.records[0][1]
    assert [(p.name, p.signing) for p in record.case.proposers] == [
        ("张建国", None),
        ("李明华", Signing.SECONDER),
        ("赵丽", Signing.SECONDER),
    ]
    back = write_ledger([record], tmp_path / "回写.json")
    rows = json.loads(back.read_text(encoding="utf-8"))
    assert (rows[0]["提案人"], rows[0]["附议人"]) == ("张建国", "李明华、赵丽")


def test_joint_handling_is_distinct_from_assisting(tmp_path: Path) -> None:
    r = rec("提案023")  # 协办
    joint = edit(r, case={"assist_kind": "会办"}, reply={"title": None})
    assert joint.case.joint_handling and not r.case.joint_handling
    ctx = reply_context(joint.case, joint.reply, ORG)  # type: ignore[arg-type]
    assert "会办意见" in ctx["title"]
    plain = edit(r, reply={"title": None})
    assert "协办意见" in reply_context(plain.case, plain.reply, ORG)["title"]  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="不能填写协办方式"):
        edit(rec("提案008"), case={"assist_kind": "会办"})
    stats = compute_stats(year_with(joint), ORG.config)
    assert (stats.assist, stats.joint_assist) == (3, 1)  # 023 057 103 co-handled, 023 会办
    row = ledger_row(**{"办理类型": "会办", "主办单位": "区商务局"})
    got = load_ledger(xlsx(tmp_path / "台账.xlsx", [row]), organisation=ORG).records[0][1]
    assert (got.case.role, got.case.assist_kind) == (HandlingRole.ASSIST, AssistKind.JOINT)


def test_merged_numbers_are_listed_in_the_title_and_validated(tmp_path: Path) -> None:
    r = edit(
        rec("提案008"), case={"merged": [12, {"number": 15, "title": "关于支持企业上云的提案"}]}
    )
    assert r.case.numbers == (8, 12, 15)
    ctx = reply_context(r.case, r.reply, ORG)  # type: ignore[arg-type]
    assert ctx["title"].replace("\n", "") == "关于区政协十二届三次会议第8、12、15号提案的答复"
    assert r.case.merged[1].title == "关于支持企业上云的提案"
    with pytest.raises(ValidationError, match="第2项的案号“12”重复"):
        edit(rec("提案008"), case={"merged": [12, 12]})
    with pytest.raises(ValidationError, match="第1项的案号“8”重复"):
        edit(rec("提案008"), case={"merged": [8]})
    with pytest.raises(ValidationError, match="案号"):
        edit(rec("提案008"), case={"merged": [0]})
    # listed again as its own case: counted twice (GW509)
    twice = year_with(edit(rec("提案008"), case={"merged": [15]}))
    found = [f for f in check_year(twice, ORG, today=TODAY) if f.code == "GW509"]
    assert [f.path for f in found] == ["cases[0].case.merged[0].number"]
    assert compute_stats(year_with(r), ORG.config).merged == 2
    row = ledger_row(**{"并案案号": "12、第15号"})
    got = load_ledger(xlsx(tmp_path / "台账.xlsx", [row]), organisation=ORG).records[0][1]
    assert got.case.merged_numbers == (12, 15)
    bad = load_ledger(xlsx(tmp_path / "坏.xlsx", [ledger_row(**{"并案案号": "12、甲"})]))
    assert [(p.row, p.header) for p in bad.problems] == [(2, "并案案号")]
    same = load_ledger(xlsx(tmp_path / "重复.xlsx", [ledger_row(**{"并案案号": "12、8"})]))
    assert messages(same) == [
        "第2行 N列（并案案号）：并案办理的案件（「并案案号」列）第2项的案号“8”重复"
    ]


# ── 4. rating vocabularies, upload date, copy-to ────────────────────────────────────────────
AGREEING = {"rating_scale": "同意度"}


def test_rating_scale_by_name_and_its_form_options() -> None:
    org = org_config(**AGREEING)
    assert [w.value for w in org.config.rating_scale.words] == ["同意", "理解", "保留", "不同意"]
    r = rec("提案008")
    ctx = feedback_context(r.case, r.reply, org, r.case.lead)  # type: ignore[arg-type]
    assert [o["label"] for o in ctx["attitude_options"]] == ["同意", "理解", "保留", "不同意"]
    default = feedback_context(r.case, r.reply, ORG, r.case.lead)  # type: ignore[arg-type]
    assert [o["label"] for o in default["result_options"]] == ["满意", "基本满意", "不满意"]
    with pytest.raises(ValidationError, match="未知的评价用语方案“好坏”"):
        org_config(rating_scale="好坏")
    with pytest.raises(ValidationError, match="评价用语重复：同意"):
        org_config(rating_scale={"name": "x", "satisfied": ["同意"], "unsatisfied": ["同意"]})


def test_rates_count_the_configured_words_hand_counted() -> None:
    """Four forms on 127 and 008 results: 同意, 同意, 理解, 保留 → 满意率 2/4 = 50.0 %,
    满意和基本满意率 3/4 = 75.0 % (保留 counts in neither); 不同意 calls for 重新办理."""
    p8 = rec("提案008")
    forms = [f.model_dump() for f in p8.feedback]
    for f, word in zip(forms, ("同意", "同意", "理解"), strict=True):
        f["result"] = word
        f["attitude"] = "同意"
    s127 = rec("建议127")
    forms127 = [f.model_dump() for f in s127.feedback][:1]
    forms127[0]["result"] = "保留"
    forms127[0]["attitude"] = "同意"
    year = HandlingYear(
        year=2024,
        cases=(edit(p8, feedback=forms), edit(s127, feedback=forms127)),
    )
    stats = compute_stats(year, org_config(**AGREEING).config)
    assert (stats.result_satisfied.numerator, stats.result_satisfied.denominator) == (2, 4)
    assert (
        stats.result_satisfied_or_basic.numerator,
        stats.result_satisfied_or_basic.denominator,
    ) == (3, 4)
    # the default scale counts none of these words
    default = compute_stats(year, ORG.config)
    assert default.result_satisfied.numerator == 0
    # 不同意 calls for re-handling under the 同意度 scale; a 满意 there is outside the scale
    forms[0]["result"] = "不同意"
    disagree = edit(p8, feedback=forms)
    found = {(f.code, f.path) for f in check_record(disagree, org_config(**AGREEING), today=TODAY)}
    assert ("GW406", "feedback[0].result") in found
    outside = {(f.code, f.path) for f in check_record(p8, org_config(**AGREEING), today=TODAY)}
    assert ("GW417", "feedback[0].attitude") in outside


def test_ledger_ratings_use_the_configured_scale(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "台账.xlsx", [ledger_row(**{"结果评价": "满意"})])
    result = load_ledger(path, organisation=org_config(**AGREEING))
    assert messages(result) == [
        '第2行 N列（结果评价）：结果评价应为以下之一：同意、理解、保留、不同意，而不是"满意"'
    ]
    path = xlsx(tmp_path / "台账2.xlsx", [ledger_row(**{"结果评价": "理解"})])
    got = load_ledger(path, organisation=org_config(**AGREEING)).records[0][1]
    assert got.feedback[0].result is Rating.UNDERSTAND
    result = load_ledger(path, organisation=ORG)
    assert messages(result) == [
        '第2行 N列（结果评价）：结果评价应为以下之一：满意、基本满意、不满意，而不是"理解"'
    ]


def test_upload_date_column_and_count(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "台账.xlsx", [ledger_row(**{"平台上传日期": datetime(2024, 5, 22)})])
    record = load_ledger(path, organisation=ORG).records[0][1]
    assert record.reply is not None and record.reply.uploaded_on == date(2024, 5, 22)
    stats = compute_stats(HandlingYear(year=2024, cases=(record,)), ORG.config)
    assert stats.uploaded == 1
    assert compute_stats(YEAR, ORG.config).uploaded == 0
    bad = load_ledger(
        xlsx(tmp_path / "坏.xlsx", [ledger_row(**{"平台上传日期": "上周"})]), organisation=ORG
    )
    assert [(p.row, p.header) for p in bad.problems] == [(2, "平台上传日期")]


def test_copy_to_per_body_and_document_kind() -> None:
    org = org_config(
        copy_to={
            "by_body": {"人大": ["区人大常委会办公室"], "政协": ["区政协办公室"]},
            "by_document": {"跟踪答复": ["区政府办公室督查科"]},
        }
    )
    p8, s72 = rec("提案008"), rec("建议072")
    default = ORG.copy_to
    assert reply_context(p8.case, p8.reply, org)["copy_to"] == (  # type: ignore[arg-type]
        "，".join((*default, "区政协办公室")) + "。"
    )
    assert "区人大常委会办公室" in reply_context(s72.case, s72.reply, org)["copy_to"]  # type: ignore[arg-type]
    r = tracked_085()
    line = reply_context(r.case, r.follow_ups[0].reply, org)["copy_to"]
    assert line.endswith("区政府办公室，区人大常委会办公室，区政府办公室督查科。")
    # a reply's own list replaces all of them; without the configuration nothing changes
    own = edit(p8, reply={"copy_to": ["区委办公室"]})
    assert reply_context(own.case, own.reply, org)["copy_to"] == "区委办公室。"  # type: ignore[arg-type]
    assert reply_context(p8.case, p8.reply, ORG)["copy_to"] == "，".join(default) + "。"  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="未知的文档种类：通知"):
        org_config(copy_to={"by_document": {"通知": ["x"]}})


# ── 5. the proposal's own text and attachments (data, not printed) ──────────────────────────
def test_case_text_and_attachments_are_kept_not_printed(tmp_path: Path) -> None:
    r = edit(
        rec("提案008"),
        case={"text": "建议加大扶持力度。", "attachments": ["调研报告.pdf", "企业名单.xlsx"]},
    )
    assert r.case.attachments == ("调研报告.pdf", "企业名单.xlsx")
    plain = rec("提案008")
    assert reply_context(r.case, r.reply, ORG) == reply_context(plain.case, plain.reply, ORG)  # type: ignore[arg-type]
    row = ledger_row(
        **{"建议提案原文": "建议加大扶持力度。", "建议提案附件": "调研报告.pdf、企业名单.xlsx"}
    )
    got = load_ledger(xlsx(tmp_path / "台账.xlsx", [row]), organisation=ORG).records[0][1]
    assert (got.case.text, got.case.attachments) == (r.case.text, r.case.attachments)


# ── schema and backward compatibility ───────────────────────────────────────────────────────
def test_schema_documents_the_new_fields_in_chinese() -> None:
    schema = json.dumps(CaseRecord.model_json_schema(), ensure_ascii=False)
    for title in (
        "后续答复",
        "后续答复类型",
        "本轮征询意见",
        "领衔或附议",
        "协办方式",
        "并案办理的案件",
        "平台上传日期",
        "建议提案原文",
        "建议提案附件",
    ):
        assert f'"title": "{title}"' in schema, title
    config = json.dumps(Organisation.model_json_schema(), ensure_ascii=False)
    for title in ("评价用语方案", "婉拒面商的计法", "按人大、政协追加的抄送单位"):
        assert f'"title": "{title}"' in config, title


def test_example_ledger_export_has_no_new_columns(tmp_path: Path) -> None:
    rows = json.loads(write_ledger(YEAR, tmp_path / "l.json").read_text(encoding="utf-8"))
    headers = {h for r in rows for h in r}
    assert not headers & {"附议人", "并案案号", "平台上传日期", "后续答复类型", "建议提案原文"}
    assert compute_stats(YEAR, ORG.config).declined == 0


def test_example_record_with_follow_ups_checks_clean_and_plans_every_letter(
    example_org: Organisation,
) -> None:
    record = load_record(ROOT / "examples" / "record_follow_ups.yaml")
    assert not check_record(record, example_org, today=date(2024, 12, 1))
    docs = case_documents(record)
    assert [d.name for d in docs] == [
        "建议085-答复.docx",
        "建议085-重新办理答复.docx",
        "建议085-跟踪答复.docx",
        "建议085-林秀英-征询意见表.docx",
        "建议085-周文斌-征询意见表.docx",
    ]
    assert [record.case.signing_of(i) for i in range(2)] == [Signing.LEAD, Signing.SECONDER]
    stats = compute_stats(HandlingYear(year=2024, cases=(record,)), example_org.config)
    # 1 lead case: 走访 → face to face; the 婉拒面商 of the seconder does not matter
    assert (stats.face_to_face.numerator, stats.face_to_face.denominator) == (1, 1)
    assert [(c.code, c.count) for c in stats.by_class] == [("A", 1), ("B", 0), ("C", 0)]
    assert (stats.rehandled, stats.tracked, stats.merged, stats.uploaded) == (1, 1, 1, 0)
    text = reply_context(record.case, record.reply, example_org)["title"]  # type: ignore[arg-type]
    assert text.replace("\n", "") == "关于区十六届人大三次会议第85、91号建议的答复"
