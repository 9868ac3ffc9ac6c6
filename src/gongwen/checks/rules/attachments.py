"""Rules GW7xx: attachments (附件, GB/T 9704 §7.3.4, §7.3.7).

An attachment is given as ``reply.attachments: [{title, file}]``: its 附件说明 is printed under
the body and its content on a page of its own after the closing block. These rules find what
would stop that (a file that is missing or of a kind that cannot be attached) and what would
print wrongly (a name ending in punctuation, an "附件：" line typed into the body, where it
would print as body text before the signature with no attachment page after it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import letters, paragraphs
from gongwen.findings import Problem, Severity, Subject
from gongwen.models.reply import ATTACHMENT_SUFFIXES
from gongwen.models.wording import ATTACHMENT_TITLE_END, attachment_name

#: A body paragraph that is an attachment note typed by hand: ``附件：…``, ``附件1：…``
TYPED_NOTE = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[：:]")


@rule("GW701", Severity.ERROR, Subject.REPLY, "附件文件不存在或不能附入")
def attachment_files(ctx: CaseContext) -> Iterator[Problem]:
    """Each attachment's file exists and is a ``.docx`` or ``.txt``."""
    kinds = "、".join(ATTACHMENT_SUFFIXES)
    for lt in letters(ctx):
        for i, att in enumerate(lt.reply.attachments):
            where = f"{lt.path}.attachments[{i}].file"
            path = Path(att.file)
            suffix = path.suffix.lower()
            if suffix not in ATTACHMENT_SUFFIXES:
                yield Problem(
                    where,
                    f"附件“{att.title}”的文件 {path} 类型为“{suffix or '无扩展名'}”，"
                    f"不能附入：附件文件应为 {kinds}",
                )
            elif not path.is_file():
                yield Problem(
                    where,
                    f"附件“{att.title}”的文件 {path} 不存在"
                    "（相对路径相对于案件文件或台账所在文件夹）",
                )


@rule("GW702", Severity.WARNING, Subject.REPLY, "附件名称后不加标点")
def attachment_title_punctuation(ctx: CaseContext) -> Iterator[Problem]:
    """§7.3.4: 附件名称后不加标点符号 (printed without it)."""
    for lt in letters(ctx):
        for i, att in enumerate(lt.reply.attachments):
            if att.title[-1:] in ATTACHMENT_TITLE_END:
                name = attachment_name(att)
                yield Problem(
                    f"{lt.path}.attachments[{i}].title",
                    f"附件名称“{att.title}”末尾有标点（附件名称后不加标点），"
                    f"附件说明和附件标题中印作“{name}”",
                )


@rule("GW703", Severity.WARNING, Subject.REPLY, "正文中手写的附件说明")
def typed_attachment_note(ctx: CaseContext) -> Iterator[Problem]:
    """An "附件：" paragraph in the body prints as body text, with no attachment page."""
    for lt in letters(ctx):
        for n, text in paragraphs(lt):
            if TYPED_NOTE.match(text):
                shown = text if len(text) <= 30 else text[:30] + "…"
                yield Problem(
                    f"{lt.path}.body",
                    f"正文第{n}段“{shown}”是手写的附件说明：它会作为正文印在落款之前，"
                    "后面也没有附件页。请删去这一段，把附件写在 attachments 中"
                    "（每项 title 附件名称、file 附件文件），附件说明和附件页会自动生成",
                )
