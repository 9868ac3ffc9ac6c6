"""``gongwen report --date``: the report's 成文日期 is the date the statistics are counted at."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

import gongwen.cli  # noqa: F401  (registers every command)
from gongwen.cli.app import app
from tests.unit.test_stats_hand_counts import case_record, org, year


def _files(tmp_path: Path) -> tuple[Path, Path]:
    y = year(
        case_record(1, assigned=date(2026, 3, 15), reply_on=date(2026, 4, 10)),
        case_record(2, assigned=date(2026, 11, 1), reply_on=None),
        y=2026,
    )
    year_file = tmp_path / "year.json"
    year_file.write_text(y.model_dump_json(), encoding="utf-8")
    org_file = tmp_path / "org.json"
    org_file.write_text(org().model_dump_json(), encoding="utf-8")
    return year_file, org_file


def test_bad_date_is_refused(tmp_path: Path, cli_runner: CliRunner) -> None:
    year_file, org_file = _files(tmp_path)
    out = tmp_path / "r.docx"
    args = ["report", str(year_file), "--org", str(org_file), "-o", str(out), "--date", "明天"]
    result = cli_runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--date" in result.output and "YYYY-MM-DD" in result.output
    assert not out.exists()


def test_date_counts_cases_due_and_warns_before_the_year(
    tmp_path: Path, cli_runner: CliRunner
) -> None:
    year_file, org_file = _files(tmp_path)
    out = tmp_path / "r.docx"
    base = ["report", str(year_file), "--org", str(org_file), "-o", str(out), "--force"]
    narrative = tmp_path / "n.md"
    narrative.write_text("# 办理成效\n\n按时办结率达100%。\n", encoding="utf-8")
    ok = cli_runner.invoke(app, [*base, "--narrative", str(narrative), "--date", "2026-12-01"])
    assert ok.exit_code == 0, ok.output
    assert "GW503" not in ok.output and "GW508" not in ok.output
    early = cli_runner.invoke(app, [*base, "--date", "2025年12月31日"])
    assert early.exit_code == 0, early.output
    assert "GW508" in early.output
