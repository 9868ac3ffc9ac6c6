"""The rendering API: check → context → render → optional verify, for every document kind.

Every function takes the case first, then the reply, then the organisation
(``render_reply(case, reply, org)``), and returns a :class:`RenderedDocument` carrying the
warnings of the checks (and of the verifier, with ``verify=True``). Checks run first: any error
raises :class:`CheckFailed` with every finding, and nothing is rendered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from gongwen.checks import check_record, check_year_all
from gongwen.documents.chart import year_chart
from gongwen.documents.extension import (
    EXTENSION_TEMPLATE,
    ExtensionNotice,
    extension_context,
    planned_notice,
    with_notice,
)
from gongwen.documents.extension import MULTILINE_KEYS as NOTICE_MULTILINE
from gongwen.documents.extension import REQUIRED_ANY as NOTICE_REQUIRED_ANY
from gongwen.documents.extension import REQUIRED_PLACEHOLDERS as NOTICE_PLACEHOLDERS
from gongwen.documents.feedback import REQUIRED_PLACEHOLDERS as FORM_PLACEHOLDERS
from gongwen.documents.feedback import feedback_context
from gongwen.documents.naming import document_name
from gongwen.documents.plan import (
    FORM_TEMPLATE,
    REPORT_TEMPLATE,
    DocKind,
    PlannedDocument,
    case_documents,
)
from gongwen.documents.reply import (
    MULTILINE_KEYS,
    REQUIRED_ANY,
    Variant,
    reply_context,
    reply_template_name,
    required_placeholders,
)
from gongwen.documents.report import ATTACHMENT_PLACEHOLDERS as REPORT_ATTACHMENT_PLACEHOLDERS
from gongwen.documents.report import REQUIRED_PLACEHOLDERS as REPORT_PLACEHOLDERS
from gongwen.documents.report import report_context, report_name
from gongwen.documents.units import REQUIRED_PLACEHOLDERS as UNITS_PLACEHOLDERS
from gongwen.documents.units import UNITS_TEMPLATE, units_context, units_name
from gongwen.errors import (
    ArgumentError,
    CheckFailed,
    DocumentError,
    InvalidOption,
    NoFormForCoHandler,
)
from gongwen.findings import Finding, has_errors
from gongwen.models.case import Case
from gongwen.models.enums import HandlingRole
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.reply import Attachment, Reply
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.render.engine import Image, load_template
from gongwen.render.result import RenderedDocument
from gongwen.render.sanitize import clean_context
from gongwen.resources import template_path
from gongwen.units import UnitYear, summarise_units

__all__ = [
    "CHART_WIDTH_MM",
    "render_annual_report",
    "render_co_opinion",
    "render_extension_notice",
    "render_feedback_form",
    "render_feedback_forms",
    "render_planned",
    "render_reply",
    "render_units_summary",
]

TemplateArg = str | os.PathLike[str] | None
#: Width of the chart in the report (mm): the 156 mm text width less a margin.
CHART_WIDTH_MM = 150

T = TypeVar("T")
#: ``True``: the docx rules (D1–D14) on the result; ``"pages"``: also the page rules (P1–P8),
#: laid out through LibreOffice (one cold conversion per call).
VerifyMode = bool | Literal["pages"]


def _expect(value: object, kind: type[T], name: str, what: str) -> T:
    if not isinstance(value, kind):
        raise ArgumentError(
            f"参数 {name} 应为{what}（{kind.__name__}），收到 {type(value).__name__}",
            argument=name,
        )
    return value


def _flag(value: object, name: str) -> None:
    if not isinstance(value, bool):
        raise ArgumentError(
            f"参数 {name} 应为 True 或 False，收到 {type(value).__name__}", argument=name
        )


def _optional(value: object, kind: type | tuple[type, ...], name: str, what: str) -> None:
    if value is not None and not isinstance(value, kind):
        raise ArgumentError(
            f"参数 {name} 应为{what}或 None，收到 {type(value).__name__}", argument=name
        )


def _common(template: object, today: object, check: object, verify: object, **more: object) -> None:
    """The keyword arguments every render function takes, and a few more, checked by type."""
    _optional(template, (str, os.PathLike), "template", "模板路径")
    if isinstance(today, datetime) or (today is not None and not isinstance(today, date)):
        raise ArgumentError(
            f"参数 today 应为日期（date）或 None，收到 {type(today).__name__}", argument="today"
        )
    _flag(check, "check")
    if verify != "pages" and not isinstance(verify, bool):
        raise ArgumentError(
            f'参数 verify 应为 True、False 或 "pages"，收到 {verify!r}', argument="verify"
        )
    for name, value in more.items():
        if name in ("chart", "filled"):
            _flag(value, name)
        elif name in ("narrative", "doc_number"):
            _optional(value, str, name, "文本")
        elif name == "report_date":
            if isinstance(value, datetime) or (value is not None and not isinstance(value, date)):
                raise ArgumentError(
                    f"参数 report_date 应为日期（date）或 None，收到 {type(value).__name__}",
                    argument=name,
                )
        elif name == "feedback":
            _optional(value, Feedback, name, "意见反馈（Feedback）")
        elif name == "left_out" and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise ArgumentError(f"参数 left_out 应为非负整数，收到 {value!r}", argument=name)


def _checked(run: Callable[[], list[Finding]] | None) -> list[Finding]:
    findings = run() if run is not None else []
    if has_errors(findings):
        raise CheckFailed(findings)
    return findings


def _render(
    *,
    template: str | os.PathLike[str],
    required: frozenset[str],
    what: str,
    context: Mapping[str, Any],
    kind: str,
    name: str,
    findings: Sequence[Finding],
    multiline: frozenset[str] = frozenset(),
    required_any: tuple[frozenset[str], ...] = (),
    images: Mapping[str, Image] | None = None,
    verify: VerifyMode = False,
) -> RenderedDocument:
    """The one rendering path: template → cleaned context → docx bytes → optional verify."""
    tpl = load_template(template)
    tpl.require(required, what, required_any)
    data = tpl.render(clean_context(context, multiline), images)
    found = list(findings)
    if verify not in (True, False, "pages"):
        raise InvalidOption(
            f'verify 应为 True、False 或 "pages"，收到 {verify!r}', argument="verify"
        )
    if verify:
        from gongwen.verify import verify as verify_docx

        found += verify_docx(data)
    if verify == "pages":
        from gongwen.verify import verify_pages

        found += verify_pages(data)
    return RenderedDocument(data=data, kind=kind, name=name, findings=tuple(found))


def render_reply(
    case: Case,
    reply: Reply,
    org: Organisation,
    *,
    variant: Variant = "letter",
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
    verify: VerifyMode = False,
) -> RenderedDocument:
    """Render a reply letter (信函格式, or ``variant="file"`` for the red-header file format).

    For a case this unit co-handles (协办), the document is the opinion letter to the lead unit
    (see :func:`render_co_opinion`). ``verify`` runs the docx rules (D1–D14) on the result.
    """
    _expect(case, Case, "case", "案件")
    _expect(reply, Reply, "reply", "答复")
    _expect(org, Organisation, "org", "承办单位")
    _common(template, today, check, verify)
    if variant not in ("letter", "file"):
        raise ArgumentError(f"variant 应为 letter 或 file，收到 {variant!r}", argument="variant")
    findings = _checked(
        (lambda: check_record(CaseRecord(case=case, reply=reply), org, today=today))
        if check
        else None
    )
    name = reply_template_name(case, variant)
    kind = DocKind.CO_OPINION if case.role is HandlingRole.ASSIST else DocKind.REPLY
    required, what = required_placeholders(reply, org, variant)  # nothing dropped silently
    return _render(
        template=template or template_path(name),
        required=required,
        required_any=REQUIRED_ANY,
        what=what,
        context=reply_context(case, reply, org),
        multiline=MULTILINE_KEYS,
        kind=kind.value,
        name=document_name(case, kind),
        findings=findings,
        verify=verify,
    )


def render_co_opinion(
    case: Case,
    reply: Reply,
    org: Organisation,
    *,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
    verify: VerifyMode = False,
) -> RenderedDocument:
    """Render a co-handling unit's opinion letter (协办意见) to the lead unit."""
    return render_reply(
        case, reply, org, template=template, today=today, check=check, verify=verify
    )


def render_extension_notice(
    case: Case,
    notice: ExtensionNotice,
    org: Organisation,
    *,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
    verify: VerifyMode = False,
) -> RenderedDocument:
    """Render the extension notice (延期办理告知函) to the proposer of an extended case.

    ``notice`` gives the letter's date and 发文字号 (blank serial when omitted); the case gives
    the new date (``extended_to``) and the reason. The case rules run first (an extension
    without a reason, or beyond the longest allowed, is an error); a notice dated after the
    original deadline is a warning (``GW290``), one on or after the new date an error
    (``GW291``): the case rules run on the case with ``notice`` as its recorded notice
    (``case.extension_notice``). The letter format of the reply.
    """
    _expect(case, Case, "case", "案件")
    _expect(notice, ExtensionNotice, "notice", "延期办理告知（ExtensionNotice）")
    _expect(org, Organisation, "org", "承办单位")
    _common(template, today, check, verify)
    if case.extended_to is None:
        raise DocumentError(
            f"{case.label}未延期办理（case.extended_to 为空），不能生成延期办理告知函"
        )
    if case.role is HandlingRole.ASSIST:
        raise DocumentError(
            f"{case.label}本单位为协办单位，延期办理由主办单位（{case.lead_unit}）告知提案人"
        )
    findings = _checked(
        (
            lambda: [
                # the case rules with this notice as the case's own (GW290, GW291 on it); the
                # reply is not this letter's business
                f
                for f in check_record(CaseRecord(case=with_notice(case, notice)), org, today=today)
                if f.path.startswith("case")
            ]
        )
        if check
        else None
    )
    return _render(
        template=template or template_path(EXTENSION_TEMPLATE),
        required=NOTICE_PLACEHOLDERS,
        required_any=NOTICE_REQUIRED_ANY,
        what=DocKind.EXTENSION.value,
        context=extension_context(case, notice, org),
        multiline=NOTICE_MULTILINE,
        kind=DocKind.EXTENSION.value,
        name=document_name(case, DocKind.EXTENSION),
        findings=findings,
        verify=verify,
    )


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
    verify: VerifyMode = False,
) -> RenderedDocument:
    """Render one proposer's 征询意见表 (blank, or with the boxes ticked from ``feedback``).

    The case and reply checks run first (the form's header comes from them). A co-handled (协办)
    case has no form: the lead unit sends it (:class:`NoFormForCoHandler`).
    """
    _expect(case, Case, "case", "案件")
    _expect(reply, Reply, "reply", "答复")
    _expect(org, Organisation, "org", "承办单位")
    _expect(proposer, Proposer, "proposer", "提案人或代表")
    _common(template, today, check, verify, feedback=feedback)
    if case.role is HandlingRole.ASSIST:
        raise NoFormForCoHandler(
            f"{case.label}本单位为协办单位，征询意见表由主办单位（{case.lead_unit}）发送"
        )
    if proposer.name not in {p.name for p in case.proposers}:
        raise DocumentError(f"“{proposer.name}”不是{case.label}的提案人或代表")
    findings = _checked(
        (lambda: check_record(CaseRecord(case=case, reply=reply), org, today=today))
        if check
        else None
    )
    return _render(
        template=template or template_path(FORM_TEMPLATE),
        required=FORM_PLACEHOLDERS,
        what=DocKind.FORM.value,
        context=feedback_context(case, reply, org, proposer, feedback),
        kind=DocKind.FORM.value,
        name=document_name(case, DocKind.FORM, person=proposer.name),
        findings=findings,
        verify=verify,
    )


def render_planned(
    record: CaseRecord,
    planned: PlannedDocument,
    org: Organisation,
    *,
    today: date | None = None,
    check: bool = True,
    verify: VerifyMode = False,
    template: TemplateArg = None,
) -> RenderedDocument:
    """Render one document of :func:`gongwen.documents.plan.case_documents` (the batch's path).

    ``template``: a unit's own template to use instead of the planned (bundled) one."""
    _expect(record, CaseRecord, "record", "案件记录")
    _optional(template, (str, os.PathLike), "template", "模板路径")
    _expect(planned, PlannedDocument, "planned", "计划文档（PlannedDocument）")
    _expect(org, Organisation, "org", "承办单位")
    if planned.kind is DocKind.EXTENSION:
        notice = render_extension_notice(
            record.case,
            planned_notice(record.case, org),
            org,
            template=template,
            today=today,
            check=check,
            verify=verify,
        )
        return replace(notice, name=planned.name)
    reply = planned.reply
    if reply is None:  # only a notice is planned without a reply
        raise DocumentError(f"{record.case.label}尚无答复，不能生成{planned.kind.value}")
    if planned.kind is DocKind.FORM:
        assert planned.proposer is not None
        form = render_feedback_form(
            record.case,
            reply,
            org,
            planned.proposer,
            planned.feedback,
            template=template,
            today=today,
            check=check,
            verify=verify,
        )
        return replace(form, name=planned.name)  # the plan's name (same-name proposers)
    doc = render_reply(
        record.case,
        reply,
        org,
        variant="file" if planned.template == "reply_file.docx" else "letter",
        template=template,
        today=today,
        check=check,
        verify=verify,
    )
    return replace(doc, kind=planned.kind.value, name=planned.name)


def render_feedback_forms(
    record: CaseRecord,
    org: Organisation,
    *,
    filled: bool = True,
    template: TemplateArg = None,
    today: date | None = None,
    check: bool = True,
    verify: VerifyMode = False,
) -> list[RenderedDocument]:
    """One form per proposer of the case (co-signed cases get one each).

    The forms go with the latest reply (the re-handling reply when there is one). With
    ``filled`` the returned feedback of that round ticks the boxes; otherwise the forms are blank.
    """
    _expect(record, CaseRecord, "record", "案件记录")
    _expect(org, Organisation, "org", "承办单位")
    _common(template, today, check, verify, filled=filled)
    if record.reply is None:
        raise DocumentError(f"{record.case.label}尚无答复，不能生成征询意见表")
    if record.case.role is HandlingRole.ASSIST:
        raise NoFormForCoHandler(
            f"{record.case.label}本单位为协办单位，征询意见表由主办单位"
            f"（{record.case.lead_unit}）发送"
        )
    findings = _checked((lambda: check_record(record, org, today=today)) if check else None)
    docs = [
        (
            planned.name,
            render_feedback_form(
                record.case,
                planned.reply,
                org,
                planned.proposer,
                planned.feedback,
                template=template,
                check=False,
                verify=verify,
            ),
        )
        for planned in case_documents(record, ("forms",), filled=filled)
        if planned.proposer is not None and planned.reply is not None
    ]
    return [replace(d, name=name, findings=tuple(findings) + d.findings) for name, d in docs]


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
    verify: VerifyMode = False,
    left_out: int = 0,
    attachments: Sequence[Attachment] = (),
) -> RenderedDocument:
    """Render the annual handling report (办理工作总结) in the red-header file format.

    一、基本情况 is written from the statistics; the other sections come from ``narrative``
    (markdown or plain text, split at its level-1 headings; a section not given is left out).
    Attachments: the statistics table (附件1) and the case list (附件2), then the office's own
    ``attachments`` (附件3 …, each a .docx or .txt file on pages of its own, as on a reply; a
    relative ``file`` is relative to the current folder; a file that is missing or cannot be
    attached raises :class:`DocumentError` naming it). ``chart`` adds a matplotlib chart of
    the class breakdown and satisfaction. ``report_date`` (成文日期, default ``today``) is also
    the date the statistics are counted at: 按时办结率 leaves out cases not yet due then.
    The case rules and the year rules run first (:func:`gongwen.checks.check_year_all`, as
    ``gongwen check`` does); errors (e.g. a figure in the narrative that contradicts the
    statistics) raise :class:`CheckFailed`.
    """
    _expect(year, HandlingYear, "year", "年度数据")
    _expect(org, Organisation, "org", "承办单位")
    _common(
        template,
        today,
        check,
        verify,
        narrative=narrative,
        chart=chart,
        doc_number=doc_number,
        report_date=report_date,
        left_out=left_out,
    )
    if (
        isinstance(attachments, (str, bytes))
        or not isinstance(attachments, Sequence)
        or not all(isinstance(a, Attachment) for a in attachments)
    ):
        raise ArgumentError("参数 attachments 应为 Attachment 的序列", argument="attachments")
    text = narrative or ""
    dated = report_date or today or date.today()
    findings = _checked(
        (lambda: check_year_all(year, org, text, today=today, as_of=dated)) if check else None
    )
    context = report_context(
        year,
        org,
        text,
        doc_number=doc_number,
        report_date=dated,
        left_out=left_out,
        attachments=attachments,
    )
    images = {"chart": Image(year_chart(year, org), CHART_WIDTH_MM)} if chart else None
    return _render(
        template=template or template_path(REPORT_TEMPLATE),
        required=REPORT_PLACEHOLDERS
        | (REPORT_ATTACHMENT_PLACEHOLDERS if attachments else frozenset()),
        what=DocKind.REPORT.value + ("（带本单位附件）" if attachments else ""),
        context=context if chart else {**context, "chart": ""},
        kind=DocKind.REPORT.value,
        name=report_name(year, org),
        findings=findings,
        images=images,
        verify=verify,
    )


def render_units_summary(
    units: Sequence[UnitYear],
    org: Organisation,
    text: str | None = None,
    *,
    doc_number: str | None = None,
    report_date: date | None = None,
    office: str | None = None,
    template: TemplateArg = None,
    today: date | None = None,
    verify: VerifyMode = False,
) -> RenderedDocument:
    """Render the summary across several units (各承办单位建议提案办理情况汇总) of ``org``, the
    reporting office, in 文件格式: the generated 基本情况 (``office`` names the reporter, default
    ``org.self_name``), ``text`` after it, and the attachment with the per-unit tables of 办复率
    and satisfaction (including 未表态) and the totals, each case counted once
    (:func:`gongwen.units.summarise_units`, counted under ``org.config`` as of ``report_date``).
    """
    _expect(org, Organisation, "org", "承办单位")
    if isinstance(units, (str, bytes)) or not all(isinstance(u, UnitYear) for u in units):
        raise ArgumentError("参数 units 应为 UnitYear 的序列", argument="units")
    _common(template, today, False, verify, narrative=text, doc_number=doc_number,
            report_date=report_date)  # fmt: skip
    _optional(office, str, "office", "文本")
    dated = report_date or today or date.today()
    summary = summarise_units(units, org.config, as_of=dated)
    return _render(
        template=template or template_path(UNITS_TEMPLATE),
        required=UNITS_PLACEHOLDERS,
        what=DocKind.UNITS.value,
        context=units_context(
            summary, org, text or "", doc_number=doc_number, report_date=dated, office=office
        ),
        kind=DocKind.UNITS.value,
        name=units_name(summary),
        findings=(),
        verify=verify,
    )
