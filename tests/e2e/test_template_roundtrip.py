"""Every bundled template, opened and saved by LibreOffice, still renders the same text.

LibreOffice writes ``"`` inside text as ``&quot;`` and starts a new run at ``。；！？``, which
broke every reply template (``占位符语法错误…unexpected char '&'``) before
:mod:`gongwen.render.placeholders` normalised them. ``template check`` then reports what was
repaired and what LibreOffice lost (the placeholders written inside formatting attributes).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongwen.cli import app
from gongwen.documents.templates import kind_of, sample_context
from gongwen.models.organisation import Organisation
from gongwen.models.year import HandlingYear
from gongwen.render.engine import CompiledTemplate
from gongwen.render.placeholders import paragraphs
from gongwen.render.sanitize import clean_context
from gongwen.resources import data_dir

TEMPLATES = sorted(data_dir("templates/docx").glob("*.docx"))


def _soffice() -> str:
    found = os.environ.get("GONGWEN_SOFFICE") or shutil.which("soffice")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each bundled template opened and saved as Word 2007 XML by LibreOffice (one run)."""
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("saved")
    profile = tmp_path_factory.mktemp("profile")
    for t in TEMPLATES:
        shutil.copyfile(t, src / t.name)
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            *[str(src / t.name) for t in TEMPLATES],
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {t.name: out / t.name for t in TEMPLATES}


def _in_attributes(template: Path) -> set[str]:
    """Names used in attribute values and drawing positions (``="{{ x }}"``, ``cy="{{ 685800 +
    letter_rows_emu|default(0) }}"``, ``<wp:posOffset>{{ … }}</wp:posOffset>``)."""
    xml = zipfile.ZipFile(template).read("word/document.xml").decode("utf-8")
    found = re.findall(r'="\{\{(.*?)\}\}"|<wp:posOffset>\{\{(.*?)\}\}</wp:posOffset>', xml)
    return {n for a, b in found for n in re.findall(r"(?<![\w.|])[A-Za-z_]\w*", a or b)}


def _text(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return [p.text for p in paragraphs(xml) if p.text.strip()]


@pytest.mark.libreoffice
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_saved_copy_renders_the_same_text(
    template: Path,
    tmp_path: Path,
    saved_by_libreoffice: dict[str, Path],
    example_year: HandlingYear,
    example_org: Organisation,
) -> None:
    saved = saved_by_libreoffice[template.name]
    raw = zipfile.ZipFile(saved).read("word/document.xml").decode("utf-8")
    original = CompiledTemplate(template, template.read_bytes())
    copy = CompiledTemplate(saved, saved.read_bytes())  # raised TemplateError before the fix
    # only the placeholders written inside formatting attributes are lost (template check says so)
    assert original.variables - copy.variables <= _in_attributes(template)
    kind = kind_of(template.name)
    if kind is None:  # a template without a kind yet: no context to render it with
        return
    context = clean_context(sample_context(kind, example_year, example_org), frozenset({"title"}))
    assert kind.required <= copy.variables
    want, got = _text(original.render(context)), _text(copy.render(context))
    assert got == want
    assert not any("{{" in t or "{%" in t for t in got)
    # template check: what normalising repaired (T4/T5); the sizes LibreOffice lost (T8, error);
    # --fix puts them back, and the fixed copy prints the letterhead as the original does
    res = CliRunner().invoke(
        app, ["template", "check", str(saved), "--kind", kind.key, "--format", "json"]
    )
    codes = {f["code"] for f in json.loads(res.stdout)}
    if "&quot;" in raw:
        assert codes & {"T4", "T5"}, res.stdout
    lost = original.variables - copy.variables
    assert ("T8" in codes) == any(n.endswith("_sz") for n in lost), res.stdout
    assert res.exit_code == (1 if "T8" in codes else 0), res.stdout
    fixed = tmp_path / f"修复-{template.name}"
    res = CliRunner().invoke(
        app, ["template", "check", str(saved), "--kind", kind.key, "--fix", str(fixed)]
    )
    assert res.exit_code == 0, res.output
    repaired = CompiledTemplate(fixed, fixed.read_bytes())
    # --fix restores the run properties (字号、字符缩放); the multi-line mark's shift of the
    # letterhead drawings and the joint file mark's column widths stay lost (template check
    # warns, T6): a one-line mark of one organ prints the same
    layout = {"letter_rows_emu", "letter_rows_twips", "file_names_w", "file_gap_w", "file_word_w"}
    geometry = _in_attributes(template) & layout
    assert original.variables - repaired.variables <= geometry
    rendered = repaired.render(context)
    assert _text(rendered) == want
    assert _sizes(rendered, example_org.mark) == _sizes(original.render(context), example_org.mark)


def _sizes(docx: bytes, text: str) -> set[str]:
    """The sizes and scales of the runs holding ``text`` (the organ mark; LibreOffice adds a
    VML fallback copy of each text box, hence a set)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    runs = re.findall(r"<w:r>(?:(?!<w:r[ >]).)*?</w:r>", xml, flags=re.DOTALL)
    return {"".join(re.findall(r'<w:(?:sz|w) w:val="(\d+)"/>', r)) for r in runs if text in r}
