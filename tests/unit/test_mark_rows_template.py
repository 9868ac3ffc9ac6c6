"""A multi-line mark (two-line mark, 联合行文) is never set in a template that cannot lay it out.

A template saved by LibreOffice loses the placeholders written in the letterhead drawings'
geometry (the upper double rule's shift); with one organ it prints the same, with several the
rule would print through the second line — refused with a Chinese TemplateError instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from gongwen import render_reply
from gongwen.errors import TemplateError
from gongwen.models.organisation import Organisation
from gongwen.models.year import HandlingYear
from gongwen.resources import data_dir


def _without_row_shift(path: Path) -> bytes:
    """The template as LibreOffice saves it: the shift expressions become plain numbers."""
    src = zipfile.ZipFile(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = re.sub(r"\{\{ (\d+) \+ letter_rows_\w+\|default\(0\) \}\}", r"\1", xml)
                xml = re.sub(r"\{%p if letter_rows_twips\|default\(0\) %\}", "{%p if False %}", xml)
                xml = xml.replace('w:line="{{ letter_rows_twips }}"', 'w:line="240"')
                assert "letter_rows_" not in xml
                data = xml.encode("utf-8")
            out.writestr(info, data)
    return buf.getvalue()


def test_joint_mark_needs_the_row_placeholders(
    tmp_path: Path, example_year: HandlingYear, example_org: Organisation
) -> None:
    rec = next(r for r in example_year.cases if r.reply is not None and r.case.role.value == "主办")
    assert rec.reply is not None
    stripped = tmp_path / "答复函（信函格式）.docx"
    stripped.write_bytes(_without_row_shift(data_dir("templates/docx") / "reply_letter.docx"))
    # one organ: the stripped template prints as the bundled one does
    render_reply(rec.case, rec.reply, example_org, template=stripped)
    joint = example_org.model_copy(update={"joint_letterheads": ("东江市临湖区财政局",)})
    render_reply(rec.case, rec.reply, joint)  # the bundled template can
    with pytest.raises(TemplateError, match="多行发文机关标志或联合行文") as info:
        render_reply(rec.case, rec.reply, joint, template=stripped)
    assert "letter_rows_emu" in str(info.value)
