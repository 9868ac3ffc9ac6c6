"""GW318: the body says "you" as the generated closing does — 你们 to several proposers, 您 to
one person, not 您 to a collective (issue #12, wording); no finding on any example."""

from __future__ import annotations

from typing import Any

import pytest

from gongwen import check_record, load_record
from gongwen.models import CaseRecord
from gongwen.models.wording import proposer_pronoun
from gongwen.resources import example_path
from tests.conftest import TODAY, load_example_org, load_example_year, record_by_label

ORG = load_example_org()
YEAR = load_example_year()


def _rec(label: str, old: str = "", new: str = "", **reply: Any) -> CaseRecord:
    rec = record_by_label(YEAR, label)
    data = rec.model_dump()
    if old:
        assert old in data["reply"]["body"]
        data["reply"]["body"] = data["reply"]["body"].replace(old, new, 1)
    data["reply"].update(reply)
    return CaseRecord.model_validate(data)


def _gw318(rec: CaseRecord) -> list[str]:
    return [f.message for f in check_record(rec, ORG, today=TODAY) if f.code == "GW318"]


def test_no_finding_on_any_example() -> None:
    records = [*YEAR.cases, load_record(example_path("record_follow_ups.yaml"))]
    for rec in records:
        assert not [f for f in check_record(rec, ORG, today=TODAY) if f.code == "GW318"], (
            rec.case.label
        )


@pytest.mark.parametrize("label", ["提案008", "建议127"])
def test_several_proposers_addressed_as_one(label: str) -> None:
    rec = record_by_label(YEAR, label)
    assert proposer_pronoun(rec.case, ORG) == "你们"
    bad = _rec(label, "你们提出的", "您提出的")
    (msg,) = _gw318(bad)
    assert "第1段" in msg and "“您”" in msg and "3位" in msg and "“你们”" in msg


def test_later_paragraph_is_found() -> None:
    (msg,) = _gw318(_rec("提案008", "感谢你们对", "感谢您对"))
    assert "第2段" in msg


@pytest.mark.parametrize("label", ["提案031", "建议072", "建议118"])
def test_one_person_addressed_as_several(label: str) -> None:
    rec = record_by_label(YEAR, label)
    assert proposer_pronoun(rec.case, ORG) == "您"
    assert _gw318(rec) == []
    bad = _rec(label, "您提出的", "你们提出的")
    (msg,) = _gw318(bad)
    assert "只有1位" in msg and "“你们”" in msg


def test_collective_addressed_as_a_person() -> None:
    rec = record_by_label(YEAR, "提案015")
    you = proposer_pronoun(rec.case, ORG)
    assert you.startswith("贵") and _gw318(rec) == []
    bad = _rec("提案015", "贵委员会提出的", "您提出的")
    (msg,) = _gw318(bad)
    assert "集体" in msg and f"“{you}”" in msg


def test_opinion_and_own_salutation_are_not_judged() -> None:
    opinion = record_by_label(YEAR, "提案023")
    body = opinion.reply.body if opinion.reply else ""
    data = opinion.model_dump()
    data["reply"]["body"] = "您好。" + body
    assert _gw318(CaseRecord.model_validate(data)) == []
    own = _rec("提案008", "你们提出的", "您提出的", salutation="张建国委员：")
    assert _gw318(own) == []
