"""Rendering replies end to end through the public API (snapshots, safety, templates, saving)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Literal

import pytest
from docx import Document
from lxml import etree  # type: ignore[import-untyped]
from syrupy.assertion import SnapshotAssertion

from gongwen import (
    CheckFailed,
    HandlingYear,
    Organisation,
    OutputExists,
    render_co_opinion,
    render_reply,
)
from gongwen.errors import TemplateError
from gongwen.resources import template_path
from tests.conftest import TODAY
from tests.conftest import record_by_label as _record
from tests.docview import docx_view


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


@pytest.mark.parametrize("variant", ["letter", "file"])
def test_every_example_reply_snapshot(
    example_year: HandlingYear,
    example_org: Organisation,
    variant: Literal["letter", "file"],
    snapshot: SnapshotAssertion,
) -> None:
    views = {}
    for rec in example_year.cases:
        assert rec.reply is not None
        doc = render_reply(
            rec.case,
            rec.reply,
            example_org,
            variant=variant,
            today=TODAY,
        )
        views[doc.name] = docx_view(doc.to_bytes())
    assert views == snapshot


def test_reply_content(example_year: HandlingYear, example_org: Organisation) -> None:
    rec = _record(example_year, "提案008")
    assert rec.reply is not None
    doc = render_reply(rec.case, rec.reply, example_org, today=TODAY)
    assert doc.name == "提案008-答复.docx"
    text = _text(doc.data)
    assert "关于区政协十二届三次会议第8号提案的答复" in text.replace("\n", "")
    assert "张建国等3位委员：" in text
    assert "临经信函〔2024〕11号" in text
    assert "2024年5月20日" in text
    assert "（联系人：王晓燕，联系电话：0574-87654321）" in text
    assert "区人大常委会代表工作委员会，区政协提案委员会，区政府办公室。" in text
    view = docx_view(doc.data)
    heads = [p for p in view["body"] if p["runs"] and p["runs"][0]["text"].startswith("一、")]
    assert heads and "黑" in (heads[0]["runs"][0]["font"] or "")
    sub = [p for p in view["body"] if p["runs"] and p["runs"][0]["text"].startswith("（一）")]
    assert sub and "楷" in (sub[0]["runs"][0]["font"] or "")
    # run-in text after a level-2 heading is body font
    assert len(sub[0]["runs"]) >= 2 and "仿宋" in (sub[0]["runs"][1]["font"] or "")


def test_co_opinion_is_addressed_to_lead_unit(
    example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = _record(example_year, "提案023")
    assert rec.reply is not None
    doc = render_co_opinion(rec.case, rec.reply, example_org, today=TODAY)
    assert doc.name == "提案023-协办意见.docx"
    text = _text(doc.data)
    assert "区发展和改革局：" in text
    assert "关于区政协十二届三次会议第23号提案的协办意见" in text.replace("\n", "")
    assert "感谢您" not in text


def test_user_text_is_data_never_template_code(
    example_year: HandlingYear, example_org: Organisation, tmp_path: Path
) -> None:
    rec = _record(example_year, "提案008")
    assert rec.reply is not None
    nasty = (
        "正文含模板语法{{ org_mark }}与{% for x in y %}、尖括号<w:p>和&amp;符号。"
        "\x07\x0c\x00控制字符\n\n" + "很长的段落。" * 2000
    )
    reply = rec.reply.model_copy(update={"body": nasty, "closing": "{{ 7*7 }}</w:t>"})
    doc = render_reply(rec.case, reply, example_org, today=TODAY, check=False)
    with zipfile.ZipFile(io.BytesIO(doc.data)) as z:
        assert z.testzip() is None
        etree.fromstring(z.read("word/document.xml"))  # well-formed
    text = _text(doc.data)
    assert "{{ org_mark }}" in text and "{% for x in y %}" in text
    assert "<w:p>和&amp;符号" in text
    assert "{{ 7*7 }}</w:t>" in text and "49" not in text
    assert "控制字符" in text and "\x07" not in text
    Document(io.BytesIO(doc.data))  # python-docx opens it


def test_bad_reply_is_refused_with_all_findings(
    example_year: HandlingYear, example_org: Organisation, tmp_path: Path
) -> None:
    rec = _record(example_year, "建议072")
    assert rec.reply is not None
    bad = rec.reply.model_copy(
        update={"result_class": "Z", "body": "XX同志:请于201*年答复。", "contacts": ()}
    )
    with pytest.raises(CheckFailed) as ei:
        render_reply(rec.case, bad, example_org, today=TODAY).save(tmp_path / "x.docx")
    codes = {f.code for f in ei.value.findings if f.severity.value == "error"}
    assert len(codes) >= 3
    assert "检查发现" in str(ei.value)
    assert list(tmp_path.iterdir()) == []


def test_save_is_atomic_and_does_not_overwrite(
    example_year: HandlingYear, example_org: Organisation, tmp_path: Path
) -> None:
    rec = _record(example_year, "提案008")
    assert rec.reply is not None
    doc = render_reply(rec.case, rec.reply, example_org, today=TODAY)
    path = doc.save(tmp_path)
    assert path.name == "提案008-答复.docx"
    path.write_bytes(b"old")
    with pytest.raises(OutputExists, match="已存在"):
        doc.save(path)
    assert path.read_bytes() == b"old"
    doc.save(path, overwrite=True)
    assert path.read_bytes() == doc.data
    assert [p.name for p in tmp_path.iterdir()] == ["提案008-答复.docx"]


def test_custom_template_missing_placeholder_is_refused(
    example_year: HandlingYear, example_org: Organisation, tmp_path: Path
) -> None:
    custom = tmp_path / "mine.docx"
    shutil.copyfile(template_path("reply_letter.docx"), custom)
    with zipfile.ZipFile(custom) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml = members["word/document.xml"].decode()
    assert "{{ salutation }}" in xml
    members["word/document.xml"] = xml.replace("{{ salutation }}", "尊敬的委员：").encode()
    with zipfile.ZipFile(custom, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    rec = _record(example_year, "提案008")
    assert rec.reply is not None
    with pytest.raises(TemplateError, match=r"缺少占位符 \{\{ salutation \}\}"):
        render_reply(rec.case, rec.reply, example_org, template=custom, today=TODAY)


def test_templates_are_loaded_once(example_year: HandlingYear, example_org: Organisation) -> None:
    from gongwen.render import engine

    rec = _record(example_year, "提案008")
    assert rec.reply is not None
    render_reply(rec.case, rec.reply, example_org, today=TODAY)
    first = engine.load_template(template_path("reply_letter.docx"))
    render_reply(rec.case, rec.reply, example_org, today=TODAY)
    assert engine.load_template(template_path("reply_letter.docx")) is first


def test_fast_path_matches_docxtpl(example_year: HandlingYear, example_org: Organisation) -> None:
    from gongwen.documents.reply import MULTILINE_KEYS, reply_context
    from gongwen.render.engine import load_template, render_docxtpl
    from gongwen.render.sanitize import clean_context

    for rec in example_year.cases:
        assert rec.reply is not None
        for name in ("reply_letter.docx", "reply_file.docx"):
            ctx = clean_context(reply_context(rec.case, rec.reply, example_org), MULTILINE_KEYS)
            fast = load_template(template_path(name)).render(ctx)
            plain = render_docxtpl(template_path(name), ctx)
            assert docx_view(fast) == docx_view(plain), (rec.case.label, name)


@pytest.mark.parametrize("variant", ["letter", "file"])
def test_every_rendered_reply_passes_the_verifier(
    example_year: HandlingYear, example_org: Organisation, variant: Literal["letter", "file"]
) -> None:
    from gongwen.verify import verify

    for rec in example_year.cases:
        assert rec.reply is not None
        doc = render_reply(
            rec.case,
            rec.reply,
            example_org,
            variant=variant,
            today=TODAY,
        )
        findings = verify(doc.to_bytes())
        assert [str(f) for f in findings if f.severity.value == "error"] == [], rec.case.label
