"""High-level rendering API: check, build the context, render, return a RenderedDocument."""

from __future__ import annotations

import os
from datetime import date
from typing import Literal

from gongwen.checks import CheckFailed, check_record, has_errors
from gongwen.documents.reply import (
    MULTILINE_KEYS,
    REQUIRED_ANY,
    REQUIRED_PLACEHOLDERS,
    reply_context,
    reply_template_name,
)
from gongwen.models.case import Case
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply
from gongwen.models.year import CaseRecord
from gongwen.naming import document_name
from gongwen.render.engine import load_template
from gongwen.render.result import RenderedDocument
from gongwen.render.sanitize import clean_context
from gongwen.resources import template_path

TemplateArg = str | os.PathLike[str] | None


def render_reply(
    reply: Reply,
    case: Case,
    org: Organisation,
    *,
    variant: Literal["letter", "file"] = "letter",
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
) -> RenderedDocument:
    """Render a reply letter (信函格式, or ``variant="file"`` for the red-header file format).

    Checks run first: any error raises :class:`CheckFailed` carrying every finding and nothing is
    rendered; warnings travel with the result. For a case this unit co-handles (协办), the document
    is the opinion letter to the lead unit (see :func:`render_co_opinion`).
    """
    findings = []
    if check:
        findings = check_record(CaseRecord(case=case, reply=reply), org, today=today)
        if has_errors(findings):
            raise CheckFailed(findings)
    tpl = load_template(template or template_path(reply_template_name(case, variant)))
    tpl.require(REQUIRED_PLACEHOLDERS, "答复函", REQUIRED_ANY)
    data = tpl.render(clean_context(reply_context(case, reply, org), MULTILINE_KEYS))
    kind = "协办意见" if reply_template_name(case, variant) == "co_opinion.docx" else "答复"
    return RenderedDocument(
        data=data, kind=kind, name=document_name(case, kind), findings=tuple(findings)
    )


def render_co_opinion(
    reply: Reply,
    case: Case,
    org: Organisation,
    *,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
) -> RenderedDocument:
    """Render a co-handling unit's opinion letter (协办意见) to the lead unit."""
    return render_reply(reply, case, org, template=template, today=today, check=check)
