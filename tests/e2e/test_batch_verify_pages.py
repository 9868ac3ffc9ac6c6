"""``gongwen batch --verify-pages`` (issue #12): the page rules (P1–P8) on each output through one
warm LibreOffice; findings in the manifest and the summary; exit code 1 on page errors."""

from __future__ import annotations

import importlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongwen import render_reply
from gongwen.batch import BatchOptions, BatchResult
from gongwen.batch.pages import PageCheck, page_errors
from gongwen.cli import app
from gongwen.errors import InvalidOption
from gongwen.findings import Finding, Severity, Subject
from gongwen.models.config import CheckConfig
from gongwen.preview import Converter
from tests.conftest import TODAY, load_example_org, load_example_year

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[2]
YEAR = ROOT / "examples" / "year2024.yaml"
ORG = ROOT / "examples" / "organisation.yaml"


def _batch(out: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["batch", str(YEAR), "--org", str(ORG), "--out", str(out), "--today", "2024-12-31",
         "--what", "replies", "--workers", "1", *more],
        catch_exceptions=False,
    )  # fmt: skip
    return result.exit_code, result.output


def test_every_reply_is_checked_and_passes(tmp_path: Path) -> None:
    # (the merged file is left out: at HEAD its letters' page 2 print no page number, P8)
    code, output = _batch(tmp_path / "out", "--verify-pages")
    assert code == 0, output
    assert "逐页核对：全部通过" in output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    outputs = manifest["outputs"]
    docs = [e for e in outputs if e["file"].endswith(".docx")]
    cases = load_example_year().cases
    assert len(docs) == sum(1 + (r.rehandling is not None) for r in cases)  # every letter
    for e in docs:
        assert "pages" in e, e["file"]
        assert not [f for f in e["pages"] if f["severity"] == "error"], e


def test_without_the_option_nothing_is_laid_out(tmp_path: Path) -> None:
    code, output = _batch(tmp_path / "out")
    assert code == 0, output
    assert "逐页核对" not in output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert all("pages" not in e for e in manifest["outputs"])


def _stray_copy_to(data: bytes) -> bytes:
    """The 抄送 unframed and pushed alone onto a page of its own (page rule P1)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = body.decode()
                at = xml.index("抄送")
                start = max(xml.rfind("<w:p>", 0, at), xml.rfind("<w:p ", 0, at))
                end = xml.index("</w:p>", at) + len("</w:p>")
                para = re.sub(r"<w:framePr\b[^>]*/>", "", xml[start:end])
                para = para.replace("</w:pPr>", "<w:pageBreakBefore/></w:pPr>", 1)
                xml = xml[:start] + xml[end:]
                note = xml.index("（联系人")
                after = xml.index("</w:p>", note) + len("</w:p>")
                body = (xml[:after] + para + xml[after:]).encode()
            dst.writestr(info, body)
    return out.getvalue()


def test_a_page_error_reaches_the_result_the_manifest_and_the_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = load_example_year()
    rec = next(r for r in year.cases if r.case.label == "建议072")
    assert rec.reply is not None
    data = _stray_copy_to(render_reply(rec.case, rec.reply, load_example_org(), today=TODAY).data)
    path = tmp_path / "建议072-答复.docx"
    path.write_bytes(data)

    class _Manifest:
        def __init__(self) -> None:
            self.new: dict[str, dict[str, object]] = {path.name: {"file": path.name}}

    manifest = _Manifest()
    check = PageCheck(True, manifest, CheckConfig())  # type: ignore[arg-type]
    try:
        result = check(BatchResult("written", "答复", "建议072", None, path.name, path, None))
    finally:
        check.close()
    p1 = [f for f in result.findings if f.code == "P1" and f.severity is Severity.ERROR]
    assert p1 and p1[0].subject is Subject.PAGE and "只有抄送" in p1[0].message
    assert manifest.new[path.name]["pages"] == [f.to_dict() for f in result.findings]
    assert page_errors(result) and page_errors(result)[0].startswith(f"{path.name} P1 ")
    # off: the result is untouched
    assert PageCheck(False, None, CheckConfig())(result) is result

    # the CLI: a page error (here the seeded letter in place of 建议072's) exits 1 and is listed
    module = importlib.import_module("gongwen.verify")
    real = module.verify_pages

    def seeded(
        docx: bytes, converter: Converter | None = None, config: CheckConfig | None = None
    ) -> list[Finding]:
        raw = docx
        if "第72号建议" in zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml").decode():
            raw = data
        found: list[Finding] = real(raw, converter, config)
        return found

    monkeypatch.setattr(module, "verify_pages", seeded)
    code, output = _batch(tmp_path / "out", "--verify-pages")
    assert code == 1, output
    assert "页面错误" in output and "P1" in output and "建议072" in output


def test_option_is_validated() -> None:
    assert BatchOptions.of(verify_pages=True).verify_pages is True
    with pytest.raises(InvalidOption, match="verify_pages"):
        BatchOptions(verify_pages="yes")  # type: ignore[arg-type]
