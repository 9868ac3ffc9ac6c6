"""The date rules see every reply of a record (``record.rounds``): the old ``rehandling`` slot
and any number of 跟踪答复 / 重新办理 in ``follow_ups``, each with its own forms.

建议096 (examples/year2024.yaml): assigned 2024-03-15, answered 2024-06-10 (临经信函〔2024〕16号),
黄伟 不满意 on 2024-06-24, re-handled 2024-08-20 (27号), 黄伟 基本满意 on 2024-09-02. The
re-handling limit is three months.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongwen.checks import Finding, check_record, rules_table
from gongwen.models import CaseRecord
from tests.conftest import TODAY, load_example_org, load_example_year, record_by_label

YEAR = load_example_year()
ORG = load_example_org()
S96 = record_by_label(YEAR, "建议096")


def _reply(when: date, serial: int, previous: int = 16, **more: Any) -> dict[str, Any]:
    assert S96.rehandling is not None
    return {
        **S96.rehandling.model_dump(),
        "date": when,
        "doc_number": f"临经信函〔2024〕{serial}号",
        "previous": f"临经信函〔2024〕{previous}号",
        "contacts": [{"date": when, "method": "电话"}],
        **more,
    }


def _form(when: date | None, result: str = "基本满意") -> dict[str, Any]:
    return {"proposer": "黄伟", "attitude": "满意", "result": result, "date": when}


def _record(*follow_ups: dict[str, Any], slot: bool = False) -> CaseRecord:
    """建议096 with its re-handling moved into ``follow_ups`` (or kept in the slot with
    ``slot``), then the given follow-ups."""
    data = S96.model_dump()
    first = [f for f in data["feedback"] if f["round"] == "初次办理"]
    again = [f for f in data["feedback"] if f["round"] == "重新办理"]
    moved = {"kind": "重新办理", "reply": data["rehandling"], "feedback": again}
    if slot:
        return CaseRecord.model_validate({**data, "follow_ups": list(follow_ups)})
    return CaseRecord.model_validate(
        {**data, "rehandling": None, "feedback": first, "follow_ups": [moved, *follow_ups]}
    )


def _found(record: CaseRecord, code: str, today: date = TODAY) -> list[Finding]:
    return [f for f in check_record(record, ORG, today=today) if f.code == code]


def test_one_rule_for_a_late_rehandling() -> None:
    """GW204 covers the slot and the follow-ups; the follow-up copy (GW420) is gone."""
    assert "GW420" not in {r.code for r in rules_table()}
    assert _found(_record(), "GW204") == []
    late = _record()
    data = late.model_dump()
    data["follow_ups"][0]["reply"]["date"] = date(2024, 10, 8)
    data["follow_ups"][0]["feedback"][0]["date"] = date(2024, 10, 10)
    [f] = _found(CaseRecord.model_validate(data), "GW204")
    assert f.path == "follow_ups[0].reply.date"
    assert f.message == (
        "重新办理答复日期2024年10月8日晚于重新办理期限2024年9月24日"
        "（自2024年6月24日起3个月），逾期14天"
    )


def test_a_second_rehandling_counts_from_the_feedback_on_the_first() -> None:
    # 黄伟 不满意 again with the first re-handling (2024-09-02): the second is due 2024-12-02
    rec = _record()
    data = rec.model_dump()
    data["follow_ups"][0]["feedback"][0]["result"] = "不满意"
    on_time = {"kind": "重新办理", "reply": _reply(date(2024, 12, 2), 40, previous=27)}
    late = {"kind": "重新办理", "reply": _reply(date(2024, 12, 9), 40, previous=27)}
    assert (
        _found(
            CaseRecord.model_validate({**data, "follow_ups": [*data["follow_ups"], on_time]}),
            "GW204",
        )
        == []
    )
    [f] = _found(
        CaseRecord.model_validate({**data, "follow_ups": [*data["follow_ups"], late]}), "GW204"
    )
    assert f.path == "follow_ups[1].reply.date"
    assert "晚于重新办理期限2024年12月2日（自2024年9月2日起3个月），逾期7天" in f.message


def test_rehandling_after_the_slot_counts_from_the_slots_forms() -> None:
    """The old slot and a later 重新办理 follow-up together: the follow-up answers the slot's
    (重新办理) forms, found by their own path."""
    data = S96.model_dump()
    data["feedback"][1]["result"] = "不满意"  # 黄伟 on the slot's reply, 2024-09-02
    early = {"kind": "重新办理", "reply": _reply(date(2024, 8, 30), 41, previous=27)}
    rec = CaseRecord.model_validate({**data, "follow_ups": [early]})
    [f] = _found(rec, "GW213")
    assert f.path == "follow_ups[0].reply.date"
    assert f.message == (
        "重新办理答复日期2024年8月30日早于黄伟表示不满意的征询意见表日期2024年9月2日（feedback[1]）"
    )
    # the slot itself still answers the first-round form
    assert _found(rec, "GW204") == []
    too_late = {"kind": "重新办理", "reply": _reply(date(2024, 12, 10), 41, previous=27)}
    [late] = _found(CaseRecord.model_validate({**data, "follow_ups": [too_late]}), "GW204")
    assert late.path == "follow_ups[0].reply.date" and "自2024年9月2日起" in late.message


def test_rehandling_before_the_unsatisfied_form_in_a_follow_up() -> None:
    data = _record().model_dump()
    data["follow_ups"][0]["reply"]["date"] = date(2024, 6, 20)  # before 黄伟's 不满意 of 06-24
    data["follow_ups"][0]["feedback"][0]["date"] = date(2024, 6, 25)
    [f] = _found(CaseRecord.model_validate(data), "GW213")
    assert f.path == "follow_ups[0].reply.date"
    assert "早于黄伟表示不满意的征询意见表日期2024年6月24日（feedback[0]）" in f.message


def test_a_tracking_reply_is_no_rehandling() -> None:
    """A 跟踪答复 has no re-handling limit; a 重新办理 after it still answers the first round."""
    tracking = {
        "kind": "跟踪答复",
        "reply": _reply(date(2025, 3, 1), 50, result_class="A", round="跟踪答复"),
    }
    rec = CaseRecord.model_validate({**S96.model_dump(), "follow_ups": [tracking]})
    assert _found(rec, "GW204", date(2025, 3, 31)) == []
    data = S96.model_dump()
    tracking = {
        "kind": "跟踪答复",
        "reply": _reply(date(2024, 7, 1), 50, result_class="B", round="跟踪答复"),
    }
    # only the tracking reply before the re-handling: the slot's base is still 黄伟's 06-24 form
    data["rehandling"]["date"] = date(2024, 10, 1)
    [f] = _found(CaseRecord.model_validate({**data, "follow_ups": [tracking]}), "GW204")
    assert f.path == "rehandling.date" and "自2024年6月24日起" in f.message


def test_follow_up_forms_are_dated_records() -> None:
    """GW201 (before assignment) and GW206 (in the future) see the forms of follow-ups."""
    data = _record().model_dump()
    data["follow_ups"][0]["feedback"][0]["date"] = date(2025, 1, 10)
    [future] = _found(CaseRecord.model_validate(data), "GW206")
    assert future.path == "follow_ups[0].feedback[0].date"
    assert future.message == "黄伟的征询意见表（重新办理）2025年1月10日晚于今天2024年12月31日"
    assert _found(CaseRecord.model_validate(data), "GW206", date(2025, 1, 10)) == []
    data["follow_ups"][0]["feedback"][0]["date"] = date(2024, 3, 1)
    before = [f.path for f in _found(CaseRecord.model_validate(data), "GW201")]
    assert before == ["follow_ups[0].feedback[0].date"]


def test_the_old_slot_is_unchanged() -> None:
    assert _found(S96, "GW204") == [] and _found(S96, "GW213") == []
    assert _record(slot=True) == S96
