"""One ledger (or one year file) for many units: a 承办单位 column gives one UnitYear per unit.

The three units of :data:`tests.unit.test_units_summary.UNITS_DATA`, written as one ledger with
a 承办单位 column, must give the summary those three units give as three files — hand-counted
there: 7 cases, 办复 6/7 = 85.7%, 满意 2, 基本满意 2, 不满意 1, 未表态 1, 满意率 4/5 = 80%.
建议1 and 提案6 are rows of two units each (主办 of one, 协办 of the other): same 案号, no
duplicate.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from gongwen import Organisation
from gongwen.cli import app
from gongwen.errors import InputError
from gongwen.findings import Severity
from gongwen.ledger import load_ledger, write_ledger
from gongwen.ledger.columns import column_for
from gongwen.models.year import CaseRecord
from gongwen.units import NO_UNIT, UnitsSummary, load_unit_years, summarise_units
from tests.unit.test_units_summary import AS_OF, UNITS_DATA, _org, _write_units


def _with_unit(unit: str, data: dict[str, Any]) -> CaseRecord:
    return CaseRecord.model_validate({**data, "case": {**data["case"], "unit": unit}})


def _all_records() -> list[CaseRecord]:
    return [_with_unit(unit, rec) for unit, recs in UNITS_DATA.items() for rec in recs]


def _figures(s: UnitsSummary) -> list[tuple[Any, ...]]:
    return [
        (r.unit, r.by_kind, r.total, str(r.replied), r.asked, r.tiers, str(r.satisfaction))
        for r in (*s.rows, s.total)
    ]


def test_unit_column_and_aliases() -> None:
    for header in ("承办单位", "承办部门", "办理单位", "责任单位", "承办单位（必填）"):
        col = column_for(header)
        assert col is not None and col.key == "unit", header


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_one_ledger_same_as_three_files(
    tmp_path: Path, example_org: Organisation, suffix: str
) -> None:
    ledger = write_ledger(_all_records(), tmp_path / f"全区台账{suffix}")
    units, findings = load_unit_years(ledger, example_org)  # a file, not a folder
    assert findings == []
    assert [u.unit for u in units] == list(UNITS_DATA)  # order of first appearance
    assert [len(u.year.cases) for u in units] == [4, 3, 2]
    folder = tmp_path / "各单位"
    _write_units(folder)
    files, _ = load_unit_years(folder, example_org)
    by_name = {u.unit: u for u in files}
    files = [by_name[n] for n in UNITS_DATA]
    one = summarise_units(units, example_org.config, as_of=AS_OF)
    three = summarise_units(files, example_org.config, as_of=AS_OF)
    assert _figures(one) == _figures(three)
    t = one.total
    assert (t.total, t.replied.numerator, t.replied.format(1)) == (7, 6, "85.7%")
    assert (t.tiers, t.satisfaction.format(1)) == ((2, 2, 1, 1), "80%")


def test_ledger_exports_and_reads_the_unit(tmp_path: Path) -> None:
    ledger = write_ledger(_all_records(), tmp_path / "台账.csv")
    heads = next(csv.reader(io.StringIO(ledger.read_text(encoding="utf-8-sig"))))
    assert "承办单位" in heads
    result = load_ledger(ledger)
    assert [r.case.unit for _, r in result.records][:4] == ["区教育局"] * 4
    # without the summary, a ledger is one unit's: the shared 建议1 and 提案6 are duplicates
    assert [(f.code, f.row) for f in result.errors] == [("L102", 8), ("L102", 9)]
    write_ledger([r.model_copy(update={"case": r.case.model_copy(update={"unit": None})})
                  for r in _all_records()[:4]], tmp_path / "本单位.csv")  # fmt: skip
    plain = (tmp_path / "本单位.csv").read_text(encoding="utf-8-sig")
    assert "承办单位" not in plain.splitlines()[0]  # written only when a record has a unit


def _rewrite(path: Path, edit: dict[tuple[int, str], str]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    heads = rows[0]
    for (row, header), value in edit.items():
        rows[row - 1][heads.index(header)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")


def test_blank_and_bad_unit_cells(tmp_path: Path, example_org: Organisation) -> None:
    ledger = write_ledger(_all_records(), tmp_path / "全区台账.csv")
    # row 2 = 区教育局 建议1; row 6 = 区卫生健康局 建议3
    _rewrite(ledger, {(2, "承办单位"): "", (6, "承办单位"): "区卫生健康局、区财政局"})
    units, findings = load_unit_years(ledger, example_org)
    got = [(f.code, f.severity, f.row, f.header) for f in findings]
    col = findings[0].column
    assert got == [
        (NO_UNIT, Severity.ERROR, 2, "承办单位"),
        ("L101", Severity.ERROR, 6, "承办单位"),
    ]
    assert col is not None and findings[1].column == col
    assert "每一行都须写明承办单位" in findings[0].message
    assert "只能写一个单位" in findings[1].message
    assert [(u.unit, len(u.year.cases)) for u in units] == [
        ("区教育局", 3),
        ("区卫生健康局", 2),
        ("区财政局", 2),
    ]


def test_duplicate_within_one_unit(tmp_path: Path, example_org: Organisation) -> None:
    ledger = write_ledger(_all_records(), tmp_path / "全区台账.csv")
    # row 8 = 区卫生健康局 提案6 主办 → 区教育局, which has 提案6 (协办) in row 5
    _rewrite(ledger, {(8, "承办单位"): "区教育局"})
    units, findings = load_unit_years(ledger, example_org)
    assert [(f.code, f.row, f.header) for f in findings] == [("L102", 8, "案号")]
    assert "与第5行同为区政协十二届三次会议第6号提案，同一承办单位“区教育局”" in findings[0].message
    assert [(u.unit, len(u.year.cases)) for u in units][:2] == [
        ("区教育局", 4),
        ("区卫生健康局", 2),
    ]


def test_lead_unit_is_the_unit_itself() -> None:
    data = UNITS_DATA["区财政局"][0]  # 建议1 协办, lead 区教育局
    with pytest.raises(ValueError, match="主办单位"):
        _with_unit("区教育局", data)


def test_year_file_with_units(tmp_path: Path, example_org: Organisation) -> None:
    """A year file whose cases name their unit: 案号 unique per unit, the same summary."""
    path = tmp_path / "全区.yaml"
    cases = [r.model_dump(mode="json", exclude_none=True) for r in _all_records()]
    path.write_text(yaml.safe_dump({"year": 2024, "cases": cases}, allow_unicode=True), "utf-8")
    units, findings = load_unit_years(path, example_org)
    assert findings == [] and [u.unit for u in units] == list(UNITS_DATA)
    s = summarise_units(units, example_org.config, as_of=AS_OF)
    t = s.total
    assert (t.total, t.replied.numerator, t.replied.denominator, t.tiers) == (7, 6, 7, (2, 2, 1, 1))
    cases[6]["case"]["unit"] = "区教育局"  # 区卫生健康局 提案6 主办 → 区教育局 holds 提案6 twice
    path.write_text(yaml.safe_dump({"year": 2024, "cases": cases}, allow_unicode=True), "utf-8")
    with pytest.raises(InputError, match=r"案号重复：第7件与第4件.*承办单位“区教育局”"):
        load_unit_years(path, example_org)


def test_year_file_split_by_unit(tmp_path: Path, example_org: Organisation) -> None:
    records = [r for r in _all_records() if r.case.unit != "区财政局"]
    bare = [r.model_dump(mode="json", exclude_none=True) for r in records]
    bare[0]["case"].pop("unit")  # no unit: the file's organisation's
    path = tmp_path / "全区.yaml"
    org = {"name": "区教育局", "reply_code": "区教函"}
    path.write_text(
        yaml.safe_dump({"year": 2024, "organisation": org, "cases": bare}, allow_unicode=True),
        "utf-8",
    )
    units, findings = load_unit_years(path, example_org)
    assert findings == []
    assert [(u.unit, len(u.year.cases)) for u in units] == [("区教育局", 4), ("区卫生健康局", 3)]
    path.write_text(yaml.safe_dump({"year": 2024, "cases": bare}, allow_unicode=True), "utf-8")
    with pytest.raises(InputError, match="第1件没有填写承办单位"):
        load_unit_years(path, example_org)


def test_cli_summary_of_one_ledger(
    tmp_path: Path, cli_runner: CliRunner, example_org: Organisation
) -> None:
    ledger = write_ledger(_all_records(), tmp_path / "全区台账.xlsx")
    org_file = tmp_path / "区政府.yaml"
    org_file.write_text(
        yaml.safe_dump(
            _org(example_org).model_dump(mode="json", exclude_none=True), allow_unicode=True
        ),
        encoding="utf-8",
    )
    out = tmp_path / "汇总.docx"
    args = ["summary", str(ledger), "--org", str(org_file), "--out", str(out)]
    result = cli_runner.invoke(app, [*args, "--date", "2024-12-20"])
    assert result.exit_code == 0, result.output
    assert "3个单位，共7件，已办复6件，办复率85.7%；满意率80%" in result.output
    blank = write_ledger(_all_records(), tmp_path / "缺单位.csv")
    _rewrite(blank, {(4, "承办单位"): ""})
    bad = cli_runner.invoke(
        app, ["summary", str(blank), "--org", str(org_file), "--out", str(out), "--force"]
    )
    assert bad.exit_code == 1, bad.output
    assert "第4行" in bad.output and "承办单位" in bad.output


def test_blank_unit_column_is_one_unit(tmp_path: Path, example_org: Organisation) -> None:
    """A 承办单位 column left blank throughout (the `gongwen init` ledger of one unit): the file is
    one unit, named by the file, as before."""
    records = [
        r.model_copy(update={"case": r.case.model_copy(update={"unit": None})})
        for r in _all_records()[:4]
    ]
    ledger = write_ledger(records, tmp_path / "区教育局.csv")
    rows = list(csv.reader(io.StringIO(ledger.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[*r, ""] for r in rows[1:]])
    ledger.write_text(",".join([*rows[0], "承办单位"]) + "\r\n" + out.getvalue(), "utf-8-sig")
    units, findings = load_unit_years(ledger, example_org)
    assert findings == []
    assert [(u.unit, len(u.year.cases)) for u in units] == [("区教育局", 4)]
