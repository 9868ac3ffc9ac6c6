"""Pipes: ``-`` as an input reads standard input (JSON or YAML, told apart by the first
character), ``--out -`` writes the document — and nothing else — to standard output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from gongwen import load_organisation, render_annual_report, render_reply
from gongwen.cli import app
from gongwen.ledger.files import load_record
from gongwen.resources import example_path

ORG = str(example_path("organisation.yaml"))
YEAR = example_path("year2024.yaml")
GONGWEN = str(Path(sys.executable).with_name("gongwen"))


def _cases() -> list[dict[str, Any]]:
    data = yaml.safe_load(YEAR.read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = data["cases"]
    return cases


def _record(label: str) -> dict[str, Any]:
    for c in _cases():
        case = c["case"]
        if f"{case['kind']}{case['number']:03d}" == label:
            return c
    raise AssertionError(label)


@pytest.fixture
def record_json(tmp_path: Path) -> Path:
    p = tmp_path / "record.json"
    p.write_text(json.dumps(_record("提案008"), ensure_ascii=False, default=str), "utf-8")
    return p


def _document_text(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_reply_through_real_pipes(tmp_path: Path, record_json: Path) -> None:
    """``gongwen reply - --org … --out - < record.json > out.docx`` through a shell."""
    out = tmp_path / "out.docx"
    err = tmp_path / "err.txt"
    cmd = f'"{GONGWEN}" reply - --org "{ORG}" --out - < "{record_json}" > "{out}" 2> "{err}"'
    done = subprocess.run(cmd, shell=True, timeout=120, check=False)
    assert done.returncode == 0, err.read_text("utf-8")
    data = out.read_bytes()
    record = load_record(record_json)
    assert record.reply is not None
    expected = render_reply(record.case, record.reply, load_organisation(ORG)).data
    assert data == expected  # the document and nothing else on stdout
    assert "已写出 提案008-答复.docx" in err.read_text("utf-8")
    assert not list(tmp_path.glob("-*")), "no file named '-' is written"


def test_yaml_on_stdin_and_one_form_to_stdout(record_json: Path) -> None:
    text = yaml.safe_dump(_record("提案008"), allow_unicode=True)
    assert not text.lstrip().startswith("{")
    done = subprocess.run(
        [GONGWEN, "form", "-", "--org", ORG, "--out", "-", "--person", "李明华"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "李明华" in _document_text(done.stdout)
    assert "张建国" not in _document_text(done.stdout)
    assert b"\xe5\xb7\xb2\xe5\x86\x99\xe5\x87\xba" in done.stderr  # 已写出


def test_report_from_stdin_to_stdout() -> None:
    done = subprocess.run(
        [GONGWEN, "report", "-", "--org", ORG, "--date", "2024-12-20", "--out", "-"],
        input=YEAR.read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"PK")
    assert "办理工作总结" in done.stderr.decode()  # the findings table and message: stderr


def test_in_process_cli_runner(record_json: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["reply", "-", "--org", ORG, "--out", "-", "--variant", "file"],
        input=record_json.read_bytes(),
    )
    assert res.exit_code == 0, res.stderr
    assert res.stdout_bytes.startswith(b"PK")
    zipfile.ZipFile(io.BytesIO(res.stdout_bytes)).testzip()
    assert "已写出" in res.stderr and "已写出" not in res.stdout_bytes.decode("latin-1")


def test_report_in_process_equals_the_api() -> None:
    from datetime import date

    from gongwen.ledger.files import load_year

    res = CliRunner().invoke(
        app,
        ["report", "-", "--org", ORG, "--date", "2024-12-20", "--out", "-"],
        input=YEAR.read_bytes(),
    )
    assert res.exit_code == 0, res.stderr
    doc = render_annual_report(
        load_year(YEAR), load_organisation(ORG), report_date=date(2024, 12, 20)
    )
    assert res.stdout_bytes == doc.data


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["reply", "-", "--org", "-", "--out", "-"], b"{}", "只能有一个输入来自标准输入"),
        (["reply", "-", "--org", ORG, "--out", "-"], b"", "标准输入没有数据"),
        (["reply", "-", "--org", ORG, "--out", "-"], b'{"case": 1', "无法解析标准输入的 JSON"),
        (["reply", "-", "--org", ORG, "--out", "-"], b"case: [", "无法解析标准输入的 YAML"),
        (["reply", "-", "--org", ORG, "--out", "-"], b"\xff\xfe", "不是 UTF-8 编码"),
        (["reply", "-", "--org", ORG, "--out", "-"], b'{"case": {}}', "标准输入 内容有误"),
        (["reply", "-", "--org", ORG, "--out", "-", "--preview"], b"{}", "--preview 不能与"),
        (["form", "-", "--org", ORG, "--out", "-"], None, "只能写出一份"),
        (["form", "-", "--org", ORG, "--out", "-", "--person", "无此人"], None, "不是提案008"),
    ],
)
def test_pipe_errors_are_chinese(args: list[str], stdin: bytes | None, message: str) -> None:
    if stdin is None:
        stdin = json.dumps(_record("提案008"), ensure_ascii=False, default=str).encode()
    res = CliRunner().invoke(app, args, input=stdin)
    assert res.exit_code == 2
    assert message in res.stderr
    assert res.stdout_bytes == b""
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_check_reads_stdin(record_json: Path) -> None:
    res = CliRunner().invoke(
        app, ["check", "-", "--org", ORG, "--today", "2024-12-31"], input=record_json.read_bytes()
    )
    assert res.exit_code in (0, 1), res.output
    assert "不支持的文件类型" not in res.output and "文件不存在" not in res.output


def test_template_check_and_schema_use_the_standard_streams(tmp_path: Path) -> None:
    from gongwen.resources import template_path

    runner = CliRunner()
    res = runner.invoke(
        app,
        ["template", "check", "-", "--kind", "reply_letter"],
        input=template_path("reply_letter.docx").read_bytes(),
    )
    assert res.exit_code == 0, res.output
    assert "模板 标准输入（答复函（信函格式））可以使用" in res.stdout
    res = runner.invoke(app, ["schema", "organisation", "--out", "-"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["title"]
    assert not Path("-").exists()
