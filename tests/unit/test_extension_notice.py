"""The extension notice (延期办理告知函): wording, 发文字号, checks, plan, API and batch path."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from gongwen import CheckFailed, HandlingYear, Organisation
from gongwen.api import render_extension_notice, render_planned
from gongwen.checks import check_record
from gongwen.cli import app
from gongwen.documents.extension import (
    ExtensionNotice,
    approving_office,
    extension_body,
    extension_context,
    extension_title,
    notice_copy_to,
    planned_notice,
    with_notice,
)
from gongwen.documents.plan import DocKind, case_documents
from gongwen.errors import ArgumentError, DocumentError
from gongwen.findings import Severity
from gongwen.models.case import Case
from gongwen.models.config import CopyToConfig
from gongwen.models.enums import Body, HandlingRole
from gongwen.models.year import CaseRecord
from gongwen.verify import verify
from tests.conftest import EXAMPLES, TODAY
from tests.conftest import record_by_label as _record

REASON = "涉及专项资金管理办法修订，需会同区财政局研究"
LATE, AFTER_NEW = "GW290", "GW291"
#: 提案008 was assigned 2024-03-15 with the default 3-month limit: due 2024-06-15.
DEADLINE = date(2024, 6, 15)
NEW_DATE = date(2024, 8, 15)


def _extended(year: HandlingYear, label: str = "提案008", **more: object) -> CaseRecord:
    rec = _record(year, label)
    data = {**rec.case.model_dump(), "extended_to": NEW_DATE, "extension_reason": REASON, **more}
    return rec.model_copy(update={"case": Case.model_validate(data)})


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_wording(example_year: HandlingYear, example_org: Organisation) -> None:
    case = _extended(example_year).case
    assert case.deadline(example_org.config) == DEADLINE
    assert extension_title(case) == "关于区政协十二届三次会议第8号提案延期办理的告知函"
    assert approving_office(case) == "区政协提案委员会"
    assert extension_body(case, example_org) == (
        "你们提出的《关于加大中小企业数字化转型扶持力度的提案》（第8号）原定于2024年6月15日"
        "前答复。因涉及专项资金管理办法修订，需会同区财政局研究，经商区政协提案委员会同意，"
        "延期至2024年8月15日前答复。我局将抓紧办理，不便之处，敬请谅解。"
    )


def test_wording_for_one_deputy_and_a_collective(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    suggestion = next(
        r.case
        for r in example_year.cases
        if r.case.kind.value == "建议" and not r.case.co_signed and r.case.role.value == "主办"
    )
    case = suggestion.model_copy(
        update={"extended_to": date(2024, 12, 1), "extension_reason": "由于需要实地调研。"}
    )
    assert approving_office(case) == "区人大常委会"
    body = extension_body(case, example_org)
    assert body.startswith("您提出的《")
    assert (
        "。因需要实地调研，经商区人大常委会同意" in body
    )  # "由于" and the full stop are not doubled
    ctx = extension_context(case, ExtensionNotice(date(2024, 5, 1)), example_org)
    assert ctx["closing"] == "感谢您对我局工作的理解和支持。"
    collective = _extended(example_year, "提案015").case
    assert extension_body(collective, example_org).startswith("贵委提出的《")
    assert (
        extension_context(collective, ExtensionNotice(date(2024, 5, 1)), example_org)["closing"]
        == "感谢贵委对我局工作的理解和支持。"
    )


def test_doc_number_on_the_marks_line(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    case = _extended(example_year).case
    blank = extension_context(case, ExtensionNotice(date(2024, 6, 10)), example_org)
    # the example organisation prints class marks on the left, so the number on the right
    assert example_org.config.class_mark_side == "left"
    assert (blank["mark_left"], blank["mark_right"]) == ("", "临经信函〔2024〕  号")
    given = extension_context(
        case, ExtensionNotice(date(2024, 6, 10), doc_number="临经信函[2024]9号"), example_org
    )
    assert given["mark_right"] == "临经信函〔2024〕9号"  # normalised brackets
    assert given["date"] == "2024年6月10日"
    assert given["note"] == "（联系人：王晓燕，联系电话：0574-87654321）"
    assert given["copy_to"] == "区人大常委会代表工作委员会，区政协提案委员会，区政府办公室。"
    own = extension_context(
        case,
        ExtensionNotice(date(2024, 6, 10), body="另行说明。", closing="", copy_to=()),
        example_org,
    )
    assert own["body"] == [{"kind": "p", "head": "", "text": "另行说明。", "anchor": True}]
    assert (own["closing"], own["copy_to"]) == ("", "")


def _notice_findings(case: Case, notice: ExtensionNotice, org: Organisation) -> list[str]:
    """The codes the case rules give on ``case`` with ``notice`` recorded (GW290, GW291)."""
    found = check_record(CaseRecord(case=with_notice(case, notice)), org, today=TODAY)
    return [f"{f.code}:{f.severity.value}" for f in found if f.code in (LATE, AFTER_NEW)]


def test_notice_dated_after_the_original_deadline(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    case = _extended(example_year).case
    assert _notice_findings(case, ExtensionNotice(DEADLINE), example_org) == []
    late = check_record(
        CaseRecord(case=with_notice(case, ExtensionNotice(date(2024, 6, 20)))),
        example_org,
        today=TODAY,
    )
    [found] = [f for f in late if f.code == LATE]
    assert (found.severity, found.path) == (Severity.WARNING, "case.extension_notice.date")
    assert "晚于原办理期限2024年6月15日（逾期5天）" in found.message
    assert _notice_findings(case, ExtensionNotice(NEW_DATE), example_org) == [
        "GW290:warning",
        "GW291:error",
    ]
    doc = render_extension_notice(
        case, ExtensionNotice(date(2024, 6, 20)), example_org, today=TODAY
    )
    assert [f.code for f in doc.findings] == [LATE]
    with pytest.raises(CheckFailed) as exc:
        render_extension_notice(case, ExtensionNotice(NEW_DATE), example_org, today=TODAY)
    assert AFTER_NEW in {f.code for f in exc.value.findings}
    # the rules check the notice given, not one the case records
    recorded = with_notice(case, ExtensionNotice(NEW_DATE))
    fine = render_extension_notice(recorded, ExtensionNotice(DEADLINE), example_org, today=TODAY)
    assert fine.findings == ()

    # configured off, or as an error
    def checks(**changes: object) -> Organisation:
        cfg = example_org.config
        return example_org.model_copy(
            update={
                "config": cfg.model_copy(update={"checks": cfg.checks.model_copy(update=changes)})
            }
        )

    assert (
        _notice_findings(case, ExtensionNotice(date(2024, 6, 20)), checks(disabled=(LATE,))) == []
    )
    strict = checks(severity={LATE: "error"})
    assert _notice_findings(case, ExtensionNotice(date(2024, 6, 20)), strict) == ["GW290:error"]


def test_case_rules_run_first(example_year: HandlingYear, example_org: Organisation) -> None:
    no_reason = _extended(example_year, extension_reason=None).case
    with pytest.raises(CheckFailed) as exc:
        render_extension_notice(
            no_reason, ExtensionNotice(date(2024, 6, 1)), example_org, today=TODAY
        )
    assert "GW208" in {f.code for f in exc.value.findings}


def test_refused_without_extension_or_for_a_co_handler(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    plain = _record(example_year, "提案008").case
    with pytest.raises(DocumentError, match="未延期办理"):
        render_extension_notice(plain, ExtensionNotice(date(2024, 6, 1)), example_org)
    assisted = next(r for r in example_year.cases if r.case.role is HandlingRole.ASSIST)
    case: Case = assisted.case.model_copy(
        update={"extended_to": date(2024, 12, 1), "extension_reason": REASON}
    )
    with pytest.raises(DocumentError, match="主办单位"):
        render_extension_notice(case, ExtensionNotice(date(2024, 5, 1)), example_org)


def test_rendered_notice(example_year: HandlingYear, example_org: Organisation) -> None:
    case = _extended(example_year).case
    doc = render_extension_notice(
        case, ExtensionNotice(date(2024, 6, 10), "临经信函〔2024〕9号"), example_org, today=TODAY
    )
    assert doc.name == "提案008-延期办理告知函.docx"
    assert doc.kind == "延期办理告知函"
    assert doc.findings == ()
    texts = _paragraphs(doc.data)
    assert "关于区政协十二届三次会议\n第8号提案延期办理的告知函" in texts
    assert "张建国等3位委员：" in texts
    assert "感谢你们对我局工作的理解和支持。" in texts
    assert "2024年6月10日" in texts
    assert any("临经信函〔2024〕9号" in t for t in texts)
    assert [f for f in verify(doc.data) if f.severity is Severity.ERROR] == []


def test_plan_yields_the_recorded_notice_before_the_reply(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    unrecorded = _extended(example_year)
    # extended, but no notice recorded: nothing is made up (GW292 warns instead)
    assert [d.kind for d in case_documents(unrecorded, ("replies",))] == [DocKind.REPLY]
    with pytest.raises(DocumentError, match="未录入延期办理告知函"):
        planned_notice(unrecorded.case, example_org)
    rec = _extended(
        example_year,
        extension_notice={"date": date(2024, 6, 10), "doc_number": "临经信函〔2024〕9号"},
    )
    planned = case_documents(rec, ("replies",))
    assert [(d.kind, d.name) for d in planned] == [
        (DocKind.EXTENSION, "提案008-延期办理告知函.docx"),
        (DocKind.REPLY, "提案008-答复.docx"),
    ]
    assert planned[0].group == "replies"
    assert [d.kind for d in case_documents(_record(example_year, "提案008"), ("replies",))] == [
        DocKind.REPLY
    ]
    assert DocKind.EXTENSION not in {d.kind for d in case_documents(rec, ("forms",))}
    # the batch's path: the recorded date and 发文字号
    doc = render_planned(rec, planned[0], example_org, today=TODAY)
    assert doc.name == "提案008-延期办理告知函.docx"
    assert doc.findings == ()
    texts = _paragraphs(doc.data)
    assert "2024年6月10日" in texts and "2024年6月15日" not in texts
    assert any("临经信函〔2024〕9号" in t for t in texts)


def test_notice_planned_before_any_reply(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _extended(example_year, extension_notice={"date": date(2024, 6, 10)})
    waiting = CaseRecord.model_validate(
        {**rec.model_dump(), "reply": None, "feedback": [], "rehandling": None, "follow_ups": []}
    )
    planned = case_documents(waiting)
    assert [(d.kind, d.reply) for d in planned] == [(DocKind.EXTENSION, None)]
    doc = render_planned(waiting, planned[0], example_org, today=date(2024, 6, 12))
    texts = _paragraphs(doc.data)
    assert "2024年6月10日" in texts
    assert any("临经信函〔2024〕  号" in t for t in texts)  # no number recorded: serial blank
    # a plan of forms or of a co-opinion never renders without a reply
    with pytest.raises(DocumentError, match="尚无答复"):
        render_planned(waiting, replace(planned[0], kind=DocKind.REPLY), example_org)


def test_recorded_text_is_used(example_year: HandlingYear, example_org: Organisation) -> None:
    rec = _extended(
        example_year,
        extension_notice={"date": date(2024, 6, 10), "body": "另行说明。", "closing": ""},
    )
    notice = planned_notice(rec.case, example_org)
    assert (notice.date, notice.body, notice.closing) == (date(2024, 6, 10), "另行说明。", "")
    ctx = extension_context(rec.case, notice, example_org)
    assert ctx["body"] == [{"kind": "p", "head": "", "text": "另行说明。", "anchor": True}]
    assert ctx["closing"] == ""
    # and back: the API's notice as the case records it
    again = ExtensionNotice(date(2024, 6, 10), "临经信函[2024]9号", body="", closing="谢谢。")
    recorded = again.recorded()
    assert (str(recorded.doc_number), recorded.body, recorded.closing) == (
        "临经信函〔2024〕9号",
        None,
        "谢谢。",
    )


def test_co_handler_plans_no_notice(example_year: HandlingYear) -> None:
    assisted = next(r for r in example_year.cases if r.case.role is HandlingRole.ASSIST)
    case = assisted.case.model_copy(
        update={"extended_to": date(2024, 12, 1), "extension_reason": REASON}
    )
    rec = assisted.model_copy(update={"case": case})
    assert [d.kind for d in case_documents(rec)] == [DocKind.CO_OPINION]


def test_cli_extension(example_year: HandlingYear, cli_runner: CliRunner, tmp_path: Path) -> None:
    rec = _extended(example_year)
    case_file = tmp_path / "提案008.json"
    case_file.write_text(rec.model_dump_json(), encoding="utf-8")
    org = str(EXAMPLES / "organisation.yaml")
    out = tmp_path / "out"
    args = ["extension", str(case_file), "--org", org, "--out", str(out), "--date", "2024-06-10"]
    result = cli_runner.invoke(app, [*args, "--doc-number", "临经信函〔2024〕9号"])
    assert result.exit_code == 0, result.output
    written = out / "提案008-延期办理告知函.docx"
    assert any("临经信函〔2024〕9号" in t for t in _paragraphs(written.read_bytes()))
    again = cli_runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    bad = cli_runner.invoke(app, [*args, "--force", "--doc-number", "九号"])
    assert bad.exit_code == 2 and "发文字号格式" in bad.output
    late = cli_runner.invoke(app, [*args[:-1], "2024-08-15", "--force"])
    assert late.exit_code == 1 and LATE in late.output and AFTER_NEW in late.output


def test_copy_to_by_body_and_kind(example_year: HandlingYear, example_org: Organisation) -> None:
    case = _extended(example_year).case
    config = example_org.config.model_copy(
        update={
            "copy_to": CopyToConfig(
                by_body={Body.CPPCC: ("区政协办公室",), Body.NPC: ("区人大办公室",)},
                by_document={"延期办理告知函": ("区政府督查室", "区政协提案委员会")},
            )
        }
    )
    org = example_org.model_copy(update={"config": config})
    assert notice_copy_to(case, ExtensionNotice(date(2024, 6, 1)), org) == (
        "区人大常委会代表工作委员会",
        "区政协提案委员会",
        "区政府办公室",
        "区政协办公室",
        "区政府督查室",
    )


def test_notice_arguments() -> None:
    with pytest.raises(ArgumentError, match="发文字号格式"):
        ExtensionNotice(date(2024, 6, 1), "九号")
    with pytest.raises(ArgumentError, match="日期"):
        ExtensionNotice("2024-06-01")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="closing：「告知函结束语」过长"):
        ExtensionNotice(date(2024, 6, 1), closing="谢" * 201).recorded()
