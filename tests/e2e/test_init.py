"""``gongwen init``: a starter folder an office can use at once — then check and batch it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import gongwen.cli  # noqa: F401  (registers the commands)
from gongwen import load_organisation
from gongwen.cli.app import app
from gongwen.errors import InvalidOption, OutputError
from gongwen.ledger import COLUMNS, load_ledger
from gongwen.ledger.starter import make_starter
from tests.conftest import ROOT

NAME = "东江市临湖区经济和信息化局"


def _validations(ws: object) -> dict[str, str]:
    """Column letter → the list of a drop-down."""
    out = {}
    for dv in ws.data_validations.dataValidation:  # type: ignore[attr-defined]
        for rng in dv.sqref.ranges:
            out[openpyxl.utils.get_column_letter(rng.min_col)] = dv.formula1
    return out


def test_starter_folder(tmp_path: Path) -> None:
    paths = make_starter(tmp_path / "新单位", NAME, code="临经信函")
    folder = tmp_path / "新单位"
    assert {p.name for p in paths} == {"单位.yaml", "台账.xlsx", "使用说明.txt", "答复正文"}
    assert (folder / "答复正文").is_dir()
    org = load_organisation(folder / "单位.yaml")
    assert org.name == NAME and org.reply_code == "临经信函"
    assert "# 单位全称" in (folder / "单位.yaml").read_text(encoding="utf-8")
    guide = (folder / "使用说明.txt").read_text(encoding="utf-8-sig")
    assert "gongwen check 台账.xlsx --org 单位.yaml" in guide

    wb = openpyxl.load_workbook(folder / "台账.xlsx")
    ws = wb.active
    assert ws is not None
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws.freeze_panes == "A2"
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    letters = {c.key: openpyxl.utils.get_column_letter(i) for i, c in enumerate(COLUMNS, 1)}
    lists = _validations(ws)
    for key in ("kind", "role", "result_class", "disclosure", "contact_method", "attitude"):
        assert letters[key] in lists, key
    assert lists[letters["kind"]] == '"建议,提案"'
    assert "基本满意" in lists[letters["result"]]
    assert ws[f"{letters['assigned_date']}2"].number_format == "yyyy-mm-dd"
    assert ws[f"{letters['reply_date']}2"].number_format == "yyyy-mm-dd"
    result = load_ledger(folder / "台账.xlsx")  # the blank ledger reads as it is
    assert result.records == [] and result.errors == []


def test_starter_keeps_existing_files_and_checks_its_arguments(tmp_path: Path) -> None:
    make_starter(tmp_path, NAME)
    with pytest.raises(OutputError, match="文件已存在，未覆盖"):
        make_starter(tmp_path, NAME)
    make_starter(tmp_path, NAME, force=True)
    with pytest.raises(InvalidOption, match="机关代字"):
        make_starter(tmp_path / "x", NAME, code="临/经")
    with pytest.raises(InvalidOption, match="单位全称"):
        make_starter(tmp_path / "x", "局")


def test_init_fill_check_batch(tmp_path: Path, cli_runner: CliRunner) -> None:
    folder = tmp_path / "2024答复"
    res = cli_runner.invoke(app, ["init", str(folder), "--name", NAME, "--code", "临经信函"])
    assert res.exit_code == 0, res.output
    ledger, org = folder / "台账.xlsx", folder / "单位.yaml"

    res = cli_runner.invoke(app, ["check", str(ledger), "--org", str(org)])
    assert res.exit_code == 0, res.output  # the blank ledger: 0 cases, no error
    assert "共检查0件" in res.output

    with (ROOT / "examples" / "ledger2024.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    wb = openpyxl.load_workbook(ledger)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[1]]
    for r, rec in enumerate(rows, start=2):
        for key, value in rec.items():
            if value:
                ws.cell(r, header.index(key) + 1, value)
    wb.save(ledger)

    today = ["--today", "2024-12-31"]
    res = cli_runner.invoke(app, ["check", str(ledger), "--org", str(org), *today])
    assert res.exit_code == 0, res.output
    assert f"共检查{len(rows)}件：错误0处" in res.output
    out = folder / "输出"
    res = cli_runner.invoke(
        app,
        ["batch", str(ledger), "--org", str(org), "--out", str(out), "--workers", "1", *today],
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == len(list(out.glob("*.docx"))) > len(rows)
    assert (out / "2024年建议提案办理工作总结.docx").is_file()


def test_init_refuses_to_overwrite(tmp_path: Path, cli_runner: CliRunner) -> None:
    args = ["init", str(tmp_path), "--name", NAME]
    assert cli_runner.invoke(app, args).exit_code == 0
    res = cli_runner.invoke(app, args)
    assert res.exit_code == 2 and "--force" in res.output
