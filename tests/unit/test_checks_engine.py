"""The rule engine as used for case files: configuration, CheckFailed, rules table, fixes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from gongwen.checks import (
    CheckFailed,
    Finding,
    Severity,
    Subject,
    check_record,
    check_year_cases,
    has_errors,
    raise_for_errors,
    rule,
    rules_table,
)
from gongwen.checks.fixes import FIXABLE, apply_fixes
from gongwen.models import CaseRecord, HandlingYear, Organisation
from tests.conftest import (
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


def with_checks(**checks: Any) -> Organisation:
    return with_config(ORG, checks=checks)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_disabled_rule_does_not_run() -> None:
    late = rec("建议085")
    assert "GW203" in codes(check_record(late, ORG, today=TODAY))
    assert "GW203" not in codes(check_record(late, with_checks(disabled=["GW203"]), today=TODAY))


def test_severity_override() -> None:
    late = rec("建议085")
    plain = check_record(late, ORG, today=TODAY)
    assert not has_errors(plain)
    strict = check_record(late, with_checks(severity={"GW203": "error"}), today=TODAY)
    assert [f.severity for f in strict if f.code == "GW203"] == [Severity.ERROR]
    assert has_errors(strict)
    lenient = check_record(
        edit(late, reply={"result_class": None}),
        with_checks(severity={"GW105": "info"}),
        today=TODAY,
    )
    assert [f.severity for f in lenient if f.code == "GW105"] == [Severity.INFO]
    assert not has_errors(lenient)


def test_check_failed_carries_every_finding() -> None:
    bad = edit(
        rec("建议085"),
        reply={"result_class": "Z", "disclosure": "不予公开", "disclosure_reason": None},
    )
    findings = check_record(bad, ORG, today=TODAY)
    assert {"GW106", "GW108", "GW203"} <= set(codes(findings))
    with pytest.raises(CheckFailed) as info:
        raise_for_errors(findings)
    assert info.value.findings == findings  # warnings travel too
    text = str(info.value)
    assert "检查发现2处错误" in text
    assert "GW106" in text and "GW108" in text and "GW203" not in text


def test_warnings_alone_do_not_raise() -> None:
    raise_for_errors(check_record(rec("建议085"), ORG, today=TODAY))


def test_findings_are_labelled_and_ordered() -> None:
    bad = edit(rec("提案008"), reply={"result_class": None, "doc_number": "临经信函〔2023〕11号"})
    findings = check_record(bad, ORG, today=TODAY)
    assert {f.case for f in findings} == {"提案008"}
    assert codes(findings) == sorted(codes(findings))
    assert {f.subject for f in findings} <= {Subject.CASE, Subject.REPLY, Subject.FEEDBACK}


def test_today_defaults_to_current_date() -> None:
    future = edit(rec("提案008"), reply={"date": date(2099, 1, 1)})
    assert "GW205" in codes(check_record(future, ORG))


def test_check_year_cases_uses_embedded_organisation() -> None:
    embedded = HandlingYear(year=2024, organisation=ORG, cases=YEAR.cases)
    assert check_year_cases(embedded, today=TODAY) == check_year_cases(YEAR, ORG, today=TODAY)
    with pytest.raises(ValueError, match="organisation"):
        check_year_cases(YEAR, today=TODAY)


def test_example_data_has_no_errors() -> None:
    findings = check_year_cases(YEAR, ORG, today=TODAY)
    assert not has_errors(findings)
    assert len(findings) == 1


def test_rules_table() -> None:
    table = rules_table()
    order = sorted(table, key=lambda r: (r.code.rstrip("0123456789"), int(r.code.lstrip("GWD"))))
    assert [r.code for r in table] == [r.code for r in order]
    row = next(r for r in table if r.code == "GW203")
    assert (row.severity, row.subject, row.title) == (
        Severity.WARNING,
        Subject.REPLY,
        "答复晚于办理期限",
    )
    feedback_only = rules_table([Subject.FEEDBACK])
    assert feedback_only and {r.subject for r in feedback_only} == {Subject.FEEDBACK}
    assert len({r.code for r in table}) == len(table)


def test_rule_codes_are_unique_and_well_formed() -> None:
    with pytest.raises(ValueError, match="twice"):
        rule("GW101", Severity.ERROR, Subject.REPLY, "重复")(lambda ctx: [])
    with pytest.raises(ValueError, match="bad rule code"):
        rule("X1", Severity.ERROR, Subject.REPLY, "错误代码")(lambda ctx: [])


def test_finding_json() -> None:
    f = check_record(rec("建议085"), ORG, today=TODAY)[0]
    data = json.loads(json.dumps(f.to_dict(), ensure_ascii=False))
    assert data["code"] == "GW203" and data["severity"] == "warning"
    assert data["case"] == "建议085" and data["path"] == "reply.date"


# ── fixes ──


def test_apply_fixes_makes_the_fixed_findings_disappear() -> None:
    base = rec("提案008")
    assert base.reply is not None
    body = base.reply.body.replace("收悉。经认真研究，", "收悉,经认真研究,").replace(
        "截至2024年4月30日", "截至2024-4-30"
    )
    bad = edit(
        base,
        case={"title": "关于加大中小企业数字化转型扶持力度的提案(修改稿)"},
        reply={
            "doc_number": "临经信函[2024]11号",
            "salutation": "张建国委员、李明华委员、赵丽委员:",
            "title": "关于区政协十二届三次会议第8号提案的答复。",
            "body": body,
        },
    )
    findings = check_record(bad, ORG, today=TODAY)
    fixable = {f.code for f in findings if f.fix is not None}
    assert {"GW102", "GW302", "GW304", "GW307", "GW310"} <= fixable <= FIXABLE
    fixed = apply_fixes(bad, findings)
    assert fixed.reply is not None
    assert str(fixed.reply.doc_number) == "临经信函〔2024〕11号"
    assert fixed.reply.doc_number.original is None
    assert fixed.reply.salutation == "张建国委员、李明华委员、赵丽委员："
    assert fixed.reply.title == "关于区政协十二届三次会议第8号提案的答复"
    assert fixed.reply.body == base.reply.body.replace("收悉。经认真研究", "收悉，经认真研究")
    assert fixed.case.title == "关于加大中小企业数字化转型扶持力度的提案（修改稿）"
    again = check_record(fixed, ORG, today=TODAY)
    assert not {f.code for f in again if f.fix is not None} & FIXABLE
    assert bad.reply is not None and (bad.reply.salutation or "").endswith(":")  # input untouched


def test_apply_fixes_links_rehandling_to_first_reply() -> None:
    bad = edit(rec("建议096"), rehandling={"previous": None})
    fixed = apply_fixes(bad, check_record(bad, ORG, today=TODAY))
    assert fixed.rehandling is not None
    assert str(fixed.rehandling.previous) == "临经信函〔2024〕16号"


def test_apply_fixes_leaves_other_findings_alone() -> None:
    f_org = Finding("GW302", Severity.WARNING, Subject.REPLY, "organisation.self_name", "x", "我局")
    f_nofix = Finding("GW105", Severity.ERROR, Subject.REPLY, "reply.result_class", "x", None)
    f_unknown = Finding("GW999", Severity.ERROR, Subject.REPLY, "reply.body", "x", "正文")
    r = rec("提案008")
    assert apply_fixes(r, [f_org, f_nofix, f_unknown]) == r
