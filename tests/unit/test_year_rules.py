"""Year rules GW5xx, both ways: the example passes; each broken input is reported."""

from __future__ import annotations

import pytest

from gongwen import CheckFailed, HandlingYear, Organisation
from gongwen.api import render_annual_report
from gongwen.checks.rules.year import check_year
from gongwen.findings import Severity
from gongwen.models import Feedback, HandlingRole
from tests.conftest import EXAMPLES, TODAY
from tests.unit.test_stats import org, record, year

NARRATIVE = (EXAMPLES / "narrative2024.md").read_text(encoding="utf-8")


def codes(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.code for f in findings]


def test_example_year_and_narrative_pass(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    assert check_year(example_year, example_org, NARRATIVE, today=TODAY) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年，我局共承办建议提案30件。", "本年度共承办建议提案12件"),
        ("共承办区政协十二届三次会议提案7件。", "本年度共承办提案6件"),
        ("其中主办7件、协办4件、分办2件。", "协办3件"),
        ("代表委员满意率达100%。", "满意率"),
        ("按时办结率达100%。", "应为91.7%"),
        ("按时办结率、面商率均达100%。", "面商率"),
        ("已解决或采纳5件。", "已解决或采纳4件"),
        ("列入计划解决的3件。", "正在解决或列入计划拟解决4件"),
    ],
)
def test_narrative_figures_that_contradict(
    example_year: HandlingYear, example_org: Organisation, text: str, expected: str
) -> None:
    findings = check_year(example_year, example_org, text, today=TODAY)
    assert findings and set(codes(findings)) == {"GW503"}
    assert all(f.severity is Severity.ERROR for f in findings)
    assert any(expected in f.message for f in findings)


@pytest.mark.parametrize(
    "text",
    [
        "共承办建议提案12件，其中主办7件、协办3件、分办2件。",
        "按时办结率为91.7%，沟通率达100%，面商率为77.8%。",
        "代表委员对办理结果满意和基本满意率为92.3%，对办理态度满意率为92.3%。",
        "共承办区十六届人大三次会议代表建议6件，其中主办4件、协办1件、分办1件。",
        "反馈率达到100%。满意率为53.8%。",
    ],
)
def test_narrative_figures_that_agree(
    example_year: HandlingYear, example_org: Organisation, text: str
) -> None:
    assert check_year(example_year, example_org, text, today=TODAY) == []


def test_class_counts_fall_short_of_replied_lead_cases() -> None:
    y = year(record(1), record(2, cls=None), record(3, cls="Z"))
    findings = check_year(y, org(), today=TODAY)
    assert codes(findings) == ["GW501", "GW501"]
    assert "提案002" in findings[0].message and "各类别合计1件" in findings[0].message
    assert findings[1].path == "cases[2].reply.result_class"


def test_feedback_forms_must_match_proposers() -> None:
    good = record(1, proposers=2)
    stranger = good.model_copy(
        update={"feedback": (*good.feedback, Feedback(proposer="外人", result="满意"))}
    )
    twice = good.model_copy(update={"feedback": (*good.feedback, good.feedback[0])})
    assist = record(4, role=HandlingRole.ASSIST).model_copy(
        update={"feedback": (Feedback(proposer="人4-0", result="满意"),)}
    )
    assert check_year(year(good), org(), today=TODAY) == []
    findings = check_year(
        year(
            stranger,
            twice.model_copy(update={"case": twice.case.model_copy(update={"number": 2})}),
            assist,
        ),
        org(),
        today=TODAY,
    )
    assert codes(findings) == ["GW502"] * 3
    assert "外人" in findings[0].message
    assert "2份" in findings[1].message
    assert "协办" in findings[2].message


def test_reply_dated_in_another_year_is_a_warning() -> None:
    y = HandlingYear(year=2023, cases=(record(1),))
    findings = check_year(y, org(), today=TODAY)
    assert codes(findings) == ["GW504"]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].path == "cases[0].reply.date"


def test_placeholders_in_narrative() -> None:
    findings = check_year(year(record(1)), org(), "201*年，我局共承办提案**件。", today=TODAY)
    assert "GW505" in codes(findings)


def test_empty_year_and_unanswered_case() -> None:
    assert codes(check_year(year(), org(), today=TODAY)) == ["GW506"]
    findings = check_year(year(record(1, replied=False)), org(), today=TODAY)
    assert codes(findings) == ["GW507"] and "已超过办理期限" in findings[0].message


def test_rules_can_be_disabled() -> None:
    o = org(checks={"disabled": ["GW504"]})
    assert check_year(HandlingYear(year=2023, cases=(record(1),)), o, today=TODAY) == []


def test_report_refuses_a_contradicting_narrative(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    with pytest.raises(CheckFailed) as exc:
        render_annual_report(example_year, example_org, "# 办理成效\n\n满意率达100%。", today=TODAY)
    errors = [f for f in exc.value.findings if f.severity is Severity.ERROR]
    assert codes(errors) == ["GW503"]
    assert "GW203" in codes(exc.value.findings)  # the case rules ran too (建议085 is late)
