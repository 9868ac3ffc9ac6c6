"""The annual report prints what the model holds: 会办, 并案, 跟踪答复, 平台上传 — only when there
are some, each with its counting basis.

The year of :func:`_year`, counted by hand:

=======  ============================================================================
提案1     主办, A, 并案 5 and 6, a 跟踪答复 (uploaded), first reply uploaded
提案2     主办, B, a 跟踪答复 (not uploaded), first reply uploaded
提案3     协办 as 会办, opinion sent
提案4     协办, opinion sent, uploaded
建议1     主办, A, 并案 3
=======  ============================================================================

5 cases (建议1, 提案4); 主办 3, 协办 2 of which 会办 1; 跟踪答复 2 (提案1, 提案2); uploaded by the
latest reply 2 of 5 replied (提案1's 跟踪答复, 提案4's opinion; 提案2's latest is its 跟踪答复,
not uploaded); 并案 3 numbers (提案 2, 建议 1), not counted in the 5.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongwen import HandlingYear, Organisation
from gongwen.documents.report import report_context
from gongwen.stats import compute_stats
from gongwen.summary import basis_sentence, summary_sentences

SESSIONS = {
    "建议": {"body": "人大", "level": "区", "term": 16, "meeting": 3},
    "提案": {"body": "政协", "level": "区", "term": 12, "meeting": 3},
}


def _reply(number: int, cls: str | None, when: str, uploaded: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "doc_number": f"临经信函〔2024〕{number}号",
        "result_class": cls,
        "date": when,
        "body": "答复正文。",
        "contacts": [{"date": "2024-05-10", "method": "走访"}] if cls else [],
    }
    if uploaded:
        out["uploaded_on"] = uploaded
    return out


def _case(
    kind: str,
    number: int,
    role: str = "主办",
    *,
    cls: str | None = "A",
    uploaded: str | None = None,
    merged: tuple[int, ...] = (),
    tracking: str | None = None,
    joint: bool = False,
) -> dict[str, Any]:
    case: dict[str, Any] = {
        "kind": kind,
        "number": number,
        "title": f"关于第{number}号事项的{kind}",
        "session": SESSIONS[kind],
        "proposers": [{"name": f"{kind}{number}提出人"}],
        "assigned_date": "2024-03-15",
        "role": role,
    }
    if role == "协办":
        case["lead_unit"] = "区发展和改革局"
        cls = None
    if joint:
        case["assist_kind"] = "会办"
    if merged:
        case["merged"] = list(merged)
    rec: dict[str, Any] = {"case": case, "reply": _reply(number, cls, "2024-05-20", uploaded)}
    if tracking is not None:
        rec["follow_ups"] = [
            {"kind": "跟踪答复", "reply": _reply(number + 50, "A", "2024-10-20", tracking)}
        ]
    return rec


def _year(*records: dict[str, Any]) -> HandlingYear:
    return HandlingYear.model_validate({"year": 2024, "cases": list(records)})


YEAR = (
    _case("提案", 1, uploaded="2024-05-21", merged=(5, 6), tracking="2024-10-21"),
    _case("提案", 2, cls="B", uploaded="2024-05-21", tracking=""),
    _case("提案", 3, "协办", joint=True),
    _case("提案", 4, "协办", uploaded="2024-05-22"),
    _case("建议", 1, merged=(3,)),
)
AS_OF = date(2024, 12, 20)


def test_counts(example_org: Organisation) -> None:
    s = compute_stats(_year(*YEAR), example_org.config, as_of=AS_OF)
    assert (s.total, s.lead, s.assist, s.joint_assist) == (5, 3, 2, 1)
    assert (s.tracked, s.uploaded, s.merged, s.replied.numerator) == (2, 2, 3, 5)
    per_kind = {k.kind.value: (k.joint_assist, k.merged, k.tracked, k.uploaded) for k in s.by_kind}
    assert per_kind == {"建议": (0, 1, 0, 0), "提案": (1, 2, 2, 2)}


def test_sentences(example_org: Organisation) -> None:
    s = compute_stats(_year(*YEAR), example_org.config, as_of=AS_OF)
    text = "".join(summary_sentences(s, example_org))
    assert "按办理类型分，主办3件、协办2件（其中会办1件）。" in text
    assert "另有代表建议1件、委员提案2件与所列案件并案办理、一并答复，未计入承办件数。" in text
    assert "答复后对2件进行了跟踪答复，向代表委员通报办理进展和落实情况。" in text
    assert "已答复的5件中，2件的答复已上传至网上办理平台。" in text
    basis = basis_sentence(s)
    assert "会办件计入协办件" in basis
    assert "上传件数按答复（有后续答复的按最后一次答复）录入的平台上传日期统计" in basis
    assert "有重新办理或跟踪答复的案件按最后一次答复的类别统计" in basis


def test_one_kind_and_all_uploaded(example_org: Organisation) -> None:
    year = _year(
        _case("提案", 1, uploaded="2024-05-21", merged=(5, 6)),
        _case("提案", 2, uploaded="2024-05-21"),
    )
    text = "".join(summary_sentences(compute_stats(year, example_org.config), example_org))
    assert "另有2件委员提案与所列案件并案办理、一并答复，未计入承办件数。" in text
    assert "答复件均已上传至网上办理平台。" in text
    assert "会办" not in text and "跟踪答复" not in text


def test_nothing_new_nothing_said(example_org: Organisation) -> None:
    year = _year(_case("提案", 1), _case("提案", 2, "协办"))
    s = compute_stats(year, example_org.config)
    text = "".join(summary_sentences(s, example_org))
    for word in ("会办", "并案", "跟踪答复", "上传"):
        assert word not in text, word
    ctx = report_context(year, example_org, report_date=AS_OF)
    assert [r["label"] for r in ctx["count_rows"]] == [
        "承办总数",
        "其中：主办",
        "　　　协办",
        "　　　分办",
        "重点件",
    ]


def test_count_table(example_org: Organisation) -> None:
    ctx = report_context(_year(*YEAR), example_org, report_date=AS_OF)
    rows = {r["label"]: r["cols"] for r in ctx["count_rows"]}
    labels = list(rows)
    assert labels.index("　　　（协办中会办）") == labels.index("　　　协办") + 1
    # columns: 建议, 提案, 合计
    assert rows["承办总数"] == [1, 4, 5]
    assert rows["　　　（协办中会办）"] == [0, 1, 1]
    assert rows["跟踪答复件"] == [0, 2, 2]
    assert rows["答复已上传平台"] == [0, 2, 2]
    assert rows["并案（不计入总数）"] == [1, 2, 3]
