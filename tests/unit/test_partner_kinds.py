"""会办 vs 协办 for a lead case's partners: ``Case.joint_units`` (the 会办 ones among
``co_units``), the ledger column 会办单位, the feedback form's units row, the statistics.

Hand count for :func:`test_stats`: 提案1 主办, partners 区财政局 (会办) and 区交通局 (协办);
提案2 主办, partners 区财政局 and 区住建局 (both 会办); 提案3 主办, partner 区交通局 (协办);
提案4 协办 as 会办 (this unit's own role). → lead cases with a 会办 partner 2, 会办 partners
1 + 2 = 3 (单位次); this unit's own 会办 1 (``joint_assist``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gongwen import HandlingYear, Organisation
from gongwen.documents.feedback import units
from gongwen.documents.report import report_context
from gongwen.ledger import load_ledger, write_ledger
from gongwen.ledger.columns import column_for
from gongwen.models.case import Case
from gongwen.models.enums import AssistKind
from gongwen.stats import compute_stats

PROPOSAL = {"body": "政协", "level": "区", "term": 12, "meeting": 3}


def _case(number: int = 1, role: str = "主办", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "提案",
        "number": number,
        "title": f"关于第{number}号事项的提案",
        "session": PROPOSAL,
        "proposers": [{"name": f"提出人{number}"}],
        "assigned_date": "2024-03-15",
        "role": role,
        **extra,
    }


def test_model() -> None:
    c = Case.model_validate(_case(co_units=["区财政局", "区交通局"], joint_units=["区财政局"]))
    assert c.partner_kind("区财政局") is AssistKind.JOINT
    assert c.partner_kind("区交通局") is AssistKind.ASSIST
    assert c.assist_units == ("区交通局",)
    # a 会办 unit not listed among the partners is added after them
    c = Case.model_validate(_case(co_units=["区交通局"], joint_units=["区财政局"]))
    assert (c.co_units, c.joint_units) == (("区交通局", "区财政局"), ("区财政局",))
    assert Case.model_validate(c.model_dump()) == c  # round trip
    plain = Case.model_validate(_case(co_units=["区交通局"]))
    assert (plain.joint_units, plain.partner_kind("区交通局")) == ((), AssistKind.ASSIST)
    with pytest.raises(ValueError, match="不能填写会办单位"):
        Case.model_validate(_case(role="协办", lead_unit="区发改局", joint_units=["区财政局"]))
    with pytest.raises(ValueError, match="重复"):
        Case.model_validate(_case(joint_units=["区财政局", "区财政局"]))


def test_form_names_each_partners_kind(example_org: Organisation) -> None:
    mixed = Case.model_validate(_case(co_units=["区财政局", "区交通局"], joint_units=["区财政局"]))
    assert units(mixed, example_org)[2:] == ("会办、协办单位", "区财政局（会办）、区交通局（协办）")
    joint = Case.model_validate(_case(joint_units=["区财政局", "区住建局"]))
    assert units(joint, example_org)[2:] == ("会办单位", "区财政局、区住建局")
    plain = Case.model_validate(_case(co_units=["区交通局"]))
    assert units(plain, example_org)[2:] == ("协办单位", "区交通局")  # as before
    alone = Case.model_validate(_case())
    assert units(alone, example_org)[2:] == ("协办单位", "无")


def _year() -> HandlingYear:
    cases = [
        _case(1, co_units=["区财政局", "区交通局"], joint_units=["区财政局"]),
        _case(2, joint_units=["区财政局", "区住建局"]),
        _case(3, co_units=["区交通局"]),
        _case(4, "协办", lead_unit="区发改局", assist_kind="会办"),
    ]
    return HandlingYear.model_validate({"year": 2024, "cases": [{"case": c} for c in cases]})


def test_stats(example_org: Organisation) -> None:
    s = compute_stats(_year(), example_org.config)
    assert (s.lead, s.assist, s.joint_led, s.joint_partners, s.joint_assist) == (3, 1, 2, 3, 1)
    assert [k.joint_led for k in s.by_kind] == [2]
    ctx = report_context(_year(), example_org, report_date=date(2024, 12, 20))
    rows = {r["label"]: r["cols"] for r in ctx["count_rows"]}
    assert rows["　　　（有会办单位）"] == [0, 2, 2]
    assert rows["　　　（协办中会办）"] == [0, 1, 1]


def test_ledger_column(tmp_path: Path) -> None:
    col = column_for("会办单位")
    assert col is not None and col.key == "joint_units"
    coop = column_for("协办单位")
    assert coop is not None and coop.key == "co_units"
    path = write_ledger(_year(), tmp_path / "台账.csv")
    head = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "会办单位" in head
    result = load_ledger(path)
    assert result.ok, [p.message for p in result.errors]
    got = [(r.case.co_units, r.case.joint_units) for _, r in result.records]
    assert got == [
        (("区财政局", "区交通局"), ("区财政局",)),
        (("区财政局", "区住建局"), ("区财政局", "区住建局")),
        (("区交通局",), ()),
        ((), ()),
    ]
    # a ledger with only a 会办单位 column: its units are the partners, all 会办
    only = tmp_path / "只有会办.csv"
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    heads = lines[0].split(",")
    drop = heads.index("协办单位")
    only.write_text(
        "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines
        ),
        encoding="utf-8-sig",
    )
    again = load_ledger(only)
    assert [r.case.co_units for _, r in again.records][:2] == [
        ("区财政局",),
        ("区财政局", "区住建局"),
    ]


def test_ledger_refuses_joint_units_on_an_assist_row(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text(
        "届次,案号,案由,提案人,办理类型,主办单位,会办单位,交办日期\n"
        "区政协十二届三次会议,4,关于第4号事项的提案,提出人4,协办,区发改局,区财政局,2024-03-15\n",
        encoding="utf-8-sig",
    )
    result = load_ledger(path)
    assert [(p.row, p.header) for p in result.errors] == [(2, "会办单位")]
    assert "不能填写会办单位" in result.errors[0].message
