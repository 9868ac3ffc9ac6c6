"""``--preview`` writes a PDF beside each docx (reply, form, report, batch, preview command)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
import yaml
from typer.testing import CliRunner

from gongwen.cli import app
from tests.conftest import EXAMPLES, load_example_year, record_by_label

ORG = str(EXAMPLES / "organisation.yaml")
runner = CliRunner()

pytestmark = pytest.mark.libreoffice  # every --preview converts with LibreOffice


def _case_file(tmp_path: Path, label: str) -> Path:
    rec = record_by_label(load_example_year(), label)
    path = tmp_path / f"{label}.yaml"
    data = rec.model_dump(mode="json", exclude_none=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        text = "".join((p.extract_text() or "") for p in pdf.pages)
        return text.replace(" ", "").replace("\n", "")


def test_reply_and_form_and_report_previews(tmp_path: Path) -> None:
    case = _case_file(tmp_path, "提案015")
    out = tmp_path / "out"
    r = runner.invoke(
        app, ["reply", str(case), "--org", ORG, "--out", str(out / "r.docx"), "--preview"]
    )
    assert r.exit_code == 0, r.output
    assert "第15号提案的答复" in _pdf_text(out / "r.pdf")
    r = runner.invoke(app, ["form", str(case), "--org", ORG, "--out", str(out), "--preview"])
    assert r.exit_code == 0, r.output
    form_pdf = out / "提案015-民建临湖区基层委员会-征询意见表.pdf"
    assert "征询意见表" in _pdf_text(form_pdf)
    r = runner.invoke(
        app,
        [
            "report",
            str(EXAMPLES / "year2024.yaml"),
            "--org",
            ORG,
            "--out",
            str(out / "report.docx"),
            "--narrative",
            str(EXAMPLES / "narrative2024.md"),
            "--preview",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "办理工作总结" in _pdf_text(out / "report.pdf")


def test_batch_preview_and_preview_command(tmp_path: Path) -> None:
    out = tmp_path / "batch"
    r = runner.invoke(
        app,
        [
            "batch",
            str(EXAMPLES / "ledger2024.csv"),
            "--org",
            ORG,
            "--out",
            str(out),
            "--what",
            "replies",
            "--preview",
        ],
    )
    assert r.exit_code == 0, r.output
    docx = sorted(out.glob("*.docx"))
    assert docx and all(d.with_suffix(".pdf").is_file() for d in docx)
    r = runner.invoke(
        app, ["preview", str(docx[0]), "--png", "--dpi", "40", "--out", str(tmp_path / "pv")]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "pv" / f"{docx[0].stem}.pdf").is_file()
    assert (tmp_path / "pv" / f"{docx[0].stem}-1.png").read_bytes()[:4] == b"\x89PNG"
