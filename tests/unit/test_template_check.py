"""Templates as office suites save them: normalisation, ``gongwen template check`` and
``gongwen template init`` (Chinese file names, 说明.txt, found again by ``--templates``)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from gongwen.cli import app
from gongwen.documents.templates import TEMPLATE_KINDS, kind_of, template_in
from gongwen.render.engine import CompiledTemplate
from gongwen.render.placeholders import normalise, paragraphs
from gongwen.resources import example_path, template_path

ORG = str(example_path("organisation.yaml"))
YEAR = str(example_path("year2024.yaml"))
TITLE = '<w:r><w:t xml:space="preserve">{{ title }}</w:t></w:r>'


def _edit(bundled: str, old: str, new: str, out: Path, *, count: int = 1) -> Path:
    """A copy of a bundled template with ``old`` replaced in word/document.xml."""
    src = template_path(bundled).read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert old in xml, old
                data = xml.replace(old, new, count).encode("utf-8")
            zout.writestr(info, data)
    out.write_bytes(buf.getvalue())
    return out


def _number(bundled: str, text: str) -> int:
    """The 1-based number of the paragraph whose text is ``text``, counted as a person reads
    the document (ElementTree document order; text-box fallback copies left out)."""
    import xml.etree.ElementTree as ET

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    mc = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
    root = ET.fromstring(zipfile.ZipFile(template_path(bundled)).read("word/document.xml"))
    skip = {id(p) for fb in root.iter(f"{mc}Fallback") for p in fb.iter(f"{w}p")}
    paras = [p for p in root.iter(f"{w}p") if id(p) not in skip]
    texts = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in paras]
    return texts.index(text) + 1


def _check(path: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    res = CliRunner().invoke(app, ["template", "check", str(path), "--format", "json", *extra])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code, json.loads(res.stdout) if res.stdout.strip() else []


def _codes(findings: list[dict[str, Any]]) -> set[str]:
    return {f["code"] for f in findings}


# ----------------------------------------------------------------------------- normalisation


def test_split_placeholder_is_joined_keeping_the_first_runs_formatting() -> None:
    xml = (
        '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>前{{ ti</w:t></w:r><w:proofErr w:type="spellStart"/>'
        '<w:bookmarkStart w:id="7" w:name="x"/><w:r><w:rPr><w:i/></w:rPr><w:t>t</w:t></w:r>'
        '<w:bookmarkEnd w:id="7"/><w:r><w:t>le }}后</w:t></w:r></w:p>'
    )
    fixed, repairs = normalise(xml)
    assert "<w:b/></w:rPr><w:t>前{{ title }}</w:t>" in fixed
    assert "<w:t>后</w:t>" in fixed and "<w:i/></w:rPr><w:t></w:t>" in fixed
    assert (
        '<w:bookmarkStart w:id="7" w:name="x"/>' in fixed and '<w:bookmarkEnd w:id="7"/>' in fixed
    )
    assert [(r.kind, r.paragraph, r.tag, r.pieces) for r in repairs] == [
        ("joined", 1, "{{ title }}", 3)
    ]
    assert paragraphs(fixed)[0].text == "前{{ title }}后"


def test_split_braces_and_entities_and_curly_quotes() -> None:
    xml = (
        "<w:p><w:r><w:t>{</w:t></w:r><w:r><w:t>%p if b.kind == &quot;h1&quot; or x == “a”"
        "\u3000%</w:t></w:r><w:r><w:t>}</w:t></w:r></w:p>"
    )
    fixed, repairs = normalise(xml)
    assert '<w:t>{%p if b.kind == "h1" or x == "a" %}</w:t>' in fixed
    assert {r.kind for r in repairs} == {"joined", "quotes", "spaces"}


def test_text_outside_tags_is_untouched() -> None:
    xml = "<w:p><w:r><w:t>他说：“好” &quot;x&quot;</w:t></w:r></w:p>"
    assert normalise(xml) == (xml, [])


def test_a_tag_never_joins_across_paragraphs() -> None:
    xml = "<w:p><w:r><w:t>{{ tit</w:t></w:r></w:p><w:p><w:r><w:t>le }}</w:t></w:r></w:p>"
    assert normalise(xml) == (xml, [])


def test_engine_renders_a_template_with_split_runs_and_quotes(tmp_path: Path) -> None:
    split = (
        '<w:r><w:t xml:space="preserve">{{ ti</w:t></w:r><w:proofErr w:type="spellStart"/>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">tle }}</w:t></w:r>'
    )
    path = _edit("reply_letter.docx", TITLE, split, tmp_path / "t.docx")
    quoted = path.read_bytes()
    tpl = CompiledTemplate(path, quoted)
    assert "title" in tpl.variables
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 0
    (warning,) = [f for f in findings if f["code"] == "T4"]
    assert warning["severity"] == "warning"
    assert (
        warning["path"] == f"正文第{_number('reply_letter.docx', '{{ title }}')}段“{{{{ title }}}}”"
    )


# ----------------------------------------------------------------------------- template check


@pytest.mark.parametrize("kind", TEMPLATE_KINDS, ids=lambda k: k.key)
def test_bundled_templates_are_clean(kind: Any) -> None:
    code, findings = _check(template_path(kind.bundled))
    assert code == 0
    assert findings == []


def test_unknown_placeholder_names_paragraph_and_suggests(tmp_path: Path) -> None:
    path = _edit(
        "reply_letter.docx",
        "{{ salutation }}",
        "{{ salutaton }}",
        tmp_path / "答复函（信函格式）.docx",
    )
    code, findings = _check(path)
    assert code == 1
    t1 = next(f for f in findings if f["code"] == "T1")
    n = _number("reply_letter.docx", "{{ salutation }}")
    assert t1["path"] == f"正文第{n}段“{{{{ salutaton }}}}”"
    assert "未知占位符 salutaton" in t1["message"] and "{{ salutation }}" in t1["message"]
    t2 = next(f for f in findings if f["code"] == "T2")
    assert "缺少必需的占位符 {{ salutation }}" in t2["message"]


def test_syntax_error_quotes_the_offending_text(tmp_path: Path) -> None:
    path = _edit("reply_letter.docx", "{{ title }}", "{{ title | }}", tmp_path / "t.docx")
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 1
    t3 = next(f for f in findings if f["code"] == "T3")
    assert t3["path"].startswith(f"正文第{_number('reply_letter.docx', '{{ title }}')}段")
    assert "占位符语法错误：{{ title | }}" in t3["message"]


def test_unclosed_and_unpaired_tags(tmp_path: Path) -> None:
    path = _edit("reply_letter.docx", "{{ title }}", "{{ title", tmp_path / "a.docx")
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 1
    assert any("没有闭合" in f["message"] for f in findings if f["code"] == "T3")
    path = _edit("reply_letter.docx", "{%p endfor %}", "", tmp_path / "b.docx")
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 1
    assert any(
        "{%p for b in body %} 没有对应的 {%p endfor %}" in f["message"]
        for f in findings
        if f["code"] == "T3"
    )


def test_curly_quotes_are_fixed_and_reported_as_info(tmp_path: Path) -> None:
    path = _edit("reply_letter.docx", 'b.kind == "h1" %}', "b.kind == “h1” %}", tmp_path / "q.docx")
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 0
    (t5,) = [f for f in findings if f["code"] == "T5"]
    assert t5["severity"] == "info" and "弯引号" in t5["message"]


def test_literal_unit_name_over_org_mark_points_to_letterhead(tmp_path: Path) -> None:
    name = "东江市临湖区经济和信息化局"
    path = _edit("reply_letter.docx", "{{ org_mark }}", name, tmp_path / "t.docx", count=9)
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 1
    t2 = next(f for f in findings if f["code"] == "T2")
    assert t2["path"] == f"正文第{_number('reply_letter.docx', '{{ org_mark }}')}段“{name}”"
    assert "这里原来是 {{ org_mark }}，现在是固定文字" in t2["message"]
    assert "letterhead:" in t2["message"]
    # rendering with it says the same, after the engine's refusal
    record = tmp_path / "r.yaml"
    import yaml

    data = yaml.safe_load(Path(YEAR).read_text("utf-8"))["cases"][0]
    record.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    res = CliRunner().invoke(
        app, ["reply", str(record), "--org", ORG, "--template", str(path), "--out", str(tmp_path)]
    )
    assert res.exit_code == 2
    assert "缺少占位符 {{ org_mark }}" in res.stderr and "letterhead:" in res.stderr


def test_fullwidth_braces_are_warned(tmp_path: Path) -> None:
    path = _edit("reply_letter.docx", "{{ note }}", "｛｛ note ｝｝", tmp_path / "t.docx")
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 0
    assert "T7" in _codes(findings)


def test_not_a_docx_and_unknown_kind(tmp_path: Path) -> None:
    bad = tmp_path / "答复函（信函格式）.docx"
    bad.write_text("不是 docx", "utf-8")
    res = CliRunner().invoke(app, ["template", "check", str(bad)])
    assert res.exit_code == 2 and "不是有效的 docx" in res.stderr
    res = CliRunner().invoke(app, ["template", "check", str(tmp_path / "随便.docx")])
    assert res.exit_code == 2 and "--kind" in res.stderr
    res = CliRunner().invoke(app, ["template", "check", str(tmp_path / "无.docx"), "--kind", "x"])
    assert res.exit_code == 2 and "未知的模板种类" in res.stderr


def test_text_output_says_where(tmp_path: Path) -> None:
    path = _edit(
        "feedback_form.docx", "{{ case_title }}", "{{ case_titel }}", tmp_path / "征询意见表.docx"
    )
    res = CliRunner().invoke(app, ["template", "check", str(path)], env={"COLUMNS": "200"})
    assert res.exit_code == 1
    assert "case_titel" in res.stdout and "不能使用" in res.stdout


# ----------------------------------------------------------------------------- template init


def test_init_writes_chinese_names_and_a_guide(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    res = CliRunner().invoke(app, ["template", "init", str(folder)])
    assert res.exit_code == 0, res.output
    names = {p.name for p in folder.iterdir()}
    for kind in TEMPLATE_KINDS:
        assert kind.file_name in names
        assert (folder / kind.file_name).read_bytes() == template_path(kind.bundled).read_bytes()
    assert {"答复函（信函格式）.docx", "答复函（文件格式）.docx", "协办意见.docx"} <= names
    assert {"征询意见表.docx", "办理工作总结.docx", "说明.txt"} <= names
    guide = (folder / "说明.txt").read_text("utf-8")
    for kind in TEMPLATE_KINDS:
        assert kind.file_name in guide
        tpl = CompiledTemplate(
            template_path(kind.bundled), template_path(kind.bundled).read_bytes()
        )
        for name in tpl.variables:  # every placeholder explained
            line = next(x for x in guide.splitlines() if f"{{{{ {name} }}}}" in x)
            assert "见 templates/README.md" not in line, line
    assert "--templates" in guide and "letterhead:" in guide and "LibreOffice" in guide
    res = CliRunner().invoke(app, ["template", "init", str(folder)])
    assert res.exit_code == 0 and "已存在，跳过" in res.stdout
    for kind in TEMPLATE_KINDS:
        assert kind_of(kind.file_name) is kind
        assert template_in(folder, kind.bundled) == folder / kind.file_name


def test_templates_folder_is_used_by_chinese_name(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    assert CliRunner().invoke(app, ["template", "init", str(folder)]).exit_code == 0
    _edit("reply_letter.docx", "抄送：", "抄报：", folder / "答复函（信函格式）.docx", count=9)
    _edit("feedback_form.docx", "答复日期", "回复日期", folder / "征询意见表.docx", count=9)
    import yaml

    data = yaml.safe_load(Path(YEAR).read_text("utf-8"))["cases"][0]
    record = tmp_path / "r.yaml"
    record.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    res = CliRunner().invoke(
        app, ["reply", str(record), "--org", ORG, "--templates", str(folder), "--out", "-"]
    )
    assert res.exit_code == 0, res.stderr
    xml = zipfile.ZipFile(io.BytesIO(res.stdout_bytes)).read("word/document.xml").decode()
    assert "抄报：" in xml
    out = tmp_path / "forms"
    res = CliRunner().invoke(
        app, ["form", str(record), "--org", ORG, "--templates", str(folder), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    for form in out.glob("*.docx"):
        assert "回复日期" in zipfile.ZipFile(form).read("word/document.xml").decode()
    # a folder without a kind's file: the bundled template, said on stderr
    (folder / "答复函（文件格式）.docx").unlink()
    res = CliRunner().invoke(
        app,
        ["reply", str(record), "--org", ORG, "--templates", str(folder), "--variant", "file",
         "--out", "-"],
    )  # fmt: skip
    assert res.exit_code == 0 and "使用自带模板" in res.stderr


def test_lost_size_placeholders_are_an_error_and_fix_restores_them(tmp_path: Path) -> None:
    """What LibreOffice writes for ``w:sz w:val="{{ letter_mark_sz }}"``: 0 (and 100 for w:w)."""
    path = _edit("reply_letter.docx", "{{ letter_mark_sz }}", "0", tmp_path / "a.docx", count=9)
    path = _edit("reply_letter.docx", "{{ letter_mark_sz }}", "0", path, count=9)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    xml = xml.replace("{{ letter_mark_w }}", "100").replace(
        "{{ title }}", "{{ ti</w:t></w:r><w:r><w:t>tle }}"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            data = xml.encode() if info.filename == "word/document.xml" else zin.read(info)
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())
    code, findings = _check(path, "--kind", "reply_letter")
    assert code == 1
    t8 = next(f for f in findings if f["code"] == "T8")
    n = _number("reply_letter.docx", "{{ org_mark }}")
    assert t8["path"] == f"正文第{n}段“{{{{ org_mark }}}}”" and "--fix" in t8["message"]
    assert {"T4", "T6"} <= _codes(findings)
    fixed = tmp_path / "修复.docx"
    res = CliRunner().invoke(
        app, ["template", "check", str(path), "--kind", "reply_letter", "--fix", str(fixed)]
    )
    assert res.exit_code == 0, res.output
    assert "恢复自动字号、字符缩放占位符 3 处" in res.stderr
    tpl = CompiledTemplate(fixed, fixed.read_bytes())
    bundled = template_path("reply_letter.docx")
    assert tpl.variables == CompiledTemplate(bundled, bundled.read_bytes()).variables
    res = CliRunner().invoke(
        app, ["template", "check", str(path), "--kind", "reply_letter", "--fix", str(fixed)]
    )
    assert res.exit_code == 2 and "--force" in res.stderr
