"""GW403/GW404 name each partner unit as it takes part: 会办单位 (``case.joint_units``) are called
会办, the others 协办 (:meth:`gongwen.models.Case.partner_kind`)."""

from __future__ import annotations

from typing import Any

from gongwen.checks import Finding, check_record
from gongwen.models import CaseRecord
from tests.conftest import TODAY, load_example_org, load_example_year, record_by_label

ORG = load_example_org()
P8 = record_by_label(load_example_year(), "提案008")  # 主办; 区商务局 the one partner
OPINION = "区商务局将电子商务应用纳入中小企业数字化改造补助范围，进一步扩大政策覆盖面。"


def _edit(*, case: dict[str, Any] | None = None, reply: dict[str, Any] | None = None) -> CaseRecord:
    data = P8.model_dump()
    data["case"] = {**data["case"], **(case or {})}
    data["reply"] = {**data["reply"], **(reply or {})}
    return CaseRecord.model_validate(data)


def _messages(record: CaseRecord, code: str) -> list[str]:
    found: list[Finding] = check_record(record, ORG, today=TODAY)
    return [f.message for f in found if f.code == code]


def _without_partner(record: CaseRecord) -> CaseRecord:
    """The reply body with every mention of 区商务局 replaced."""
    assert record.reply is not None
    return _edit(
        case=record.case.model_dump(),
        reply={"body": record.reply.body.replace("区商务局", "有关部门")},
    )


def test_gw403_calls_a_joint_partner_huiban() -> None:
    joint = _edit(case={"joint_units": ["区商务局"]})
    assert joint.case.co_units == ("区商务局",)
    (msg,) = _messages(_without_partner(joint), "GW403")
    assert "区商务局会办" in msg and "协办" not in msg


def test_gw403_keeps_xieban_for_an_assisting_partner() -> None:
    (msg,) = _messages(_without_partner(P8), "GW403")
    assert "区商务局协办" in msg and "会办" not in msg


def test_gw403_mixed_partners_each_by_kind() -> None:
    mixed = _edit(case={"co_units": ["区商务局", "区文旅局"], "joint_units": ["区文旅局"]})
    msgs = _messages(mixed, "GW403")
    assert any("本案由区商务局协办，区文旅局会办" in m for m in msgs), msgs


def test_gw403_opinion_not_stated_names_the_kind() -> None:
    assert P8.reply is not None and OPINION in P8.reply.body
    bare = _edit(
        case={"joint_units": ["区商务局"]}, reply={"body": P8.reply.body.replace(OPINION, "")}
    )
    (msg,) = _messages(bare, "GW403")
    assert "未写明其意见" in msg and "说明会办单位的意见" in msg and "协办" not in msg


def test_gw404_missing_opinion_of_a_joint_partner() -> None:
    joint = _edit(case={"joint_units": ["区商务局"]}, reply={"co_opinions": []})
    assert _messages(joint, "GW404") == ["未记录区商务局的会办意见"]
    assisting = _edit(reply={"co_opinions": []})
    assert _messages(assisting, "GW404") == ["未记录区商务局的协办意见"]


def test_gw404_mixed_partners() -> None:
    mixed = _edit(
        case={"co_units": ["区商务局", "区财政局", "区科技局"], "joint_units": ["区财政局"]},
        reply={"co_opinions": []},
    )
    assert _messages(mixed, "GW404") == ["未记录区商务局、区科技局的协办意见，区财政局的会办意见"]
