"""一件一档 (`gongwen archive`, `export_archive`): every file the manifest and index list opens,
matches its SHA-256, and the record validates against `gongwen schema record`; re-runs add."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs; only validate() is used
import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

import gongwen.archive.write as archive_write
from gongwen import CaseRecord, HandlingYear, Organisation
from gongwen.api import render_planned
from gongwen.archive import (
    INDEX_COLUMNS,
    ArchiveOptions,
    Status,
    case_folder_name,
    export_archive,
)
from gongwen.cli.app import app
from gongwen.documents.plan import case_documents
from gongwen.inputs import load_input
from gongwen.store import Store
from tests.conftest import EXAMPLES, TODAY

ORG = EXAMPLES / "organisation.yaml"
LEDGER = EXAMPLES / "ledger2024.xlsx"
CSV = EXAMPLES / "ledger2024.csv"
HEADER = [name for name, _ in INDEX_COLUMNS]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def record_schema() -> dict[str, Any]:
    result = CliRunner().invoke(app, ["schema", "record"])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, ["archive", *map(str, args), "--today", TODAY.isoformat()])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def index_rows(dest: Path) -> list[dict[str, Any]]:
    wb = load_workbook(dest / "index.xlsx", read_only=True)
    ws = wb.active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    assert list(rows[0]) == HEADER
    return [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]


def csv_rows() -> list[list[str]]:
    with CSV.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def ledger_records(path: Path, org: Organisation) -> list[CaseRecord]:
    return load_input(path, organisation=org).records


def folder_versions(dest: Path, folder: str) -> Iterator[tuple[int, dict[str, bytes]]]:
    """Each version of a case as (number, {file name: bytes}), from a folder or a zip."""
    path = dest / folder
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            entries = {i.filename: zf.read(i) for i in zf.infolist()}
        versions = sorted({n.split("/")[0] for n in entries})
        for v in versions:
            yield (
                int(v[1:-1]),
                {n.split("/", 1)[1]: d for n, d in entries.items() if n.startswith(v + "/")},
            )
    else:
        for sub in sorted(path.iterdir()):
            yield int(sub.name[1:-1]), {p.name: p.read_bytes() for p in sub.iterdir()}


def check_archive(
    dest: Path, records: list[CaseRecord], schema: dict[str, Any], *, zipped: bool = False
) -> list[dict[str, Any]]:
    """Open every file the index and the manifests list; return the index rows."""
    rows = index_rows(dest)
    assert len(rows) == len(records)
    by_label = {r.case.label: r for r in records}
    for row in rows:
        record = by_label[row["案号"]]
        assert row["案由"] == record.case.title
        assert row["领衔人"] == record.case.lead.name
        folder = str(row["文件夹"])
        assert folder.endswith(".zip") if zipped else folder.endswith("/")
        assert folder.startswith(f"{record.case.label}_")
        assert not set('<>:"\\|?*') & set(folder.rstrip("/"))
        versions = dict(folder_versions(dest, folder))
        assert max(versions) == row["版本"]
        for number, files in versions.items():
            manifest = json.loads(files["manifest.json"])
            assert manifest["version"] == number
            listed = {f["name"]: f for f in manifest["files"]}
            assert set(files) == set(listed) | {"manifest.json"}  # nothing unlisted
            for name, entry in listed.items():
                data = files[name]
                assert sha(data) == entry["sha256"] and len(data) == entry["size"], name
                if name.endswith(".docx"):
                    assert Document(io.BytesIO(data)).paragraphs  # opens as a docx
                else:
                    assert name == f"{record.case.label}-案件记录.json"
                    dump = json.loads(data)
                    jsonschema.validate(dump, schema)
        latest = versions[row["版本"]]
        manifest = json.loads(latest["manifest.json"])
        assert row["文件数"] == len(manifest["files"])
        assert (
            CaseRecord.model_validate_json(latest[f"{record.case.label}-案件记录.json"]) == record
        )
        planned = [p.name for p in case_documents(record)]
        assert [f["name"] for f in manifest["files"]] == [
            f"{record.case.label}-案件记录.json",
            *planned,
        ]
        reply = record.rounds[-1].reply  # the reply the proposer received last
        assert row["文号"] == str(reply.doc_number)
        assert row["类别"] == (reply.result_class or None)
    return rows


def snapshot(dest: Path) -> dict[str, tuple[int, int, str]]:
    """Every file but the index: (inode, mtime, SHA-256) — to show a re-run left it alone."""
    out = {}
    for p in dest.rglob("*"):
        if p.is_file() and p.name != "index.xlsx" and not p.name.startswith("."):
            st = p.stat()
            out[str(p.relative_to(dest))] = (st.st_ino, st.st_mtime_ns, sha(p.read_bytes()))
    return out


def test_archive_of_the_example_ledger(
    tmp_path: Path, record_schema: dict[str, Any], example_org: Organisation
) -> None:
    dest = tmp_path / "档案"
    result = run(LEDGER, "--org", ORG, "--out", dest)
    assert result.exit_code == 0, result.output
    assert "共12件：新建12件。" in result.output
    assert "GW203" in result.output  # the warning of 建议085 is shown (and archived)
    records = ledger_records(LEDGER, example_org)
    rows = check_archive(dest, records, record_schema)
    assert {r["版本"] for r in rows} == {1}
    row = next(r for r in rows if r["案号"] == "提案008")
    assert row["文件夹"] == "提案008_关于加大中小企业数字化转型扶持力度的提案/"
    assert row["日期"] == "2024年5月20日" and row["类别"] == "A"
    late = json.loads(
        next(
            (dest / next(r["文件夹"] for r in rows if r["案号"] == "建议085")).glob(
                "第1版/manifest.json"
            )
        ).read_bytes()
    )
    assert [f["code"] for f in late["findings"]] == ["GW203"]
    assert late["source"] == "ledger2024.xlsx 第9行"
    # a second run finds nothing new and changes nothing
    before = snapshot(dest)
    again = run(LEDGER, "--org", ORG, "--out", dest)
    assert again.exit_code == 0 and "共12件：未变12件。" in again.output
    assert snapshot(dest) == before


def test_same_files_from_new_inputs_add_no_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "档案"
    small = write_csv(tmp_path / "三件.csv", csv_rows()[:4])
    assert run(small, "--org", ORG, "--out", dest).exit_code == 0
    before = snapshot(dest)
    # another gongwen version: the inputs differ, so every case is rendered again and compared
    monkeypatch.setattr("gongwen.archive.write.__version__", "99.0")
    calls: list[str] = []
    real = render_planned  # what gongwen.archive.write calls

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1].name)
        return real(*args, **kwargs)

    monkeypatch.setattr(archive_write, "render_planned", counting)
    again = run(small, "--org", ORG, "--out", dest)
    assert again.exit_code == 0 and "共3件：未变3件。" in again.output, again.output
    assert len(calls) == sum(len(case_documents(r)) for r in load_input(small).records) > 3
    assert snapshot(dest) == before


def test_rerun_adds_a_new_case_and_a_new_version_without_touching_files(
    tmp_path: Path, record_schema: dict[str, Any], example_org: Organisation
) -> None:
    rows = csv_rows()
    dest = tmp_path / "档案"
    first = write_csv(tmp_path / "前11件.csv", rows[:-1])
    assert run(first, "--org", ORG, "--out", dest).exit_code == 0
    assert len(index_rows(dest)) == 11
    before = snapshot(dest)

    full = write_csv(tmp_path / "全部.csv", rows)
    result = run(full, "--org", ORG, "--out", dest)
    assert result.exit_code == 0, result.output
    assert "共12件：新建1件，未变11件。" in result.output
    after = snapshot(dest)
    assert {k: v for k, v in after.items() if k in before} == before  # untouched
    added = {k.split("/")[0] for k in set(after) - set(before)}
    assert added == {"建议127_关于支持专精特新企业上市融资的建议"}
    check_archive(dest, ledger_records(full, example_org), record_schema)

    # a changed record: a 第2版 beside the untouched 第1版
    body = rows[0].index("答复正文")
    rows[1][body] = rows[1][body] + "（本件答复已修改。）"
    changed = write_csv(tmp_path / "改了一件.csv", rows)
    result = run(changed, "--org", ORG, "--out", dest)
    assert result.exit_code == 0, result.output
    assert "共12件：新增版本1件，未变11件。" in result.output
    final = snapshot(dest)
    assert {k: v for k, v in final.items() if k in after} == after
    new = sorted(set(final) - set(after))
    assert new and all(
        k.startswith("提案008_关于加大中小企业数字化转型扶持力度的提案/第2版/") for k in new
    )
    index = check_archive(dest, ledger_records(changed, example_org), record_schema)
    assert next(r for r in index if r["案号"] == "提案008")["版本"] == 2


def test_zip_per_case_and_a_new_version_keeps_the_old_entries(
    tmp_path: Path, record_schema: dict[str, Any], example_org: Organisation
) -> None:
    dest = tmp_path / "档案"
    result = run(CSV, "--org", ORG, "--out", dest, "--zip")
    assert result.exit_code == 0, result.output
    assert (
        sorted(p.suffix for p in dest.iterdir() if not p.name.startswith("."))
        == [".xlsx"] + [".zip"] * 12
    )
    check_archive(dest, ledger_records(CSV, example_org), record_schema, zipped=True)
    name = "建议096_关于加快工业园区污水管网配套建设的建议.zip"
    with zipfile.ZipFile(dest / name) as zf:
        old = {i.filename: zf.read(i) for i in zf.infolist()}
    rows = csv_rows()
    body = rows[0].index("答复正文")
    row = next(r for r in rows[1:] if r[2] == "96")
    row[body] += "\n\n特此补充。"
    changed = write_csv(tmp_path / "改了一件.csv", rows)
    result = run(changed, "--org", ORG, "--out", dest, "--zip")
    assert result.exit_code == 0 and "新增版本1件" in result.output, result.output
    with zipfile.ZipFile(dest / name) as zf:
        new = {i.filename: zf.read(i) for i in zf.infolist()}
    assert {k: v for k, v in new.items() if k in old} == old  # 第1版 byte for byte
    assert {k.split("/")[0] for k in set(new) - set(old)} == {"第2版"}
    check_archive(dest, ledger_records(changed, example_org), record_schema, zipped=True)
    # the same archive in the other form is refused before anything is written
    mixed = run(CSV, "--org", ORG, "--out", dest)
    assert mixed.exit_code == 2 and "同一档案请使用同一种方式" in mixed.output
    assert "--zip" in mixed.output


def test_cases_with_errors_are_reported_and_skipped(tmp_path: Path) -> None:
    rows = csv_rows()
    header = rows[0]
    rows[2][header.index("答复日期")] = "2024-01-01"  # 提案015: replied before it was assigned
    rows[3][header.index("交办日期")] = "不是日期"  # 提案023: a cell that cannot be read
    bad = write_csv(tmp_path / "有错.csv", rows)
    dest = tmp_path / "档案"
    result = run(bad, "--org", ORG, "--out", dest)
    assert result.exit_code == 1, result.output
    text = result.output
    assert "未归档的行和案件" in text
    assert "J列（交办日期）" in text and "无法识别的日期" in text  # row 4, its header
    assert "提案015" in text and "GW201" in text and "O列（答复日期）" in text
    assert "共11件：新建10件，跳过1件。" in text
    labels = {r["案号"] for r in index_rows(dest)}
    assert len(labels) == 10 and not labels & {"提案015", "提案023"}


def test_an_interrupted_version_is_completed_or_refused(tmp_path: Path) -> None:
    dest = tmp_path / "档案"
    small = write_csv(tmp_path / "三件.csv", csv_rows()[:4])
    assert run(small, "--org", ORG, "--out", dest).exit_code == 0
    version = dest / "提案008_关于加大中小企业数字化转型扶持力度的提案" / "第1版"
    (version / "manifest.json").unlink()  # as if the run had stopped before the manifest
    reply = version / "提案008-答复.docx"
    kept = reply.read_bytes()
    result = run(small, "--org", ORG, "--out", dest)
    assert result.exit_code == 0 and "新建1件，未变2件" in result.output, result.output
    assert (version / "manifest.json").is_file() and reply.read_bytes() == kept

    (version / "manifest.json").unlink()
    reply.write_bytes(b"someone else's file")
    refused = run(small, "--org", ORG, "--out", dest)
    assert refused.exit_code == 1 and "已存在且内容不同，未覆盖" in refused.output
    assert reply.read_bytes() == b"someone else's file"
    forced = run(small, "--org", ORG, "--out", dest, "--force")
    assert forced.exit_code == 0, forced.output
    assert reply.read_bytes() == kept

    # a damaged manifest elsewhere in the archive is reported and left alone
    broken = dest / "旧档案_损坏" / "第1版" / "manifest.json"
    broken.parent.mkdir(parents=True)
    broken.write_text("{不是 JSON", encoding="utf-8")
    warned = run(small, "--org", ORG, "--out", dest)
    assert warned.exit_code == 0 and "档案清单" in warned.output and "无法读取" in warned.output
    assert broken.read_text(encoding="utf-8") == "{不是 JSON"


def test_a_foreign_index_is_not_overwritten(tmp_path: Path) -> None:
    dest = tmp_path / "别人的文件夹"
    dest.mkdir()
    (dest / "index.xlsx").write_bytes(b"not ours")
    result = run(CSV, "--org", ORG, "--out", dest)
    assert (
        result.exit_code == 2
        and "不是 gongwen 档案" in result.output
        and "--force" in result.output
    )
    assert (dest / "index.xlsx").read_bytes() == b"not ours"


def test_a_year_file_with_an_extended_case(
    tmp_path: Path,
    example_year: HandlingYear,
    example_org: Organisation,
    record_schema: dict[str, Any],
) -> None:
    first = example_year.cases[0]
    extended = {
        **first.case.model_dump(),
        "extended_to": date(2024, 7, 15),
        "extension_reason": "涉及多个部门，需进一步协调",
        # the notice sent, as recorded with the case (its date and 发文字号 are printed)
        "extension_notice": {"date": date(2024, 6, 10), "doc_number": "临经信函〔2024〕9号"},
    }
    cases = (CaseRecord.model_validate({**first.model_dump(), "case": extended}),)
    year = example_year.model_copy(update={"cases": cases + example_year.cases[1:]})
    source = tmp_path / "year.json"
    source.write_text(year.model_dump_json(), encoding="utf-8")
    dest = tmp_path / "档案"
    result = run(source, "--org", ORG, "--out", dest)
    assert result.exit_code == 0, result.output
    check_archive(dest, list(year.cases), record_schema)
    version = dest / "提案008_关于加大中小企业数字化转型扶持力度的提案" / "第1版"
    notice = version / "提案008-延期办理告知函.docx"
    printed = "\n".join(p.text for p in Document(str(notice)).paragraphs)
    assert "2024年7月15日" in printed  # the new date, in the body
    assert "2024年6月10日" in printed and "临经信函〔2024〕9号" in printed  # the recorded notice
    record = json.loads((version / "提案008-案件记录.json").read_bytes())
    assert record["case"]["extension_notice"] == {
        "date": "2024-06-10",
        "doc_number": "临经信函〔2024〕9号",
        "body": None,
        "closing": None,
    }
    manifest = json.loads((version / "manifest.json").read_bytes())
    assert manifest["source"] == "year.json 第1件"
    assert manifest["files"][1] == {
        "name": notice.name,
        "kind": "延期办理告知函",
        "sha256": sha(notice.read_bytes()),
        "size": notice.stat().st_size,
    }


def test_folder_names_are_safe_on_windows(example_year: HandlingYear) -> None:
    record = example_year.cases[0]
    odd = record.model_copy(
        update={"case": record.case.model_copy(update={"title": '关于<A>:"B"/C\\D|E?F*的提案。'})}
    )
    name = case_folder_name(odd)
    assert name.startswith("提案008_关于")
    assert not set('<>:"/\\|?*') & set(name) and not name.endswith((".", " "))
    assert case_folder_name(odd, 2).endswith("（2）")
    long = record.model_copy(update={"case": record.case.model_copy(update={"title": "关于" * 90})})
    assert len(case_folder_name(long)) <= 40


def test_export_from_the_store(
    tmp_path: Path,
    example_year: HandlingYear,
    example_org: Organisation,
    record_schema: dict[str, Any],
) -> None:
    with Store(tmp_path / "gongwen.sqlite3") as store:
        ids = store.import_year(example_year, example_org, author="张三", source="year2024.yaml")
        first = store.case(ids[0])
        plan = case_documents(first.record)
        # the store keeps the file-format reply the office actually sent for this case
        sent = render_planned(
            first.record, case_documents(first.record, variant="file")[0], example_org, today=TODAY
        )
        store.add_document(
            first.id, revision=1, kind=plan[0].kind.value, filename=plan[0].name, data=sent.data
        )
        store.add_document(
            first.id, revision=1, kind="来文扫描件", filename="来文.pdf", data=b"%PDF-1.4 scanned"
        )
        dest = tmp_path / "档案"
        options = ArchiveOptions(today=TODAY)
        result = export_archive(store, dest, options=options)
        assert result.ok and result.count(Status.ADDED) == len(example_year.cases)
        outcome = result.outcomes[0]
        assert outcome.folder is not None
        version = dest / outcome.folder / "第1版"
        assert (version / plan[0].name).read_bytes() == sent.data  # from the store, not rendered
        assert (version / "来文.pdf").read_bytes() == b"%PDF-1.4 scanned"  # kept, not dropped
        manifest = json.loads((version / "manifest.json").read_bytes())
        assert manifest["store"] == {"case_id": first.id, "revision": 1}
        assert manifest["source"].startswith(f"工作台第 {first.id} 号案件第 1 版（张三，")
        jsonschema.validate(
            json.loads((version / "提案008-案件记录.json").read_bytes()), record_schema
        )
        for entry in manifest["files"]:
            assert sha((version / entry["name"]).read_bytes()) == entry["sha256"]

        # an edit in the workbench: the next export adds 第2版 for that case only
        assert first.record.reply is not None
        edited = first.record.model_copy(
            update={
                "reply": first.record.reply.model_copy(
                    update={"body": first.record.reply.body + "\n\n特此说明。"}
                )
            }
        )
        store.save_case(first.id, edited, base_revision=1, author="李四")
        again = export_archive(store, dest, options=options)
        assert again.count(Status.VERSION) == 1 and again.count(Status.UNCHANGED) == 11
        second = dest / outcome.folder / "第2版"
        names = sorted(p.name for p in second.iterdir())
        assert "来文.pdf" not in names  # that scan belongs to revision 1
        assert json.loads((second / "manifest.json").read_bytes())["store"]["revision"] == 2
        assert (
            CaseRecord.model_validate_json((second / "提案008-案件记录.json").read_bytes())
            == edited
        )
        assert os.path.isfile(dest / "index.xlsx")
