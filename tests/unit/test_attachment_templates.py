"""A custom reply template without the attachment placeholders (issue #12): a reply with
attachments is refused with a Chinese ``TemplateError`` naming what is missing — its attachments
are never dropped silently; the same template still renders replies without attachments."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from gongwen import render_reply
from gongwen.documents.reply import ATTACHMENT_PLACEHOLDERS, required_placeholders
from gongwen.errors import TemplateError
from gongwen.models.reply import Attachment
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()
RECORD = next(r for r in load_example_year().cases if r.reply is not None)
assert RECORD.reply is not None
REPLY = RECORD.reply


def _plain_template(path: Path, *extra: str) -> Path:
    """A minimal custom template: the required placeholders, no 附件说明, no attachment pages."""
    d = docx.Document()
    for text in (
        "{{ org_mark }}",
        "{{ doc_number }}",
        "{{ title }}",
        "{{ salutation }}",
        "{%p for b in body %}",
        "{{ b.head }}{{ b.text }}",
        "{%p endfor %}",
        *extra,
        "{{ sign_org }}",
        "{{ date }}",
    ):
        d.add_paragraph(text)
    d.save(str(path))
    return path


def _attachments(tmp_path: Path, count: int) -> tuple[Attachment, ...]:
    out = []
    for i in range(1, count + 1):
        f = tmp_path / f"附件{i}.txt"
        f.write_text(f"第{i}个附件的正文。", encoding="utf-8")
        out.append(Attachment(title=f"材料{i}", file=f))
    return tuple(out)


@pytest.mark.parametrize("count", [1, 2, 5])
@pytest.mark.parametrize("variant", ["letter", "file"])
def test_template_without_attachment_placeholders_is_refused(
    tmp_path: Path, count: int, variant: str
) -> None:
    template = _plain_template(tmp_path / "自定义答复函.docx")
    reply = REPLY.model_copy(update={"attachments": _attachments(tmp_path, count)})
    with pytest.raises(TemplateError) as exc:
        render_reply(
            RECORD.case, reply, ORG, template=template, today=TODAY, check=False,
            variant=variant,  # type: ignore[arg-type]
        )  # fmt: skip
    message = str(exc.value)
    assert "自定义答复函.docx" in message and "附件" in message
    for name in ATTACHMENT_PLACEHOLDERS:
        assert "{{ " + name + " }}" in message


def test_only_the_missing_attachment_placeholder_is_named(tmp_path: Path) -> None:
    notes = (
        "{%p for n in attachment_notes %}",
        "附件：{{ n.number }}{{ n.name }}",
        "{%p endfor %}",
    )
    template = _plain_template(tmp_path / "只有附件说明.docx", *notes)
    reply = REPLY.model_copy(update={"attachments": _attachments(tmp_path, 2)})
    with pytest.raises(TemplateError) as exc:
        render_reply(RECORD.case, reply, ORG, template=template, today=TODAY, check=False)
    assert "{{ attachments }}" in str(exc.value)
    assert "{{ attachment_notes }}" not in str(exc.value)


def test_same_template_renders_a_reply_without_attachments(tmp_path: Path) -> None:
    template = _plain_template(tmp_path / "自定义答复函.docx")
    assert not REPLY.attachments
    doc = render_reply(RECORD.case, REPLY, ORG, template=template, today=TODAY, check=False)
    assert doc.data[:2] == b"PK"


def test_required_placeholders_follow_the_attachments(tmp_path: Path) -> None:
    plain, what = required_placeholders(REPLY)
    assert not plain & ATTACHMENT_PLACEHOLDERS and what == "答复函"
    with_atts = REPLY.model_copy(update={"attachments": _attachments(tmp_path, 1)})
    names, what = required_placeholders(with_atts)
    assert names >= ATTACHMENT_PLACEHOLDERS and "附件" in what


def test_bundled_templates_carry_the_attachment_placeholders(tmp_path: Path) -> None:
    reply = REPLY.model_copy(update={"attachments": _attachments(tmp_path, 2)})
    for variant in ("letter", "file"):
        doc = render_reply(RECORD.case, reply, ORG, today=TODAY, check=False, variant=variant)
        assert doc.data[:2] == b"PK"
