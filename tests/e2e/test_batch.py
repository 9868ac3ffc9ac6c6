"""Batch generation: checks first, safe names, manifest, resume after interruption, exit codes."""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import shutil
from collections import Counter
from collections.abc import Generator
from pathlib import Path
from typing import Any, cast

import pytest
from typer.testing import CliRunner

import gongwen.batch.run as batch_mod
import gongwen.batch.worker as worker_mod
import gongwen.cli.batch  # noqa: F401  (registers the command)
from gongwen import HandlingYear, Organisation
from gongwen.batch import BatchResult, render_all
from gongwen.cli.app import app
from gongwen.ledger import write_ledger
from tests.conftest import ROOT, TODAY


@pytest.fixture
def ledger(tmp_path: Path, example_year: HandlingYear) -> Path:
    """The example year as a CSV ledger with two bad rows added (rows 14 and 15)."""
    path = write_ledger(example_year, tmp_path / "台账.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, good = rows[0], rows[1]
    bad_date = list(good)
    bad_date[header.index("案号")] = "99"
    bad_date[header.index("交办日期")] = "2024.13.01"
    dup = list(good)  # the same 案号 as row 2
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([*rows, bad_date, dup])
    return path


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def run(*args: Any, **kw: Any) -> list[BatchResult]:
    kw.setdefault("today", TODAY)
    return list(render_all(*args, **kw))


def test_checks_first_bad_rows_reported_good_rows_rendered(
    tmp_path: Path, ledger: Path, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    results = run(ledger, example_org, out, what={"replies"})
    bad = [r for r in results if not r.ok]
    assert results[: len(bad)] == bad  # problems are reported before anything is rendered
    assert [(r.status, r.row) for r in bad] == [("invalid", 14), ("invalid", 15)]
    cell = bad[0].problems[0]
    assert cell.where.startswith("第14行 ") and cell.row == 14
    assert cell.where.endswith("（交办日期）") and cell.header == "交办日期"
    assert cell.message == '无法识别的日期"2024.13.01"'
    assert cell.code == "L101" and cell.path == "case.assigned_date"
    dup = bad[1].problems[0]
    assert dup.message == "案号重复：与第2行同为区政协十二届三次会议第8号提案"
    assert dup.code == "L102" and dup.header == "案号"
    written = [r for r in results if r.status == "written"]
    assert len(written) == 13  # 12 cases, one with a re-handling reply
    assert written[0].name == "提案008-答复.docx" and written[0].row == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["file"]: e for e in manifest["outputs"]}
    assert set(entries) == {r.name for r in written}
    for r in written:
        assert r.path is not None and r.path.parent == out
        assert entries[r.name]["sha256"] == _sha(r.path) == r.sha256
        assert entries[r.name]["case"] == r.case
    assert entries["提案023-协办意见.docx"]["kind"] == "协办意见"
    assert [s["row"] for s in manifest["skipped"]] == [14, 15]
    assert not list(out.glob(".*"))


def test_bytes_mode_and_workers_give_the_same_documents(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    one = run(example_year, example_org, None, what={"replies", "forms"})
    two = run(example_year, example_org, None, what={"replies", "forms"}, workers=2)
    assert [r.name for r in one] == [r.name for r in two]
    assert all(r.status == "written" and r.data for r in one)
    assert [r.sha256 for r in one] == [r.sha256 for r in two]
    assert "提案008-李明华-征询意见表.docx" in [r.name for r in one]
    assert "建议096-重新办理答复.docx" in [r.name for r in one]


def test_workers_build_check_and_render_a_ledger_like_one_process(
    tmp_path: Path, ledger: Path, example_org: Organisation
) -> None:
    """Rows are built in the workers: bad cells, the duplicate 案号 (found across workers),
    renamed outputs, the report (from records sent back) and the merged file are all the same."""
    seen = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        results = run(ledger, example_org, out, workers=workers, merge=True, allow_partial=True)
        seen[workers] = [
            (r.status, r.kind, r.case, r.row, r.name, r.sha256, r.message, str(r.problems))
            for r in results
        ]
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert len(manifest["outputs"]) == sum(1 for r in results if r.status == "written")
    one = seen[1]
    assert [(s, row) for s, _, _, row, *_ in one if s == "invalid"] == [
        ("invalid", 14),
        ("invalid", 15),
    ]
    assert "案号重复" in one[1][-1]
    assert one[-2][4] == "2024年建议提案办理工作总结.docx" and one[-1][4] == "答复函合订本.docx"
    assert seen[2] == one


def test_resume_after_interruption(
    tmp_path: Path,
    example_year: HandlingYear,
    example_org: Organisation,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    real = worker_mod.render_document
    calls = {"n": 0}

    def crashing(*args: Any, **kw: Any) -> bytes:
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt  # the process is killed half-way
        return real(*args, **kw)

    monkeypatch.setattr(worker_mod, "render_document", crashing)
    monkeypatch.setattr(batch_mod, "_CHUNK", 1)  # one case per job: 5 files land before the crash
    with pytest.raises(KeyboardInterrupt):
        run(example_year, example_org, out, what={"replies"})
    done = sorted(p.name for p in out.glob("*.docx"))
    assert len(done) == 5
    assert not (out / "manifest.json").exists()  # the run did not finish
    mtimes = {n: (out / n).stat().st_mtime_ns for n in done}
    (out / ".提案042-答复.docx.abc123.part").write_bytes(b"half a file")

    monkeypatch.setattr(worker_mod, "render_document", real)
    calls["n"] = 0
    results = run(example_year, example_org, out, what={"replies"})
    status = {r.name: r.status for r in results}
    assert [n for n, s in status.items() if s == "unchanged"] == done
    assert Counter(status.values()) == {"unchanged": 5, "written": 8}
    assert {n: (out / n).stat().st_mtime_ns for n in done} == mtimes
    assert not list(out.glob(".*.part"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["outputs"]) == 13
    for e in manifest["outputs"]:
        assert _sha(out / e["file"]) == e["sha256"]

    # A file changed since it was written (edited by hand) is kept; --force replaces it.
    (out / done[0]).write_bytes(b"truncated")
    again = {r.name: r.status for r in run(example_year, example_org, out, what={"replies"})}
    assert again[done[0]] == "kept"
    forced = {
        r.name: r.status for r in run(example_year, example_org, out, what={"replies"}, force=True)
    }
    assert forced[done[0]] == "written"
    assert Counter(forced.values()) == {"unchanged": 12, "written": 1}


def test_crash_inside_a_chunk_leaves_no_part_file(
    tmp_path: Path,
    example_year: HandlingYear,
    example_org: Organisation,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    real = worker_mod.render_document
    calls = {"n": 0}

    def crashing(*args: Any, **kw: Any) -> bytes:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(*args, **kw)

    monkeypatch.setattr(worker_mod, "render_document", crashing)
    with pytest.raises(KeyboardInterrupt):
        run(example_year, example_org, out, what={"replies"})
    assert not list(out.glob("*.docx"))  # the whole chunk was lost, and nothing half-written
    assert not list(out.glob(".*.part"))


@pytest.mark.parametrize("workers", [1, 2])
def test_stopping_the_iterator_early_keeps_only_whole_files(
    tmp_path: Path, ledger: Path, example_org: Organisation, workers: int
) -> None:
    out = tmp_path / "out"
    results = cast(
        Generator[BatchResult, None, None],  # render_all is a generator (close() stops it)
        render_all(
            ledger, example_org, out, what={"replies", "forms"}, workers=workers, today=TODAY
        ),
    )
    taken = list(itertools.islice(results, 8))
    results.close()  # the caller gives up (or is killed) half-way
    written = [r for r in taken if r.status == "written"]
    assert written and len(written) < 8
    assert not list(out.glob(".*.part"))  # rendered but never moved in place: removed
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(r.name for r in written if r.name)
    for r in written:
        assert r.path is not None and _sha(r.path) == r.sha256
    again = run(ledger, example_org, out, what={"replies", "forms"}, workers=workers)
    status = Counter(r.status for r in again if r.name)
    assert status["unchanged"] == len(written)
    assert status["kept"] == 0 and status["written"] > 0
    assert (out / "manifest.json").is_file()


def test_existing_files_are_kept_unless_force(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "提案008-答复.docx"
    mine.write_bytes(b"my own edited copy")
    results = {r.name: r for r in run(example_year, example_org, out, what={"replies"})}
    assert results["提案008-答复.docx"].status == "kept"
    assert mine.read_bytes() == b"my own edited copy"
    results = {r.name: r for r in run(example_year, example_org, out, what={"replies"}, force=True)}
    assert results["提案008-答复.docx"].status == "written"
    assert mine.read_bytes()[:2] == b"PK"


def test_user_text_cannot_escape_the_output_folder(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = example_year.cases[0]
    evil = [
        p.model_copy(update={"name": n})
        for p, n in zip(
            rec.case.proposers, ["../../王/建国", "李\x07明华", "..\\赵丽"], strict=True
        )
    ]
    fb = tuple(f.model_copy(update={"proposer": evil[i].name}) for i, f in enumerate(rec.feedback))
    rec = rec.model_copy(
        update={"case": rec.case.model_copy(update={"proposers": tuple(evil)}), "feedback": fb}
    )
    out = tmp_path / "out"
    results = run([rec], example_org, out, what={"forms"})
    names = [str(r.name) for r in results]
    assert all(r.status == "written" for r in results), [r.message for r in results]
    assert names == [
        "提案008-王_建国-征询意见表.docx",
        "提案008-李_明华-征询意见表.docx",
        "提案008-赵丽-征询意见表.docx",
    ]
    assert sorted(p.name for p in tmp_path.rglob("*.docx")) == sorted(names)
    assert all(p.parent == out for p in tmp_path.rglob("*.docx"))


def test_report_and_merge(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    out = tmp_path / "out"
    results = run(example_year, example_org, out, merge=True)
    names = [r.name for r in results]
    assert names[-2:] == ["2024年建议提案办理工作总结.docx", "答复函合订本.docx"]
    assert all(r.status == "written" for r in results), [r.message for r in results if not r.ok]
    again = run(example_year, example_org, out, merge=True)
    assert {r.status for r in again} == {"unchanged"}


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, ["batch", *args], catch_exceptions=False)


def test_cli_exit_codes(tmp_path: Path, ledger: Path) -> None:
    org = str(ROOT / "examples" / "organisation.yaml")
    res = _cli(
        str(ledger),
        "--org",
        org,
        "--out",
        str(tmp_path / "a"),
        "--what",
        "replies",
        "--today",
        "2024-12-31",
    )
    assert res.exit_code == 1
    assert "台账行有误" in res.output and "已生成" in res.output
    good = tmp_path / "good.xlsx"
    shutil.copy(ROOT / "examples" / "ledger2024.xlsx", good)
    res = _cli(
        str(good),
        "--org",
        org,
        "--out",
        str(tmp_path / "b"),
        "--what",
        "replies,forms",
        "--merge",
        "--workers",
        "2",
        "--today",
        "2024-12-31",
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "b" / "答复函合订本.docx").is_file()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    res = _cli(str(broken), "--org", org, "--out", str(tmp_path / "c"))
    assert res.exit_code == 2
    res = _cli(str(ledger), "--org", org, "--out", str(tmp_path / "d"), "--what", "letters")
    assert res.exit_code == 2


def test_cli_xlsx_ledger_with_bodies_folder_and_workers(
    tmp_path: Path, example_year: HandlingYear
) -> None:
    """Workers build rows with the ledger's column map and read reply texts from --bodies."""
    from docx import Document
    from openpyxl import load_workbook

    rows = write_ledger(example_year, tmp_path / "台账.xlsx")
    wb = load_workbook(rows)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[1]]
    assert str(ws.cell(2, header.index("案号") + 1).value) in ("8", "008")  # 提案008
    ws.cell(2, header.index("答复正文") + 1).value = None  # its text comes from the folder
    wb.save(rows)
    bodies = tmp_path / "正文"
    bodies.mkdir()
    text = "感谢您的提案。这一段正文来自正文文件夹，由工作进程读取。"
    (bodies / "提案008.txt").write_text(text, encoding="utf-8")
    res = _cli(
        str(rows),
        "--org",
        str(ROOT / "examples" / "organisation.yaml"),
        "--out",
        str(tmp_path / "out"),
        "--what",
        "replies",
        "--bodies",
        str(bodies),
        "--workers",
        "2",
        "--today",
        "2024-12-31",
    )
    assert res.exit_code == 0, res.output
    doc = Document(str(tmp_path / "out" / "提案008-答复.docx"))
    assert text in [p.text for p in doc.paragraphs]
