"""Rendering API for feedback forms and the annual handling report (same pattern as ``api``)."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import date
from typing import Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from gongwen.checks import check_record
from gongwen.checks.core import CheckFailed, Finding, has_errors
from gongwen.checks.rules.year import check_year
from gongwen.documents.feedback import REQUIRED_PLACEHOLDERS as FORM_PLACEHOLDERS
from gongwen.documents.feedback import feedback_context
from gongwen.documents.report import REQUIRED_PLACEHOLDERS as REPORT_PLACEHOLDERS
from gongwen.documents.report import report_context, report_name
from gongwen.errors import GongwenError
from gongwen.models.case import Case
from gongwen.models.enums import HandlingRole, Round
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.reply import Reply
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.naming import document_name
from gongwen.render.engine import load_template
from gongwen.render.result import RenderedDocument
from gongwen.render.sanitize import clean_context
from gongwen.resources import template_path

TemplateArg = str | os.PathLike[str] | None

FORM_KIND = "征询意见表"
REPORT_KIND = "办理工作总结"
#: Width of the chart in the report (mm): the 156 mm text width less a margin.
CHART_WIDTH_MM = 150


class NoFormForCoHandler(GongwenError, ValueError):
    """Feedback forms are sent by the unit that answers the proposer, not by a co-handler."""


def render_feedback_form(
    case: Case,
    reply: Reply,
    org: Organisation,
    proposer: Proposer,
    feedback: Feedback | None = None,
    *,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
) -> RenderedDocument:
    """Render one proposer's 征询意见表 (blank, or with the boxes ticked from ``feedback``).

    The case and reply checks run first (the form's header comes from them); errors raise
    :class:`CheckFailed`. The feedback itself is checked with its whole case file by
    :func:`render_feedback_forms`. A co-handled (协办) case has no form: the lead unit sends it.
    """
    if case.role is HandlingRole.ASSIST:
        raise NoFormForCoHandler(
            f"{case.label}本单位为协办单位，征询意见表由主办单位（{case.lead_unit}）发送"
        )
    if proposer.name not in {p.name for p in case.proposers}:
        raise GongwenError(f"“{proposer.name}”不是{case.label}的提案人或代表")
    findings: list[Finding] = []
    if check:
        findings = check_record(CaseRecord(case=case, reply=reply), org, today=today)
        if has_errors(findings):
            raise CheckFailed(findings)
    tpl = load_template(template or template_path("feedback_form.docx"))
    tpl.require(FORM_PLACEHOLDERS, FORM_KIND)
    ctx = feedback_context(case, reply, org, proposer, feedback)
    data = tpl.render(clean_context(ctx))
    return RenderedDocument(
        data=data,
        kind=FORM_KIND,
        name=document_name(case, FORM_KIND, person=proposer.name),
        findings=tuple(findings),
    )


def _form_feedback(record: CaseRecord, proposer: Proposer, reply: Reply) -> Feedback | None:
    wanted = Round.AGAIN if reply is record.rehandling else Round.FIRST
    for fb in record.feedback:
        if fb.proposer == proposer.name and fb.round is wanted:
            return fb
    return None


def render_feedback_forms(
    record: CaseRecord,
    org: Organisation,
    *,
    filled: bool = True,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
) -> list[RenderedDocument]:
    """One form per proposer of the case (co-signed cases get one each).

    The forms go with the latest reply (the re-handling reply when there is one). With
    ``filled`` the returned feedback of that round ticks the boxes; otherwise the forms are blank.
    """
    reply = record.rehandling or record.reply
    if reply is None:
        raise GongwenError(f"{record.case.label}尚无答复，不能生成征询意见表")
    findings: list[Finding] = []
    if check:
        findings = check_record(record, org, today=today)
        if has_errors(findings):
            raise CheckFailed(findings)
    docs = [
        render_feedback_form(
            record.case,
            reply,
            org,
            p,
            _form_feedback(record, p, reply) if filled else None,
            template=template,
            check=False,
        )
        for p in record.case.proposers
    ]
    return [replace(d, findings=tuple(findings)) for d in docs]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, cache_size=0)


def _render_with_image(path: str | os.PathLike[str], ctx: dict[str, Any], png: bytes) -> bytes:
    # docxtpl's InlineImage needs the DocxTemplate that renders it, so this path builds its own.
    tpl = DocxTemplate(str(path))
    ctx = {**ctx, "chart": InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))}
    tpl.render(ctx, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_annual_report(
    year: HandlingYear,
    org: Organisation,
    narrative: str | None = None,
    *,
    chart: bool = False,
    doc_number: str | None = None,
    report_date: date | None = None,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
) -> RenderedDocument:
    """Render the annual handling report (办理工作总结) in the red-header file format.

    一、基本情况 is written from the statistics; the other sections come from ``narrative``
    (markdown or plain text, split at its level-1 headings; a section not given is left out).
    Attachments: the statistics table and the case list. ``chart`` adds a matplotlib chart of
    the class breakdown and satisfaction. The year rules run first; errors (e.g. a figure in
    the narrative that contradicts the statistics) raise :class:`CheckFailed`.
    """
    text = narrative or ""
    findings: list[Finding] = []
    if check:
        findings = check_year(year, org, text, today=today)
        if has_errors(findings):
            raise CheckFailed(findings)
    path = template or template_path("annual_report.docx")
    tpl = load_template(path)
    tpl.require(REPORT_PLACEHOLDERS, REPORT_KIND)
    ctx = clean_context(
        report_context(
            year, org, text, doc_number=doc_number, report_date=report_date or today or date.today()
        )
    )
    if chart:
        from gongwen.chart import year_chart

        data = _render_with_image(path, ctx, year_chart(year, org))
    else:
        data = tpl.render({**ctx, "chart": ""})
    return RenderedDocument(
        data=data, kind=REPORT_KIND, name=report_name(year, org), findings=tuple(findings)
    )
