"""Every bad argument of the public API gives a typed error with a Chinese message."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import gongwen
from gongwen import ArgumentError, GongwenError, HandlingYear, Organisation
from gongwen.verify import verify as _verify  # ``gongwen.verify`` may be the subpackage
from tests.conftest import TODAY, load_example_org, load_example_year

YEAR = load_example_year()
ORG = load_example_org()
REC = YEAR.cases[0]
CASE, REPLY = REC.case, REC.reply
assert REPLY is not None
PERSON = CASE.proposers[0]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _all(source: Any, *args: Any, **kw: Any) -> list[Any]:
    return list(G.render_all(source, *args, **kw))


#: The public API, untyped: the calls below are wrong on purpose.
G: Any = gongwen
verify_docx: Any = _verify


CALLS: list[tuple[str, Callable[[], Any]]] = [
    ("render_reply(case=1)", lambda: G.render_reply(1, REPLY, ORG)),
    ("render_reply(reply=str)", lambda: G.render_reply(CASE, "x", ORG)),
    ("render_reply(org=dict)", lambda: G.render_reply(CASE, REPLY, {})),
    ("render_reply(variant)", lambda: G.render_reply(CASE, REPLY, ORG, variant="fax")),
    ("render_reply(today=str)", lambda: G.render_reply(CASE, REPLY, ORG, today="2024")),
    (
        "render_reply(today=datetime)",
        lambda: G.render_reply(CASE, REPLY, ORG, today=datetime(2024, 1, 1)),
    ),
    ("render_reply(check=str)", lambda: G.render_reply(CASE, REPLY, ORG, check="no")),
    ("render_reply(verify=1)", lambda: G.render_reply(CASE, REPLY, ORG, verify=1)),
    ("render_reply(template=1)", lambda: G.render_reply(CASE, REPLY, ORG, template=1)),
    ("render_co_opinion(case=None)", lambda: G.render_co_opinion(None, REPLY, ORG)),
    ("render_co_opinion(today=1)", lambda: G.render_co_opinion(CASE, REPLY, ORG, today=1)),
    (
        "render_feedback_form(proposer=str)",
        lambda: G.render_feedback_form(CASE, REPLY, ORG, "张三"),
    ),
    (
        "render_feedback_form(feedback=str)",
        lambda: G.render_feedback_form(CASE, REPLY, ORG, PERSON, "满意"),
    ),
    (
        "render_feedback_form(org=None)",
        lambda: G.render_feedback_form(CASE, REPLY, None, PERSON),
    ),
    (
        "render_feedback_form(check=None)",
        lambda: G.render_feedback_form(CASE, REPLY, ORG, PERSON, check=None),
    ),
    ("render_feedback_forms(record=case)", lambda: G.render_feedback_forms(CASE, ORG)),
    (
        "render_feedback_forms(filled=str)",
        lambda: G.render_feedback_forms(REC, ORG, filled="yes"),
    ),
    ("render_feedback_forms(org=str)", lambda: G.render_feedback_forms(REC, "org.yaml")),
    (
        "render_annual_report(year=list)",
        lambda: G.render_annual_report(list(YEAR.cases), ORG),
    ),
    ("render_annual_report(org=str)", lambda: G.render_annual_report(YEAR, "org")),
    (
        "render_annual_report(narrative=bytes)",
        lambda: G.render_annual_report(YEAR, ORG, b"x"),
    ),
    ("render_annual_report(chart=str)", lambda: G.render_annual_report(YEAR, ORG, chart="y")),
    (
        "render_annual_report(doc_number=int)",
        lambda: G.render_annual_report(YEAR, ORG, doc_number=5),
    ),
    (
        "render_annual_report(report_date=str)",
        lambda: G.render_annual_report(YEAR, ORG, report_date="2024-12-31"),
    ),
    (
        "render_annual_report(left_out=-1)",
        lambda: G.render_annual_report(YEAR, ORG, left_out=-1),
    ),
    ("render_all(source=int)", lambda: _all(5, ORG)),
    ("render_all(source=[str])", lambda: _all(["a"], ORG)),
    ("render_all(org=int)", lambda: _all(YEAR, 5)),
    ("render_all(out_dir=int)", lambda: _all(YEAR, ORG, 5)),
    ("render_all(what=int)", lambda: _all(YEAR, ORG, what=5)),
    ("render_all(what=unknown)", lambda: _all(YEAR, ORG, what={"letters"})),
    ("render_all(workers=str)", lambda: _all(YEAR, ORG, workers="2")),
    ("render_all(workers=-1)", lambda: _all(YEAR, ORG, workers=-1)),
    ("render_all(force=str)", lambda: _all(YEAR, ORG, force="yes")),
    ("render_all(merge=1)", lambda: _all(YEAR, ORG, merge=1)),
    ("render_all(today=str)", lambda: _all(YEAR, ORG, today="2024-12-31")),
    ("render_all(narrative=int)", lambda: _all(YEAR, ORG, narrative=5)),
    ("render_all(bodies=int)", lambda: _all(YEAR, ORG, bodies=5)),
    ("render_all(sheet=int)", lambda: _all(YEAR, ORG, sheet=1)),
    ("render_all(allow_partial=str)", lambda: _all(YEAR, ORG, allow_partial="y")),
    ("load_year(int)", lambda: G.load_year(5)),
    ("load_year(None)", lambda: G.load_year(None)),
    ("load_organisation(int)", lambda: G.load_organisation(5)),
    ("load_organisation(dict)", lambda: G.load_organisation({})),
    ("load_record(list)", lambda: G.load_record([])),
    ("load_record(bytes)", lambda: G.load_record(b"x")),
    ("load_ledger(int)", lambda: G.load_ledger(5)),
    ("load_ledger(None)", lambda: G.load_ledger(None)),
    ("load_ledger(organisation=str)", lambda: G.load_ledger("x.csv", organisation="org")),
    ("load_ledger(bodies=int)", lambda: G.load_ledger("x.csv", bodies=5)),
    ("verify(int)", lambda: verify_docx(5)),
    ("verify(None)", lambda: verify_docx(None)),
    ("verify(list)", lambda: verify_docx([])),
    ("verify(config=str)", lambda: verify_docx(b"PK", "strict")),
    ("merge_letters(int)", lambda: G.merge_letters(5)),
    ("merge_letters(str)", lambda: G.merge_letters("abc")),
    ("merge_letters([int])", lambda: G.merge_letters([5])),
    ("merge_letters(path=int)", lambda: G.merge_letters([b"x"], 5)),
    ("load_ledger(sheet=int)", lambda: G.load_ledger("x.csv", sheet=1)),
]


@pytest.mark.parametrize("call", [c for _, c in CALLS], ids=[n for n, _ in CALLS])
def test_wrong_arguments_raise_a_typed_chinese_error(call: Callable[[], Any]) -> None:
    with pytest.raises(GongwenError) as info:
        call()
    assert isinstance(info.value, ArgumentError), type(info.value)
    assert CHINESE.search(str(info.value)), str(info.value)
    assert info.value.argument


def test_right_arguments_still_work(tmp_path: Path) -> None:
    assert isinstance(YEAR, HandlingYear) and isinstance(ORG, Organisation)
    doc = G.render_reply(CASE, REPLY, ORG, today=TODAY)
    assert doc.data[:2] == b"PK"
