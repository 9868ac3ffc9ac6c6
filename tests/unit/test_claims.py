"""Narrative claims (issue #14): the parser, and GW503 on false and true sentences.

The year: 7 proposals, 5 lead (classes A A A B C, all visited, on time) and 2 co-handled (on
time). Forms: one per lead case, attitude 满意 ×5, result 满意 ×4 and 基本满意 ×1 — so
办理态度满意率 100 %, 办理结果满意率 80 %, 办理结果满意和基本满意率 100 %.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongwen.checks.rules.year import check_year
from gongwen.claims import class_names, parse_claims
from gongwen.models import HandlingRole, Rating
from gongwen.models.config import THREE_CLASSES
from gongwen.stats import compute_stats
from tests.unit.test_stats_hand_counts import case_record, org, year

TODAY = date(2024, 12, 1)
YEAR = year(
    case_record(1),
    case_record(2),
    case_record(3),
    case_record(4, cls="B"),
    case_record(5, cls="C", results=(Rating.BASICALLY,)),
    case_record(6, role=HandlingRole.ASSIST),
    case_record(7, role=HandlingRole.ASSIST),
)
ORG = org()


def test_the_year_is_as_described() -> None:
    stats = compute_stats(YEAR, ORG.config)
    assert stats.attitude_satisfied.format(1) == "100%"
    assert stats.result_satisfied.format(1) == "80%"
    assert stats.result_satisfied_or_basic.format(1) == "100%"
    assert [c.count for c in stats.by_class] == [3, 1, 1]


def claims(text: str) -> list[tuple[tuple[str, ...], str, Decimal]]:
    return [
        (c.metrics, c.comparator, c.value)
        for c in parse_claims(text, classes=class_names(THREE_CLASSES))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "实现了面商率、按时办复率、代表满意率的100%",
            [(("face_to_face", "on_time", "result_satisfied"), "=", Decimal(100))],
        ),
        ("对办理结果满意率达100%", [(("result_satisfied",), "=", Decimal(100))]),
        ("对办理态度满意率达100%", [(("attitude_satisfied",), "=", Decimal(100))]),
        (
            "对办理态度和办理结果的满意率均达100%",
            [(("attitude_satisfied", "result_satisfied"), "=", Decimal(100))],
        ),
        ("已解决8件", [(("solved",), "=", Decimal(8))]),
        ("面商率达到了100%", [(("face_to_face",), "=", Decimal(100))]),
        ("面商率达百分之百", [(("face_to_face",), "=", Decimal(100))]),
        ("满意率为百分之九十五", [(("result_satisfied",), "=", Decimal(95))]),
        ("满意率在90%以上", [(("result_satisfied",), ">=", Decimal(90))]),
        (
            "按时办结率、面商率分别为91.7%、77.8%",
            [(("on_time",), "=", Decimal("91.7")), (("face_to_face",), "=", Decimal("77.8"))],
        ),
        ("在规定的时间内,全部办结", [(("on_time",), "=", Decimal(100))]),
        ("已全部办结并答复", [(("replied",), "=", Decimal(100))]),
        ("尚有1件正在办理，其余已全部办结", []),
        ("行政审批授权率100%", []),
    ],
)
def test_parse(text: str, expected: list[tuple[tuple[str, ...], str, Decimal]]) -> None:
    assert claims(text) == expected


#: Sentences the data contradicts (each must raise GW503).
FALSE = [
    "实现了面商率、按时办复率、代表满意率的100%。",  # result 80 %
    "对办理结果满意率达100%。",  # attitude is 100 %, result 80 %
    "已解决8件。",  # A: 3
    "办理结果满意率达到了100%。",
    "对办理结果的满意率达到百分之百。",
    "按时办结率、面商率、满意率均达100%。",
    "对办理态度和办理结果的满意率均达100%。",
    "共承办提案9件。",
    "其中主办4件、协办2件。",
    "留作参考2件。",
    "列入计划解决的3件。",
    "办理结果满意率为90%。",
    "满意率在90%以上。",
    "按时办结率、面商率分别为100%、80%。",
    "政协委员对办理结果满意率达百分之百。",
]

#: Sentences that agree with the data (none may raise GW503).
TRUE = [
    "实现了面商率、按时办复率、代表对办理态度满意率的100%。",
    "对办理态度满意率达100%，对办理结果满意率为80%。",
    "已解决3件，列入计划解决的1件，留作参考1件。",
    "按时办结率、沟通率、面商率均达100%。",
    "面商率达百分之百。",
    "委员对办理结果满意和基本满意率达100%。",
    "满意率在80%以上。",
    "共承办政协提案7件，其中主办5件、协办2件，均已按时办结。",
    "按时办结率和直接走访率达100%。",
    "按时办结率、面商率分别为100%、100%。",
    "在规定的时间内,全部办结,按时办结率和直接走访率达100%,政协委员对办理结果满意和基本满意率达100%。",
]


@pytest.mark.parametrize("text", FALSE)
def test_false_sentence_is_reported(text: str) -> None:
    found = [f for f in check_year(YEAR, ORG, text, today=TODAY) if f.code == "GW503"]
    assert found, text


@pytest.mark.parametrize("text", TRUE)
def test_true_sentence_passes(text: str) -> None:
    found = [f.message for f in check_year(YEAR, ORG, text, today=TODAY) if f.code == "GW503"]
    assert found == [], text


def test_message_names_the_rate_that_was_meant() -> None:
    (finding,) = [
        f
        for f in check_year(YEAR, ORG, "对办理结果满意率达100%。", today=TODAY)
        if f.code == "GW503"
    ]
    assert "对办理结果的满意率写为100%" in finding.message
    assert "应为80.0%（4/5）" in finding.message or "应为80%（4/5）" in finding.message
