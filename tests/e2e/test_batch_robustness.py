"""Issue #13: never lose or mislead — each measured case, with its new behaviour."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from docx import Document
from typer.testing import CliRunner

import gongwen.batch.worker as worker_mod
import gongwen.cli  # noqa: F401  (registers the commands)
from gongwen import HandlingYear, Organisation
from gongwen.batch import BatchResult, render_all
from gongwen.batch.manifest import LOCK, OutputLock
from gongwen.cli.app import app
from gongwen.errors import InputError, InvalidOption, LedgerError, OutputError
from gongwen.ledger import load_ledger, write_ledger
from gongwen.ledger.files import load_year
from gongwen.models.year import CaseRecord
from gongwen.output.atomic import os_error
from tests.conftest import ROOT, TODAY

EXAMPLES = ROOT / "examples"
REPORT = "2024年建议提案办理工作总结.docx"


def run(*args: Any, **kw: Any) -> list[BatchResult]:
    kw.setdefault("today", TODAY)
    return list(render_all(*args, **kw))


def _cli(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def _no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def ledger_csv(tmp_path: Path, example_year: HandlingYear) -> Path:
    return write_ledger(example_year, tmp_path / "台账.csv")


@pytest.fixture
def ledger_xlsx(tmp_path: Path, example_year: HandlingYear) -> Path:
    return write_ledger(example_year, tmp_path / "台账.xlsx")


def _same_names(rec: CaseRecord, name: str, n: int) -> CaseRecord:
    first = rec.case.proposers[0]
    people = tuple(first.model_copy(update={"name": name}) for _ in range(n))
    case = rec.case.model_copy(update={"proposers": people})
    return rec.model_copy(update={"case": case, "feedback": ()})


# ── 1. same-name co-proposers ──


def test_same_name_proposers_get_one_form_each(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _same_names(example_year.cases[0], "张伟", 3)
    out = tmp_path / "out"
    results = run([rec], example_org, out, what={"forms"})
    assert [r.status for r in results] == ["written"] * 3, [r.message for r in results]
    assert [r.name for r in results] == [
        "提案008-张伟-征询意见表.docx",
        "提案008-张伟(2)-征询意见表.docx",
        "提案008-张伟(3)-征询意见表.docx",
    ]
    assert len(list(out.glob("*.docx"))) == 3  # forms on disk = proposers
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == 3


def test_one_cell_of_many_same_names_loses_no_form(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    from gongwen.documents.plan import case_documents

    rec = _same_names(example_year.cases[0], "张伟", 3001)
    names = [d.name for d in case_documents(rec, ("forms",))]
    assert len(names) == len(set(names)) == 3001
    assert names[-1] == "提案008-张伟(3001)-征询意见表.docx"


# ── 2. a CSV cut off inside a quoted 答复正文 ──


def test_truncated_csv_is_a_row_error_naming_the_row(
    tmp_path: Path, ledger_csv: Path, example_org: Organisation
) -> None:
    rows = _csv_rows(ledger_csv)
    header = rows[0]
    body = header.index("答复正文")
    rows[-1][body] = "第一段。\n\n第二段。\n\n第三段。\n\n第四段。"
    _write_csv(ledger_csv, rows)
    text = ledger_csv.read_text(encoding="utf-8-sig")
    cut = text.index("第二段")  # the file ends inside the quoted cell
    ledger_csv.write_text(text[:cut], encoding="utf-8-sig")
    result = load_ledger(ledger_csv, organisation=example_org)
    last = len(rows)  # the spreadsheet row of the cut record
    assert [r for r, _ in result.records][-1] == last - 1
    errors = [p for p in result.errors if p.row == last]
    assert errors and "引号没有闭合" in errors[0].message and "截断" in errors[0].message
    assert errors[0].where.startswith(f"第{last}行")
    for workers in (1, 2):  # rows built here or in worker processes: the same finding
        batch = run(ledger_csv, example_org, None, what={"replies"}, workers=workers)
        bad = [r for r in batch if r.status == "invalid"]
        assert [r.row for r in bad] == [last]
        assert "引号没有闭合" in bad[0].message


def test_garbled_csv_quote_is_a_row_error(tmp_path: Path, ledger_csv: Path) -> None:
    rows = _csv_rows(ledger_csv)
    title = rows[2][rows[0].index("案由")]
    text = ledger_csv.read_text(encoding="utf-8-sig")
    assert text.count(f",{title},") == 1
    text = text.replace(f",{title},", f',"关于"{title},')  # a stray quote inside a cell
    ledger_csv.write_text(text, encoding="utf-8-sig")
    result = load_ledger(ledger_csv)
    assert any(p.row == 3 and "引号" in p.message for p in result.errors)
    assert len(result.records) == len(rows) - 2


# ── 3. worksheets: the active visible one, hidden ones named, ambiguity refused ──


def _with_hidden_old_sheet(path: Path, *, active_hidden: bool = False) -> None:
    wb = openpyxl.load_workbook(path)
    main = wb.worksheets[0]
    old = wb.create_sheet("旧台账", 0)
    for row in list(main.iter_rows(values_only=True))[:3]:
        old.append(list(row))
    old.sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    if active_hidden:  # openpyxl never saves a hidden active sheet; other tools do
        with zipfile.ZipFile(path) as src:
            parts = {i.filename: src.read(i) for i in src.infolist()}
        book = parts["xl/workbook.xml"]
        assert b'activeTab="1"' in book
        parts["xl/workbook.xml"] = book.replace(b'activeTab="1"', b'activeTab="0"')
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, data in parts.items():
                dst.writestr(name, data)


def test_active_visible_sheet_is_read_hidden_sheets_named(
    ledger_xlsx: Path, example_year: HandlingYear
) -> None:
    _with_hidden_old_sheet(ledger_xlsx)
    result = load_ledger(ledger_xlsx)
    assert len(result.records) == len(example_year.cases)
    warning = [p for p in result.warnings if "隐藏的工作表" in p.message]
    assert warning and "“旧台账”" in warning[0].message
    old = load_ledger(ledger_xlsx, sheet="旧台账")  # asked for by name
    assert len(old.records) == 2
    with pytest.raises(LedgerError, match="没有名为“不存在”的工作表"):
        load_ledger(ledger_xlsx, sheet="不存在")


def test_a_hidden_active_sheet_is_refused(ledger_xlsx: Path, cli_runner: CliRunner) -> None:
    _with_hidden_old_sheet(ledger_xlsx, active_hidden=True)
    with pytest.raises(LedgerError, match="活动工作表“旧台账”是隐藏的"):
        load_ledger(ledger_xlsx)
    org = EXAMPLES / "organisation.yaml"
    res = _cli(cli_runner, "batch", ledger_xlsx, "--org", org, "--out", ledger_xlsx.parent / "o")
    assert res.exit_code == 2 and "--sheet" in res.output
    _no_traceback(res)


def test_active_sheet_without_a_header_names_the_others(ledger_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(ledger_xlsx)
    notes = wb.create_sheet("说明", 0)
    notes.append(["本台账由办公室维护"])
    wb.active = 0
    wb.save(ledger_xlsx)
    with pytest.raises(LedgerError, match=r"找不到表头.*；工作簿中还有工作表 “台账”，请指定"):
        load_ledger(ledger_xlsx)
    assert load_ledger(ledger_xlsx, sheet="台账").records


# ── 4. the report from a ledger with bad rows ──


@pytest.fixture
def bad_ledger(ledger_csv: Path) -> Path:
    rows = _csv_rows(ledger_csv)
    header = rows[0]
    for row in rows[1:6]:  # 5 of 12 rows bad
        row[header.index("交办日期")] = "2024.13.01"
    return _write_csv(ledger_csv, rows)


def test_report_from_bad_rows_needs_allow_partial_and_says_so(
    tmp_path: Path, bad_ledger: Path, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    results = run(bad_ledger, example_org, out, what={"report"})
    report = results[-1]
    assert report.status == "failed" and "5行无法读取" in report.message
    assert not list(out.glob("*.docx"))
    results = run(bad_ledger, example_org, out, what={"report"}, allow_partial=True)
    report = results[-1]
    assert report.status == "written" and report.name == REPORT
    assert "5行无法读取" in report.message
    text = "\n".join(p.text for p in Document(str(out / REPORT)).paragraphs)
    assert "有五行因填写有误未能读取，未计入以上统计" in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows_left_out"] == 5 and manifest["report_partial"] is True


def test_all_rows_bad_no_report_and_the_stale_one_is_removed(
    tmp_path: Path, ledger_csv: Path, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    first = run(ledger_csv, example_org, out, what={"report"})
    assert first[-1].status == "written" and (out / REPORT).is_file()
    rows = _csv_rows(ledger_csv)
    for row in rows[1:]:
        row[rows[0].index("交办日期")] = "不是日期"
    _write_csv(ledger_csv, rows)
    again = run(ledger_csv, example_org, out, what={"report"}, allow_partial=True)
    report = again[-1]
    assert report.status == "failed" and "无法判断年度" in report.message
    assert "已删除上次生成、已过期的工作总结" in report.message
    assert not list(out.glob("*.docx"))  # no report of a wrong year, no stale one


def test_report_year_comes_from_the_data(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    results = run(example_year.cases, example_org, None, what={"report"}, today=None)
    assert results[-1].name == REPORT  # 2024 from the 交办日期, whatever the clock says


# ── 5. the manifest keyed by session, kind and number ──


def test_same_number_in_two_sessions_names_do_not_depend_on_order(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    a = example_year.cases[0]
    meeting = a.case.session.meeting or 1
    session = a.case.session.model_copy(update={"meeting": meeting + 1})
    b = a.model_copy(update={"case": a.case.model_copy(update={"session": session})})
    out = tmp_path / "out"

    def names(records: list[CaseRecord]) -> dict[str, str]:
        run(records, example_org, out, what={"replies"})
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {e["file"]: e["key"] for e in manifest["outputs"]}

    one = names([a, b])
    two = names([b, a])  # the ledger re-sorted
    assert one == two
    assert "提案008-答复.docx" not in one  # neither case owns the bare name
    keys = set(one.values())
    assert len(keys) == 2 and all(k.startswith("提案|") and k.endswith("|8") for k in keys)


# ── 6. corrupt, encrypted and legacy workbooks; merged and formula cells ──


def test_corrupt_xml_part_in_xlsx(ledger_xlsx: Path, cli_runner: CliRunner) -> None:
    src = zipfile.ZipFile(ledger_xlsx)
    broken = ledger_xlsx.with_name("坏.xlsx")
    with zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2] + b"<<<"
            dst.writestr(info, data)
    src.close()
    with pytest.raises(LedgerError, match=r"坏\.xlsx.*XML 部件已损坏"):
        load_ledger(broken)
    org = EXAMPLES / "organisation.yaml"
    res = _cli(cli_runner, "batch", broken, "--org", org, "--out", broken.parent / "o")
    assert res.exit_code == 2 and "已损坏" in res.output
    _no_traceback(res)


def _ole(path: Path, encrypted: bool) -> Path:
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    stream = ("EncryptionInfo" if encrypted else "Workbook").encode("utf-16-le")
    path.write_bytes(head + stream + bytes(1024))
    return path


def test_encrypted_xlsx_and_xls_named_xlsx(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="加密（设有打开密码）的 Excel 文件"):
        load_ledger(_ole(tmp_path / "密.xlsx", encrypted=True))
    with pytest.raises(LedgerError, match=r"旧版 Excel 97-2003（\.xls）文件"):
        load_ledger(_ole(tmp_path / "旧.xlsx", encrypted=False))
    with pytest.raises(LedgerError, match=r"不支持旧版 \.xls 格式"):
        load_ledger(_ole(tmp_path / "旧.xls", encrypted=False))


def test_merged_and_uncomputed_formula_cells_say_what_they_are(ledger_xlsx: Path) -> None:
    wb = openpyxl.load_workbook(ledger_xlsx)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    title = header.index("案由") + 1
    session = header.index("届次") + 1
    ws.cell(2, title).value = '="关于"&"公式"'  # saved by openpyxl: no computed value
    ws.merge_cells(start_row=3, start_column=session, end_row=4, end_column=session)
    wb.save(ledger_xlsx)
    result = load_ledger(ledger_xlsx)
    by_row = {p.row: p for p in result.errors}
    assert "是公式" in by_row[2].message and by_row[2].header == "案由"
    assert "不能为空" not in by_row[2].message
    letter = openpyxl.utils.get_column_letter(session)
    assert f"合并单元格 {letter}3:{letter}4" in by_row[4].message
    assert 3 not in by_row  # the top-left cell holds the value


# ── 7. file-system errors: one Chinese message naming the path, exit 2 ──


def _batch(runner: CliRunner, ledger: Path, out: Path, *more: str) -> Any:
    org = EXAMPLES / "organisation.yaml"
    return _cli(runner, "batch", ledger, "--org", org, "--out", out, "--today", "2024-12-31", *more)


def test_out_is_a_file(tmp_path: Path, ledger_csv: Path, cli_runner: CliRunner) -> None:
    out = tmp_path / "out"
    out.write_text("x")
    res = _batch(cli_runner, ledger_csv, out, "--workers", "1")
    assert res.exit_code == 2 and f"无法写入 {out}" in res.output
    _no_traceback(res)


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.EROFS, "只读"), (errno.EACCES, "没有写入权限"), (errno.ENOSPC, "磁盘空间不足")],
)
def test_read_only_unwritable_or_full_out(
    tmp_path: Path,
    ledger_csv: Path,
    cli_runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    words: str,
) -> None:
    out = tmp_path / "out"

    def refuse(folder: Any, name: str, data: bytes, *, durable: bool = True) -> Path:
        raise os_error(OSError(code, os.strerror(code)), Path(folder) / name)

    monkeypatch.setattr(worker_mod, "write_part", refuse)
    res = _batch(cli_runner, ledger_csv, out, "--workers", "1", "--what", "replies")
    assert res.exit_code == 2 and words in res.output and str(out) in res.output
    _no_traceback(res)
    assert not list(out.glob("*.docx")) and not list(out.glob(".*.part"))
    assert not (out / "manifest.json").exists()


def test_manifest_json_a_directory(tmp_path: Path, ledger_csv: Path, cli_runner: CliRunner) -> None:
    out = tmp_path / "out"
    (out / "manifest.json").mkdir(parents=True)
    res = _batch(cli_runner, ledger_csv, out, "--workers", "1")
    assert res.exit_code == 2 and "manifest.json" in res.output and "文件夹" in res.output
    _no_traceback(res)
    assert not list(out.glob("*.docx"))  # refused before anything was written


def test_symlinked_journal_is_not_followed(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("mine\n")
    (out / ".gongwen-journal.jsonl").symlink_to(outside)
    with pytest.raises(OutputError, match="符号链接"):
        run(example_year, example_org, out, what={"replies"})
    assert outside.read_text() == "mine\n"
    assert not list(out.glob("*.docx"))


# ── 8. one batch per output folder ──


def test_a_second_run_into_the_same_folder_is_refused(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    held = OutputLock(out)
    held.acquire()
    try:
        part = out / ".提案008-答复.docx.abc.part"
        part.write_bytes(b"the other run's temp file")
        with pytest.raises(OutputError, match=rf"正在被另一个批量生成使用（进程 {os.getpid()}"):
            run(example_year, example_org, out, what={"replies"})
        assert part.exists()  # the other run's temp files are left alone
    finally:
        held.release()
    results = run(example_year, example_org, out, what={"replies"})
    assert all(r.ok for r in results)


def test_a_stale_lock_of_a_dead_process_is_taken_over(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text("进程 999999，开始于 2024-01-01T00:00:00\n")  # no flock held
    results = run(example_year, example_org, out, what={"replies"})
    assert all(r.ok for r in results)


# ── 9. limits ──


def test_workers_are_capped(example_year: HandlingYear, example_org: Organisation) -> None:
    with pytest.raises(InvalidOption, match="并行进程数 100000 过多：最多"):
        run(example_year, example_org, None, workers=100_000)


def test_cli_workers_capped(tmp_path: Path, ledger_csv: Path, cli_runner: CliRunner) -> None:
    res = _batch(cli_runner, ledger_csv, tmp_path / "out", "--workers", "100000")
    assert res.exit_code == 2 and "过多" in res.output
    _no_traceback(res)


def test_narrative_dev_zero_stops_at_the_limit(
    tmp_path: Path, ledger_csv: Path, cli_runner: CliRunner
) -> None:
    res = _batch(cli_runner, ledger_csv, tmp_path / "out", "--narrative", "/dev/zero")
    assert res.exit_code == 2 and "上限" in res.output and "/dev/zero" in res.output
    _no_traceback(res)


def test_narrative_too_long_in_the_api(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    with pytest.raises(InvalidOption, match=r"工作总结正文过长.*上限 200000 字"):
        run(example_year, example_org, None, narrative="字" * 200_001)


def test_cell_too_long_in_a_csv(tmp_path: Path, ledger_csv: Path) -> None:
    rows = _csv_rows(ledger_csv)
    rows[1][rows[0].index("答复正文")] = "长" * 100_001
    _write_csv(ledger_csv, rows)
    result = load_ledger(ledger_csv)
    assert any(p.row == 2 and "100000 字的上限" in p.message for p in result.errors)


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = _bomb()
    assert len(bomb.encode()) < 700
    path = tmp_path / "台账.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(LedgerError, match=r"别名.*展开后超过"):
        load_ledger(path)
    year = tmp_path / "year.yaml"
    year.write_text("year: 2024\ncases: []\n" + bomb, encoding="utf-8")
    with pytest.raises(InputError, match="展开后超过"):
        load_year(year)


def test_yaml_anchors_within_the_bound_still_work() -> None:
    year = load_year(EXAMPLES / "year2024.yaml")  # uses &cppcc / *cppcc
    assert len(year.cases) == 12


def test_deep_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "台账.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(LedgerError, match="嵌套超过 64 层"):
        load_ledger(path)
    year = tmp_path / "year.json"
    year.write_text('{"year": 2024, "cases": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(InputError, match="嵌套超过 64 层"):
        load_year(year)


# ── 10. modes, names, folders ──


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_outputs_take_their_mode_from_the_umask(
    tmp_path: Path,
    example_year: HandlingYear,
    example_org: Organisation,
    monkeypatch: pytest.MonkeyPatch,
    umask: int,
    mode: int,
) -> None:
    import gongwen.output.atomic as atomic

    monkeypatch.setattr(atomic, "_umask", lambda: umask)
    out = tmp_path / "out"
    run(example_year.cases[:1], example_org, out, what={"replies"})
    files = [*out.glob("*.docx"), out / "manifest.json"]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == mode for p in files)


def test_bidi_and_control_characters_never_reach_a_file_name(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _same_names(example_year.cases[0], "张\u202eexe.伟\u200b\x1b", 1)
    results = run([rec], example_org, tmp_path / "out", what={"forms"})
    assert [r.name for r in results] == ["提案008-张exe.伟-征询意见表.docx"]


def test_reply_out_into_a_new_folder(
    tmp_path: Path, example_year: HandlingYear, cli_runner: CliRunner
) -> None:
    case_file = tmp_path / "case.yaml"
    data = example_year.cases[0].model_dump(mode="json", exclude_none=True)
    case_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "newdir"
    res = _cli(
        cli_runner, "reply", case_file, "--org", EXAMPLES / "organisation.yaml", "--out", f"{out}/"
    )
    assert res.exit_code == 0, res.output
    assert [p.name for p in out.iterdir()] == ["提案008-答复.docx"]


def _docx_rows(data: bytes) -> Iterator[str]:
    yield from (p.text for p in Document(io.BytesIO(data)).paragraphs)
