"""gongwen batch --variant file and --merge --simplex, through the CLI."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from gongwen.cli import app
from tests.conftest import EXAMPLES


def _batch(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "out"
    args = ["batch", str(EXAMPLES / "year2024.yaml"), "--org", str(EXAMPLES / "organisation.yaml")]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--what", "replies", *extra])
    assert result.exit_code == 0, result.output
    return out


def _document(path: Path) -> str:
    return zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")


def test_variant_file_renders_red_header_replies(tmp_path: Path) -> None:
    letter = _document(_batch(tmp_path / "a") / "提案008-答复.docx")
    file_format = _document(_batch(tmp_path / "b", "--variant", "file") / "提案008-答复.docx")
    assert "文件" not in re.sub(r"<[^>]+>", "", letter).split("提案")[0]
    assert "文件" in re.sub(r"<[^>]+>", "", file_format)


def test_merge_is_duplex_by_default_and_simplex_on_request(tmp_path: Path) -> None:
    duplex = _document(_batch(tmp_path / "d", "--merge") / "答复函合订本.docx")
    simplex = _document(_batch(tmp_path / "s", "--merge", "--simplex") / "答复函合订本.docx")
    assert 'w:type w:val="oddPage"' in duplex and 'w:val="nextPage"' not in duplex
    assert 'w:type w:val="oddPage"' not in simplex
