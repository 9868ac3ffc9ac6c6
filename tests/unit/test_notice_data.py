"""The extension notice's own data (``case.extension_notice``): the model, the ledger columns
告知函日期 / 告知函文号 (read, refused with row and header, written back), the plan, the batch
and ``gongwen check`` running the notice rules (GW290–GW292) like every other case rule."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pydantic import ValidationError
from typer.testing import CliRunner

from gongwen import HandlingYear, Organisation, render_all
from gongwen.checks import check_record
from gongwen.cli import app
from gongwen.documents.plan import DocKind, case_documents
from gongwen.ledger import load_ledger, write_ledger
from gongwen.ledger.columns import column_for
from gongwen.models.case import Case
from gongwen.models.year import CaseRecord
from tests.conftest import EXAMPLES, TODAY, record_by_label

ORG = str(EXAMPLES / "organisation.yaml")
#: 提案008 was assigned 2024-03-15 with the default 3-month limit: due 2024-06-15.
EXTENSION = {"extended_to": date(2024, 8, 15), "extension_reason": "需会同区财政局研究"}


def _case(year: HandlingYear, label: str = "提案008", **more: Any) -> dict[str, Any]:
    return {**record_by_label(year, label).case.model_dump(), **EXTENSION, **more}


def _record(year: HandlingYear, label: str = "提案008", **more: Any) -> CaseRecord:
    rec = record_by_label(year, label)
    return rec.model_copy(update={"case": Case.model_validate(_case(year, label, **more))})


def _texts(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


# ── the model ──


def test_the_notice_is_kept_with_the_case(example_year: HandlingYear) -> None:
    case = Case.model_validate(
        _case(
            example_year,
            extension_notice={"date": "2024年6月10日", "doc_number": "临经信函[2024]9号"},
        )
    )
    notice = case.extension_notice
    assert notice is not None and notice.date == date(2024, 6, 10)
    assert str(notice.doc_number) == "临经信函〔2024〕9号"
    again = Case.model_validate_json(case.model_dump_json()).extension_notice
    assert again is not None and again.date == notice.date
    assert str(again.doc_number) == "临经信函〔2024〕9号"  # written normalised
    schema = Case.model_json_schema()
    fields = schema["$defs"]["RecordedNotice"]["properties"]
    assert (fields["date"]["title"], fields["doc_number"]["title"]) == ("告知函日期", "告知函文号")
    assert schema["properties"]["extension_notice"]["title"] == "延期办理告知函"


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"extension_notice": {"doc_number": "临经信函〔2024〕9号"}}, "缺少必填项「告知函日期」"),
        ({"extension_notice": {"date": "2024-06-10", "doc_number": "九号"}}, "发文字号格式"),
        ({"extension_notice": {"date": "六月十日"}}, "告知函日期"),
        (
            {"extension_notice": {"date": "2024-06-10"}, "extended_to": None},
            "但未填写延期至（extended_to）",
        ),
    ],
)
def test_bad_notice_data_is_refused_naming_the_field(
    example_year: HandlingYear, more: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message.replace("（", "（").replace("(", r"\(")):
        Case.model_validate(_case(example_year, **more))


def test_a_co_handler_records_no_notice(example_year: HandlingYear) -> None:
    data = _case(example_year, "提案023", extension_notice={"date": "2024-04-10"})
    with pytest.raises(ValidationError, match="延期办理告知函由主办单位发给提案人"):
        Case.model_validate(data)


# ── the rules run wherever the case rules run ──


def test_missing_notice_warns_once_the_original_deadline_has_passed(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _record(example_year)

    def codes(r: CaseRecord, today: date) -> list[str]:
        return [
            f.code for f in check_record(r, example_org, today=today) if f.code.startswith("GW29")
        ]

    assert codes(rec, date(2024, 6, 15)) == []  # may still be sent
    # 提案008 was answered on 2024-05-20, before the original deadline: nothing to announce
    assert codes(rec, TODAY) == []
    assert rec.reply is not None
    late_reply = rec.model_copy(
        update={"reply": rec.reply.model_copy(update={"date": date(2024, 8, 1)})}
    )
    assert codes(late_reply, TODAY) == ["GW292"]
    unanswered = CaseRecord(case=rec.case)
    assert codes(unanswered, date(2024, 6, 15)) == []
    [f] = [
        f
        for f in check_record(unanswered, example_org, today=date(2024, 6, 16))
        if f.code == "GW292"
    ]
    assert f.path == "case.extension_notice"
    assert "原办理期限2024年6月15日已过，尚未录入延期办理告知函" in f.message
    recorded = _record(example_year, extension_notice={"date": date(2024, 6, 14)})
    assert codes(CaseRecord(case=recorded.case), TODAY) == []


# ── the ledger ──


def test_aliases() -> None:
    for header, key in (
        ("告知函日期", "notice_date"),
        ("延期告知函日期", "notice_date"),
        ("extension_notice_date", "notice_date"),
        ("告知函文号", "notice_doc_number"),
        ("延期办理告知函文号", "notice_doc_number"),
        ("告知函发文字号*", "notice_doc_number"),
    ):
        found = column_for(header)
        assert found is not None and found.key == key, header
    found = column_for("文号")  # still the reply's 发文字号
    assert found is not None and found.key == "doc_number"


def _ledger(tmp_path: Path, year: HandlingYear, records: list[CaseRecord]) -> Path:
    rest = [r for r in year.cases if r.case.label not in {x.case.label for x in records}]
    return write_ledger([*records, *rest], tmp_path / "台账.csv")


def test_ledger_round_trip(tmp_path: Path, example_year: HandlingYear) -> None:
    notice = {"date": date(2024, 6, 10), "doc_number": "临经信函〔2024〕9号"}
    blank = {"date": date(2024, 6, 12)}
    records = [
        _record(example_year, extension_notice=notice),
        _record(example_year, "提案015", extension_notice=blank),
    ]
    path = _ledger(tmp_path, example_year, records)
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert {"延期至", "延期理由", "告知函日期", "告知函文号"} <= set(header)
    result = load_ledger(path)
    assert result.ok, [str(p) for p in result.problems]
    read = {r.case.label: r.case for _, r in result.records}
    for rec in records:
        assert read[rec.case.label].extension_notice == rec.case.extension_notice
        assert read[rec.case.label].extended_to == rec.case.extended_to
    # a ledger without extensions has none of these columns (unchanged)
    plain = write_ledger(example_year, tmp_path / "plain.csv")
    assert "告知函日期" not in plain.read_text(encoding="utf-8-sig")


def _rows(tmp_path: Path, year: HandlingYear, rec: CaseRecord) -> list[dict[str, Any]]:
    """The ledger rows (header → cell) of ``year`` with ``rec`` first, as a JSON ledger has."""
    path = _ledger(tmp_path, year, [rec]).with_suffix(".json")
    write_ledger([rec, *(r for r in year.cases if r.case.label != rec.case.label)], path)
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return rows


def _write(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "改过的台账.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_bare_serial_takes_the_unit_code_and_the_notice_year(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _record(example_year, extension_notice={"date": date(2024, 6, 10)})
    rows = _rows(tmp_path, example_year, rec)
    assert "告知函文号" not in rows[0]  # no number recorded: none written
    rows[0]["告知函文号"] = "9"
    result = load_ledger(_write(tmp_path, rows), organisation=example_org)
    first = result.records[0][1].case.extension_notice
    assert first is not None and str(first.doc_number) == "临经信函〔2024〕9号"


def test_bad_notice_cells_name_row_and_header(tmp_path: Path, example_year: HandlingYear) -> None:
    good = {"date": date(2024, 6, 10), "doc_number": "临经信函〔2024〕9号"}
    first = _rows(tmp_path, example_year, _record(example_year, extension_notice=good))[0]
    rows = [
        {**first, "告知函日期": "2024.13.40"},  # a bad date
        {**first, "案号": 9, "告知函文号": "九号"},  # a bad number
        {**first, "案号": 10, "延期至": None, "延期理由": None},  # a notice without extension
        {**first, "案号": 11, "告知函日期": None},  # a number without a date
    ]
    result = load_ledger(_write(tmp_path, rows))
    got = [(p.row, p.header, p.message) for p in result.problems]
    assert [(row, head) for row, head, _ in got] == [
        (1, "告知函日期"),
        (2, "告知函文号"),
        (3, "告知函日期"),
        (4, "告知函日期"),
    ]
    assert "2024.13.40" in got[0][2]
    assert "发文字号格式" in got[1][2] and "九号" in got[1][2]
    assert "「延期至」列" in got[2][2]
    assert "告知函日期" in got[3][2]
    assert result.records == []


def test_check_and_batch_run_the_notice_rules(
    tmp_path: Path, example_year: HandlingYear, cli_runner: CliRunner
) -> None:
    late = {"date": date(2024, 6, 20), "doc_number": "临经信函〔2024〕9号"}
    unanswered = CaseRecord(case=_record(example_year, "提案015").case)
    path = _ledger(
        tmp_path, example_year, [_record(example_year, extension_notice=late), unanswered]
    )
    result = cli_runner.invoke(
        app, ["check", str(path), "--org", ORG, "--today", "2024-12-31", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    found = {(f["code"], f["case"]): f for f in json.loads(result.stdout)["findings"]}
    gw290 = found[("GW290", "提案008")]
    assert (gw290["row"], gw290["header"]) == (2, "告知函日期")
    assert "逾期5天" in gw290["message"]
    gw292 = found[("GW292", "提案015")]
    assert (gw292["row"], gw292["header"]) == (3, "告知函日期")
    assert "「告知函日期」列" in gw292["message"]
    # the batch makes the recorded notice (its date and number) and reports the same warning
    out = tmp_path / "out"
    results = list(render_all(path, ORG, out, what=("replies",), today=TODAY))
    notice = next(r for r in results if r.kind == DocKind.EXTENSION.value)
    assert notice.ok and notice.name == "提案008-延期办理告知函.docx"
    assert "GW290" in {f.code for f in notice.findings}
    assert notice.path is not None
    text = _texts(notice.path.read_bytes())
    assert "2024年6月20日" in text and "临经信函〔2024〕9号" in text
    assert not (out / "提案015-延期办理告知函.docx").exists()  # none recorded


def test_an_unanswered_case_yields_its_notice(tmp_path: Path, example_year: HandlingYear) -> None:
    rec = _record(example_year, extension_notice={"date": date(2024, 6, 10)})
    waiting = CaseRecord(case=rec.case)
    assert [d.kind for d in case_documents(waiting)] == [DocKind.EXTENSION]
    results = list(render_all([waiting], ORG, tmp_path / "out", today=date(2024, 6, 12)))
    made = [r.name for r in results if r.ok and r.name]
    assert "提案008-延期办理告知函.docx" in made


def test_cli_extension_uses_the_recorded_notice(
    tmp_path: Path, example_year: HandlingYear, cli_runner: CliRunner
) -> None:
    recorded = {"date": date(2024, 6, 10), "doc_number": "临经信函〔2024〕9号"}
    case_file = tmp_path / "提案008.json"
    case_file.write_text(
        _record(example_year, extension_notice=recorded).model_dump_json(), encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["extension", str(case_file), "--org", ORG, "--out", str(out)]
    result = cli_runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = _texts((out / "提案008-延期办理告知函.docx").read_bytes())
    assert "2024年6月10日" in text and "临经信函〔2024〕9号" in text
    # --date and --doc-number still override what is recorded
    again = cli_runner.invoke(app, [*args, "--force", "--doc-number", "临经信函〔2024〕12号"])
    assert again.exit_code == 0, again.output
    text = _texts((out / "提案008-延期办理告知函.docx").read_bytes())
    assert "2024年6月10日" in text and "临经信函〔2024〕12号" in text
    late = cli_runner.invoke(app, [*args, "--force", "--date", "2024-06-20"])
    assert late.exit_code == 0 and "GW290" in late.output
    # nothing recorded and no --date: refused, saying what to give
    plain = tmp_path / "提案015.json"
    plain.write_text(_record(example_year, "提案015").model_dump_json(), encoding="utf-8")
    refused = cli_runner.invoke(app, ["extension", str(plain), "--org", ORG, "--out", str(out)])
    assert refused.exit_code == 2 and "须用 --date 给出告知函日期" in refused.output
