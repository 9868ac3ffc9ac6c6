"""A unit's own templates everywhere: ``gongwen template init DIR``, one template edited, then
``--templates DIR`` for ``batch``, ``archive``, ``extension``, ``summary`` and ``render_all``;
a broken template stops the run before any output, naming the file and the problem."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongwen import HandlingYear, Organisation
from gongwen.batch import render_all
from gongwen.cli import app
from gongwen.errors import TemplateError
from tests.conftest import EXAMPLES, TODAY

YEAR = str(EXAMPLES / "year2024.yaml")
ORG = str(EXAMPLES / "organisation.yaml")
MARK = "本单位定制字样"
LETTER = "答复函（信函格式）.docx"


def _text(path: Path) -> str:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def _edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the template's document.xml (as an editor would type)."""
    with zipfile.ZipFile(path) as zf:
        parts = {i: zf.read(i) for i in zf.infolist()}
    out = path.with_suffix(".tmp")
    done = False
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts.items():
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert old in xml, old
                data = xml.replace(old, new).encode("utf-8")
                done = True
            zf.writestr(info, data)
    assert done
    out.replace(path)


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A ``template init`` folder whose reply letter has a literal word after the salutation."""
    folder = tmp_path / "模板"
    result = CliRunner().invoke(app, ["template", "init", str(folder)])
    assert result.exit_code == 0, result.output
    _edit(folder / LETTER, "{{ salutation }}", "{{ salutation }}" + MARK)
    return folder


def _batch(out: Path, *extra: str) -> tuple[int, str]:
    args = ["batch", YEAR, "--org", ORG, "--out", str(out), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(app, [*args, "--workers", "1", *extra])
    return result.exit_code, result.output


def test_batch_uses_the_units_templates(tmp_path: Path, templates: Path) -> None:
    out = tmp_path / "输出"
    code, output = _batch(out, "--templates", str(templates))
    assert code == 0, output
    assert MARK in _text(out / "提案008-答复.docx")  # the edited reply letter
    assert MARK in _text(out / "建议096-重新办理答复.docx")  # later replies: the same template
    assert MARK not in _text(out / "建议103-协办意见.docx")  # the co-opinion: its own template
    assert MARK not in _text(next(out.glob("提案008-*-征询意见表.docx")))
    # the template is part of each output's input: without --templates the replies no longer
    # match (kept without --force, remade with it), the other documents are complete
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    code, output = _batch(out, "--force")
    assert code == 0, output
    assert MARK not in _text(out / "提案008-答复.docx")
    after = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    old = {e["file"]: e["input"] for e in before}
    changed = {e["file"] for e in after if old.get(e["file"]) != e["input"]}
    assert changed and all(n.endswith("答复.docx") for n in changed), changed
    assert "建议103-协办意见.docx" not in changed


def test_batch_notes_a_kind_the_folder_lacks(tmp_path: Path, templates: Path) -> None:
    (templates / "征询意见表.docx").unlink()
    out = tmp_path / "输出"
    code, output = _batch(out, "--templates", str(templates), "--what", "replies,forms")
    assert code == 0, output
    assert "中没有“征询意见表.docx”或“feedback_form.docx”，使用自带模板" in output
    assert MARK in _text(out / "提案008-答复.docx")


def test_a_broken_template_stops_the_batch_before_any_output(
    tmp_path: Path, templates: Path
) -> None:
    _edit(templates / LETTER, "{{ title }}", "{{ titel }}")
    out = tmp_path / "输出"
    code, output = _batch(out, "--templates", str(templates))
    assert code == 2
    flat = output.replace("\n", "")
    assert LETTER in flat and "titel" in flat and "T1" in flat and "T2" in flat
    assert not out.exists()  # nothing written, not even the folder


def test_missing_templates_folder(tmp_path: Path) -> None:
    code, output = _batch(tmp_path / "输出", "--templates", str(tmp_path / "没有"))
    assert code == 2 and "模板文件夹不存在" in output
    assert not (tmp_path / "输出").exists()


def test_render_all_templates(
    tmp_path: Path, templates: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    results = list(
        render_all(example_year, example_org, what={"replies"}, today=TODAY, templates=templates)
    )
    reply = next(r for r in results if r.name == "提案008-答复.docx")
    assert reply.data is not None
    out = tmp_path / "答复.docx"
    out.write_bytes(reply.data)
    assert MARK in _text(out)
    _edit(templates / LETTER, "{{ title }}", "{{ titel }}")
    with pytest.raises(TemplateError, match="titel"):
        render_all(example_year, example_org, what={"replies"}, templates=templates)


def _archive(out: Path, *extra: str) -> tuple[int, str]:
    args = ["archive", YEAR, "--org", ORG, "--out", str(out), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(app, [*args, *extra])
    return result.exit_code, result.output


def test_archive_uses_the_units_templates(tmp_path: Path, templates: Path) -> None:
    out = tmp_path / "档案"
    code, output = _archive(out, "--templates", str(templates))
    assert code == 0, output
    (reply,) = out.glob("提案008_*/第1版/提案008-答复.docx")
    assert MARK in _text(reply)
    # the template is part of what a case is made from: without it each case gets 第2版
    code, output = _archive(out)
    assert code == 0, output
    (again,) = out.glob("提案008_*/第2版/提案008-答复.docx")
    assert MARK not in _text(again)


def test_a_broken_template_stops_the_archive(tmp_path: Path, templates: Path) -> None:
    _edit(templates / LETTER, "{{ title }}", "{{ titel }}")
    out = tmp_path / "档案"
    code, output = _archive(out, "--templates", str(templates))
    assert code == 2
    assert LETTER in output.replace("\n", "") and "titel" in output
    assert not out.exists()


def test_extension_and_summary_take_templates(
    tmp_path: Path, templates: Path, example_year: HandlingYear
) -> None:
    _edit(templates / "延期办理告知函.docx", "{{ salutation }}", "{{ salutation }}" + MARK)
    _edit(templates / "各承办单位办理情况汇总.docx", "{{ date }}", "{{ date }}" + MARK)
    rec = next(r for r in example_year.cases if r.case.label == "提案008")
    case = rec.case.model_copy(
        update={"extended_to": date(2024, 8, 30), "extension_reason": "需会同区财政局研究"}
    )
    case_file = tmp_path / "提案008.json"
    case_file.write_text(rec.model_copy(update={"case": case}).model_dump_json(), "utf-8")
    notice = tmp_path / "告知函.docx"
    args = ["extension", str(case_file), "--org", ORG, "--out", str(notice), "--date", "2024-06-10"]
    result = CliRunner().invoke(app, [*args, "--templates", str(templates)])
    assert result.exit_code == 0, result.output
    assert MARK in _text(notice)

    units = tmp_path / "各单位"
    units.mkdir()
    shutil.copy(YEAR, units / "year2024.yaml")
    summary = tmp_path / "汇总.docx"
    args = ["summary", str(units), "--org", ORG, "--out", str(summary), "--date", "2024-12-20"]
    result = CliRunner().invoke(app, [*args, "--templates", str(templates)])
    assert result.exit_code == 0, result.output
    assert MARK in _text(summary)

    broken = tmp_path / "改坏的模板"  # another path: the engine trusts a template used <1 s ago
    shutil.copytree(templates, broken)
    _edit(broken / "延期办理告知函.docx", "{{ title }}", "{{ titel }}")
    refused = CliRunner().invoke(
        app,
        [
            "extension",
            str(case_file),
            "--org",
            ORG,
            "--out",
            str(tmp_path / "坏.docx"),
            "--date",
            "2024-06-10",
            "--templates",
            str(broken),
        ],
    )
    assert refused.exit_code == 2 and "titel" in refused.output
    assert not (tmp_path / "坏.docx").exists()
