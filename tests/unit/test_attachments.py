"""Attachments (附件, GB/T 9704 §7.3.4, §7.3.7; issue #12): the model and its paths, the
附件说明 and labels for any number of attachments, reading .docx/.txt content, the refusals, the
check rules GW701–GW703, and the template's styles against ``gongwen.standard``."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from gongwen import CheckFailed, check_record, load_record, render_reply
from gongwen import standard as gb
from gongwen.documents.attachments import attachment_text
from gongwen.documents.reply import Variant, attachments_context
from gongwen.errors import DocumentError, InputError
from gongwen.models.reply import Attachment, Reply
from gongwen.models.wording import attachment_label, attachment_note_lines
from gongwen.models.year import CaseRecord
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()
YEAR = load_example_year()
RECORD = YEAR.cases[0]
assert RECORD.reply is not None
REPLY: Reply = RECORD.reply


def _txt(folder: Path, name: str = "a.txt", text: str = "第一段。\n\n第二段。") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _with(reply: Reply, *atts: Attachment, **more: object) -> Reply:
    return reply.model_copy(update={"attachments": atts, **more})


def _codes(reply: Reply) -> list[str]:
    rec = CaseRecord(case=RECORD.case, reply=reply)
    return [f.code for f in check_record(rec, ORG, today=TODAY)]


# --------------------------------------------------------------------------- the model


def test_relative_file_resolves_against_the_case_file(tmp_path: Path) -> None:
    (tmp_path / "附件").mkdir()
    _txt(tmp_path / "附件", "名单.txt")
    data = RECORD.model_dump(mode="json", exclude_none=True)
    data["reply"]["attachments"] = [{"title": "名单", "file": "附件/名单.txt"}]
    case_file = tmp_path / "case.yaml"
    case_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rec = load_record(case_file)
    assert rec.reply is not None
    assert rec.reply.attachments[0].file == tmp_path / "附件" / "名单.txt"
    assert attachment_text(rec.reply.attachments[0]) == "第一段。\n\n第二段。"


def test_attachment_needs_title_and_file(tmp_path: Path) -> None:
    data = RECORD.model_dump(mode="json", exclude_none=True)
    data["reply"]["attachments"] = [{"title": "名单"}]
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_record(path)
    assert "附件文件" in str(exc.value)
    with pytest.raises(ValueError, match=r"附件名称」?不能为空"):
        Attachment(title="　 ", file=Path("a.txt"))


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize("count", range(1, 13))
def test_note_and_labels_for_any_count(count: int, tmp_path: Path) -> None:
    path = _txt(tmp_path)
    atts = [Attachment(title=f"材料{n}。", file=path) for n in range(1, count + 1)]
    reply = _with(REPLY, *atts)
    lines = attachment_note_lines(reply)
    ctx = attachments_context(reply)
    labels = [a["label"] for a in ctx["attachments"]]
    assert [a["last"] for a in ctx["attachments"]] == [False] * (count - 1) + [True]
    if count == 1:
        assert lines == ["附件：材料1"]  # not numbered, no trailing punctuation
        assert labels == ["附件"] == [attachment_label(1, 1)]
        assert ctx["attachment_notes"] == [{"number": "", "name": "材料1"}]
    else:
        assert lines[0] == "附件：1.材料1"
        assert lines[1:] == [f"{n}.材料{n}" for n in range(2, count + 1)]
        assert labels == [f"附件{n}" for n in range(1, count + 1)]
        assert [n["number"] for n in ctx["attachment_notes"]] == [
            f"{n}." for n in range(1, count + 1)
        ]
    assert all(not a["title"].endswith("。") for a in ctx["attachments"])


# --------------------------------------------------------------------------- content


def _docx(path: Path, build: object = None) -> Path:
    d = docx.Document()
    d.add_paragraph("总体要求", style="Heading 1")
    d.add_paragraph("坚持问题导向。")
    d.add_paragraph("具体措施", style="Heading 1")
    d.add_paragraph("加强领导", style="Heading 2")
    d.add_paragraph("")
    d.add_paragraph("落实经费。")
    if build == "table":
        d.add_table(rows=1, cols=2)
    d.save(str(path))
    return path


def test_docx_paragraphs_and_heading_numbers(tmp_path: Path) -> None:
    att = Attachment(title="方案", file=_docx(tmp_path / "方案.docx"))
    assert attachment_text(att).split("\n\n") == [
        "一、总体要求",
        "坚持问题导向。",
        "二、具体措施",
        "（一）加强领导",
        "落实经费。",
    ]
    blocks = attachments_context(_with(REPLY, att))["attachments"][0]["body"]
    assert [b["kind"] for b in blocks] == ["h1", "p", "h1", "h2", "p"]


def test_txt_in_gbk(tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_bytes("一、东湖社区\n\n二、西湖社区".encode("gb18030"))
    assert attachment_text(Attachment(title="名单", file=path)) == "一、东湖社区\n\n二、西湖社区"


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("缺失.docx", None, "不存在"),
        ("扫描件.pdf", b"%PDF-1.4", "类型“.pdf”不能附入"),
        ("无扩展名", b"x", "无扩展名"),
        ("空白.txt", b"  \n\n ", "没有文字"),
        ("坏文件.docx", b"not a zip", "无法作为 Word 文档读取"),
        ("表格.docx", "table", "含有表格"),
    ],
)
def test_refusals_name_the_attachment_and_its_file(
    tmp_path: Path, name: str, make: object, words: str
) -> None:
    path = tmp_path / name
    if make == "table":
        _docx(path, "table")
    elif isinstance(make, bytes):
        path.write_bytes(make)
    att = Attachment(title="某附件", file=path)
    with pytest.raises(DocumentError) as exc:
        attachment_text(att)
    assert words in str(exc.value)
    assert "某附件" in str(exc.value) and str(path) in str(exc.value)


def test_picture_is_refused(tmp_path: Path) -> None:
    path = _docx(tmp_path / "图.docx")
    raw = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = body.replace(b"<w:t>", b"<w:drawing/><w:t>", 1)
            dst.writestr(info, body)
    path.write_bytes(out.getvalue())
    with pytest.raises(DocumentError, match="含有图片"):
        attachment_text(Attachment(title="图", file=path))


# --------------------------------------------------------------------------- check rules


def test_rules_fire_on_problems_and_stay_quiet_otherwise(tmp_path: Path) -> None:
    good = Attachment(title="名单", file=_txt(tmp_path))
    assert not {"GW701", "GW702", "GW703"} & set(_codes(_with(REPLY, good)))
    assert "GW701" in _codes(_with(REPLY, Attachment(title="名单", file=tmp_path / "无.txt")))
    assert "GW701" in _codes(_with(REPLY, Attachment(title="名单", file=tmp_path / "a.pdf")))
    assert "GW702" in _codes(_with(REPLY, Attachment(title="名单。", file=good.file)))


@pytest.mark.parametrize(
    ("paragraph", "typed"),
    [
        ("附件：办理情况统计表", True),
        ("附件1：办理情况统计表", True),
        ("附件：1.统计表", True),
        ("附 件:统计表", True),
        ("附件中的统计表列明了办理情况。", False),
        ("我局已将附件材料送达。", False),
    ],
)
def test_typed_attachment_note_in_the_body(paragraph: str, typed: bool) -> None:
    reply = REPLY.model_copy(update={"body": REPLY.body + "\n\n" + paragraph})
    assert ("GW703" in _codes(reply)) is typed


def test_missing_file_stops_rendering_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "没有的附件.docx"
    reply = _with(REPLY, Attachment(title="实施方案", file=missing))
    with pytest.raises(CheckFailed) as exc:
        render_reply(RECORD.case, reply, ORG, today=TODAY)
    assert "GW701" in str(exc.value) and str(missing) in str(exc.value)
    with pytest.raises(DocumentError, match="没有的附件"):
        render_reply(RECORD.case, reply, ORG, today=TODAY, check=False)


# --------------------------------------------------------------------------- the template


def _styles(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()


def _style(styles: str, sid: str) -> str:
    m = re.search(rf'<w:style [^>]*w:styleId="{sid}".*?</w:style>', styles, re.S)
    assert m, sid
    return m.group(0)


def _attr(xml: str, el: str, attr: str) -> int:
    m = re.search(rf"<w:{el} [^>]*w:{attr}=\"(-?\d+)\"", xml)
    assert m, (el, attr)
    return int(m.group(1))


@pytest.mark.parametrize("variant", ["letter", "file"])
def test_rendered_styles_follow_the_standard(variant: Variant, tmp_path: Path) -> None:
    att = Attachment(title="名单", file=_txt(tmp_path))
    data = render_reply(
        RECORD.case,
        _with(REPLY, att, att),
        ORG,
        variant=variant,
        today=TODAY,
    ).data
    styles = _styles(data)
    char = gb.CHAR_TWIPS
    indent = gb.ATTACHMENT_NOTE_INDENT_CHARS * char
    for sid in ("GwAttachmentNote", "GwAttachmentNotes"):
        s = _style(styles, sid)
        # the first line starts two characters in; wrapped lines under the name
        assert _attr(s, "ind", "left") - _attr(s, "ind", "hanging") == indent
    single = _style(styles, "GwAttachmentNote")
    assert _attr(single, "ind", "left") == indent + 3 * char  # after "附件："
    first = _style(styles, "GwAttachmentNotesFirst")
    blank = gb.ATTACHMENT_NOTE_BLANK_LINES * gb.LINE_PITCH_TWIPS
    assert _attr(first, "spacing", "before") == blank == _attr(single, "spacing", "before")
    label = _style(styles, "GwAttachmentLabel")
    assert f'w:eastAsia="{gb.ATTACHMENT_LABEL_FONT}"' in label
    assert "<w:ind " not in label  # flush left
    title = _style(styles, "GwAttachmentTitle")
    assert f'w:eastAsia="{gb.TITLE_FONT}"' in title and f'w:val="{gb.TITLE_SIZE.sz}"' in title
    assert 'w:val="center"' in title
    lines_between = gb.ATTACHMENT_TITLE_LINE - gb.ATTACHMENT_LABEL_LINE - 1
    assert _attr(title, "spacing", "before") == lines_between * gb.LINE_PITCH_TWIPS
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert document.count("<w:pageBreakBefore/>") == 2  # each attachment on a new page
    assert "附件1" in document and "附件2" in document


def test_no_attachments_no_trace() -> None:
    data = render_reply(RECORD.case, REPLY, ORG, today=TODAY).data
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "附件" not in document and "pageBreakBefore" not in document
