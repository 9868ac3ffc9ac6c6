"""Joint and collective proposers (issue #12): the salutation as configured
(``config.address.joint``) and the "you" of generated text (您 / 你们 / 贵委 …), swept over the
number of proposers, co-signers not named, both kinds of case and collectives of every kind."""

from __future__ import annotations

import pytest

from gongwen import check_record
from gongwen.models.case import Case
from gongwen.models.config import AddressConfig
from gongwen.models.enums import CaseKind
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.wording import (
    collective_pronoun,
    people_count,
    proposer_pronoun,
    proposer_salutation,
    reply_closing,
    reply_salutation,
)
from gongwen.models.year import CaseRecord
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()
YEAR = load_example_year()
NAMES = ("张建国", "李明华", "赵丽", "王强", "陈静", "刘洋")


def _org(**address: object) -> Organisation:
    config = ORG.config.model_copy(update={"address": AddressConfig.model_validate(address)})
    return ORG.model_copy(update={"config": config})


def _record(kind: CaseKind) -> CaseRecord:
    return next(r for r in YEAR.cases if r.case.kind is kind and r.reply is not None)


def _case(kind: CaseKind, proposers: list[Proposer]) -> Case:
    return _record(kind).case.model_copy(update={"proposers": tuple(proposers)})


def _role(kind: CaseKind) -> str:
    return "代表" if kind is CaseKind.SUGGESTION else "委员"


@pytest.mark.parametrize("kind", list(CaseKind))
@pytest.mark.parametrize("named", range(1, 7))
@pytest.mark.parametrize("unnamed", [0, 2])
@pytest.mark.parametrize("mode", ["lead_count", "lead", "each"])
def test_persons(kind: CaseKind, named: int, unnamed: int, mode: str) -> None:
    people = [Proposer(name=n) for n in NAMES[:named]]
    people[0] = people[0].model_copy(update={"unnamed_cosigners": unnamed})
    case = _case(kind, people)
    org = _org(joint=mode)
    role = _role(kind)
    total = named + unnamed
    assert people_count(case) == total
    text = proposer_salutation(case, org)
    if total == 1:
        assert text == f"张建国{role}："
    elif mode == "lead_count":
        assert text == f"张建国等{total}位{role}："
    elif mode == "lead":
        assert text == f"张建国等{role}："
    else:
        first = f"张建国等{total - named + 1}位{role}" if unnamed else f"张建国{role}"
        assert text == "、".join([first] + [f"{n}{role}" for n in NAMES[1:named]]) + "："
    you = proposer_pronoun(case, org)
    assert you == ("您" if total == 1 else "你们")
    rec = _record(kind)
    assert rec.reply is not None
    assert reply_closing(case, rec.reply, org).startswith(f"感谢{you}对{org.self_name}")
    # the printed salutation passes the salutation rules (GW307 colon, GW308 names)
    findings = check_record(CaseRecord(case=case, reply=rec.reply), org, today=TODAY)
    assert not {"GW307", "GW308"} & {f.code for f in findings}


@pytest.mark.parametrize(
    ("name", "pronoun"),
    [
        ("中国民主同盟东江市临湖区委员会", "贵委"),
        ("民建临湖区基层委员会", "贵委"),
        ("九三学社临湖区委", "贵委"),
        ("临湖区工商业联合会", "贵会"),
        ("临湖区青年商会", "贵会"),
        ("区政协经济界别", "你们"),
        ("区人大代表第三小组", "你们"),
        ("临湖区农业农村局", "贵单位"),
    ],
)
@pytest.mark.parametrize("kind", list(CaseKind))
def test_collective_alone(name: str, pronoun: str, kind: CaseKind) -> None:
    case = _case(kind, [Proposer(name=name, type="collective")])
    assert collective_pronoun(case.lead, ORG) == pronoun
    assert proposer_pronoun(case, ORG) == pronoun
    assert proposer_salutation(case, ORG) == f"{name}："
    rec = _record(kind)
    assert rec.reply is not None
    closing = reply_closing(case, rec.reply, ORG)
    assert closing.startswith(f"感谢{pronoun}对") and "您" not in closing
    # configured: one word for every collective
    assert proposer_pronoun(case, _org(collective="贵单位")) == "贵单位"


@pytest.mark.parametrize("persons", [1, 3])
@pytest.mark.parametrize("collective_first", [True, False])
def test_collective_with_persons(persons: int, collective_first: bool) -> None:
    party = Proposer(name="民建临湖区基层委员会", type="collective")
    people = [Proposer(name=n) for n in NAMES[:persons]]
    order = [party, *people] if collective_first else [*people, party]
    case = _case(CaseKind.PROPOSAL, order)
    text = proposer_salutation(case, ORG)
    who = "张建国委员" if persons == 1 else f"张建国等{persons}位委员"
    parts = [party.name, who] if collective_first else [who, party.name]
    assert text == "、".join(parts) + "："
    assert proposer_pronoun(case, ORG) == "你们"  # more than one addressee


def test_several_collectives_are_each_named() -> None:
    a = Proposer(name="民建临湖区基层委员会", type="collective")
    b = Proposer(name="临湖区工商业联合会", type="collective")
    case = _case(CaseKind.PROPOSAL, [a, b])
    for mode in ("lead_count", "lead", "each"):
        assert proposer_salutation(case, _org(joint=mode)) == f"{a.name}、{b.name}："
    assert proposer_pronoun(case, ORG) == "你们"


def test_given_salutation_and_opinions_are_kept() -> None:
    rec = _record(CaseKind.PROPOSAL)
    assert rec.reply is not None
    case = _case(CaseKind.PROPOSAL, [Proposer(name=n) for n in NAMES[:3]])
    given = rec.reply.model_copy(update={"salutation": "张建国委员、李明华委员、赵丽委员："})
    assert reply_salutation(case, given, ORG) == "张建国委员、李明华委员、赵丽委员："
    findings = check_record(CaseRecord(case=case, reply=given), ORG, today=TODAY)
    assert "GW308" not in {f.code for f in findings}
    missing = rec.reply.model_copy(update={"salutation": "张建国委员、李明华委员："})
    findings = check_record(CaseRecord(case=case, reply=missing), ORG, today=TODAY)
    assert "GW308" in {f.code for f in findings}  # a listed salutation must name everyone


def test_configuration_is_validated() -> None:
    with pytest.raises(ValueError):
        AddressConfig.model_validate({"joint": "all"})
    assert AddressConfig().joint == "lead_count"
