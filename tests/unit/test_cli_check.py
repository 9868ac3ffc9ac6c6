"""``gongwen check``: inputs, output formats and exit codes (0 clean, 1 errors, 2 unusable)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

import gongwen.cli  # noqa: F401  (registers every command and input loader)
from gongwen.cli.app import app
from gongwen.cli.check import INPUT_LOADERS, CheckInput, LoadOptions, register_input_loader
from gongwen.models import CaseRecord
from tests.conftest import EXAMPLES, load_example_year, record_by_label

YEAR_FILE = EXAMPLES / "year2024.yaml"
ORG_FILE = EXAMPLES / "organisation.yaml"
YEAR = load_example_year()
runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["check", *args])


def record(label: str) -> CaseRecord:
    return record_by_label(YEAR, label)


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def case_data(label: str, **reply: Any) -> dict[str, Any]:
    data = record(label).model_dump(mode="json", exclude_none=True)
    data["reply"].update(reply)
    return data


def test_year_file_with_warnings_only_exits_0() -> None:
    result = invoke(str(YEAR_FILE), "--org", str(ORG_FILE), "--today", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "建议085" in result.output and "GW203" in result.output and "警告" in result.output
    assert "共检查12件：错误0处，警告1处，提示0处。" in result.output


def test_json_output() -> None:
    result = invoke(
        str(YEAR_FILE), "--org", str(ORG_FILE), "--format", "json", "--today", "2024-12-31"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["kind"] == "year" and data["cases"] == 12
    assert data["summary"] == {"error": 0, "warning": 1, "info": 0}
    [f] = data["findings"]
    assert f["code"] == "GW203" and f["case"] == "建议085" and f["path"] == "reply.date"
    assert "逾期13天" in f["message"]


def test_case_file_with_errors_exits_1(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "case.yaml", case_data("提案008", result_class="Z"))
    result = invoke(str(path), "--org", str(ORG_FILE), "--format", "json", "--today", "2024-12-31")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["kind"] == "case"
    assert [f["code"] for f in data["findings"]] == ["GW106"]
    text = invoke(str(path), "--org", str(ORG_FILE), "--today", "2024-12-31")
    assert text.exit_code == 1
    assert "提案008" in text.output and "GW106" in text.output and "错误" in text.output


def test_clean_json_case_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case_data("提案015"), ensure_ascii=False), encoding="utf-8")
    result = invoke(str(path), "--org", str(ORG_FILE), "--today", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "共检查1件：未发现问题。" in result.output


def test_case_file_needs_org(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "case.yaml", case_data("提案008"))
    result = invoke(str(path))
    assert result.exit_code == 2
    assert "--org" in result.output


def test_year_file_with_embedded_organisation(tmp_path: Path) -> None:
    data = yaml.safe_load(YEAR_FILE.read_text(encoding="utf-8"))
    data["organisation"] = yaml.safe_load(ORG_FILE.read_text(encoding="utf-8"))
    path = write_yaml(tmp_path / "year.yaml", data)
    result = invoke(str(path), "--format", "json", "--today", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["warning"] == 1


def test_validation_error_exits_2_with_chinese_field_messages(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "case.yaml", case_data("提案008", doc_number="临经信函2024第11号"))
    result = invoke(str(path), "--org", str(ORG_FILE))
    assert result.exit_code == 2
    assert "reply.doc_number" in result.output
    assert "发文字号格式应为" in result.output


def test_unusable_inputs_exit_2(tmp_path: Path) -> None:
    missing = invoke(str(tmp_path / "nope.yaml"), "--org", str(ORG_FILE))
    assert missing.exit_code == 2 and "文件不存在" in missing.output
    odd = write_yaml(tmp_path / "odd.yaml", {"hello": 1})
    unknown = invoke(str(odd), "--org", str(ORG_FILE))
    assert unknown.exit_code == 2 and "无法识别" in unknown.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("case: [\n", encoding="utf-8")
    assert invoke(str(broken), "--org", str(ORG_FILE)).exit_code == 2
    txt = tmp_path / "cases.docx"
    txt.write_bytes(b"x")
    wrong = invoke(str(txt), "--org", str(ORG_FILE))
    assert wrong.exit_code == 2 and "不支持的文件类型" in wrong.output
    bad_org = invoke(str(YEAR_FILE), "--org", str(YEAR_FILE))
    assert bad_org.exit_code == 2
    bad_day = invoke(str(YEAR_FILE), "--org", str(ORG_FILE), "--today", "明天")
    assert bad_day.exit_code == 2 and "--today" in bad_day.output
    assert invoke().exit_code == 2


def test_today_option_changes_results() -> None:
    result = invoke(
        str(YEAR_FILE), "--org", str(ORG_FILE), "--format", "json", "--today", "2024-06-01"
    )
    assert result.exit_code == 1  # feedback forms dated after "today" are errors
    found = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert {"GW205", "GW206"} <= found


def test_rules_listing() -> None:
    result = invoke("--rules")
    assert result.exit_code == 0
    assert "GW101" in result.output and "GW415" in result.output
    data = json.loads(invoke("--rules", "--format", "json").stdout)
    row = next(r for r in data if r["code"] == "GW203")
    assert row == {
        "code": "GW203",
        "severity": "warning",
        "subject": "reply",
        "title": "答复晚于办理期限",
    }


def test_input_loader_extension_point(tmp_path: Path) -> None:
    good = record("提案008")
    assert good.reply is not None
    bad = good.model_copy(update={"reply": good.reply.model_copy(update={"result_class": "Z"})})

    @register_input_loader(".ledgertest")
    def _load(path: Path, options: LoadOptions) -> CheckInput:
        return CheckInput("ledger", [record("提案015"), bad], rows=[2, 3])

    try:
        path = tmp_path / "book.ledgertest"
        path.write_text("", encoding="utf-8")
        result = invoke(
            str(path), "--org", str(ORG_FILE), "--format", "json", "--today", "2024-12-31"
        )
        assert result.exit_code == 1
        data = json.loads(result.stdout)
        assert data["kind"] == "ledger" and data["cases"] == 2
        case_findings = [(f["code"], f["row"]) for f in data["findings"] if f["case"]]
        assert case_findings == [("GW106", 3)]
        # a ledger is held to the year rules too, as the batch's report is
        assert any(f["code"].startswith("GW5") for f in data["findings"] if not f["case"])
        text = invoke(str(path), "--org", str(ORG_FILE), "--today", "2024-12-31")
        assert "GW106" in text.output
    finally:
        INPUT_LOADERS.pop(".ledgertest", None)


def test_ledger_check_reports_bad_cells_with_rows_and_rule_findings(tmp_path: Path) -> None:
    lines = (EXAMPLES / "ledger2024.csv").read_text(encoding="utf-8-sig").splitlines(True)
    header = lines[0].split(",")
    col = header.index("交办日期")
    letter = chr(ord("A") + col)
    row2 = lines[1].split(",")
    row2[col] = "2024.13.01"
    lines[1] = ",".join(row2)
    bad = tmp_path / "ledger.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    result = invoke(str(bad), "--org", str(ORG_FILE), "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["findings"]
    cell = [f for f in findings if f["row"] == 2 and f["severity"] == "error"]
    assert cell and (cell[0]["column"], cell[0]["header"]) == (letter, "交办日期")
    assert '无法识别的日期"2024.13.01"' in cell[0]["message"]
    # the good rows are still checked with the rules, each finding carrying its ledger row
    late = [f for f in findings if f["code"] == "GW203"]
    assert late and late[0]["row"] is not None and late[0]["case"] == "建议085"
