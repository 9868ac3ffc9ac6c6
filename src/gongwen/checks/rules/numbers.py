"""Rules GW1xx: document numbers, result classes, disclosure marks and categories."""

from __future__ import annotations

from collections.abc import Iterator

from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import answers_proposer, letters, opinion
from gongwen.findings import Problem, Severity, Subject
from gongwen.text.dates import format_date

PUBLISHED_IN_FULL = ("全文公开", "主动公开")


@rule("GW101", Severity.WARNING, Subject.REPLY, "发文字号年份与成文日期年份不一致")
def doc_number_year(ctx: CaseContext) -> Iterator[Problem]:
    """The year in 〔〕 is normally the year the letter is dated."""
    for lt in letters(ctx):
        dn = lt.reply.doc_number
        if dn.year != lt.reply.date.year:
            yield Problem(
                f"{lt.path}.doc_number",
                f"发文字号“{dn}”的年份{dn.year}与成文日期{format_date(lt.reply.date)}"
                f"的年份{lt.reply.date.year}不一致",
            )


@rule("GW102", Severity.WARNING, Subject.REPLY, "发文字号括号不规范（已规范为六角括号〔〕）")
def doc_number_brackets(ctx: CaseContext) -> Iterator[Problem]:
    """Input used [] （） 【】 around the year; it was normalised to 〔〕."""
    for lt in letters(ctx):
        for field, dn in (("doc_number", lt.reply.doc_number), ("previous", lt.reply.previous)):
            if dn is not None and dn.original is not None:
                yield Problem(
                    f"{lt.path}.{field}",
                    f"发文字号“{dn.original}”的年份应使用六角括号〔〕，应为“{dn}”",
                    fix=str(dn),
                )


@rule("GW103", Severity.WARNING, Subject.REPLY, "协办意见使用了答复函的发文字号序列")
def opinion_in_reply_series(ctx: CaseContext) -> Iterator[Problem]:
    """An organisation with a separate opinion series numbers opinion letters in it."""
    code = ctx.org.opinion_code
    if not opinion(ctx) or code is None or code == ctx.org.reply_code:
        return
    for lt in letters(ctx):
        if lt.reply.doc_number.code == ctx.org.reply_code:
            yield Problem(
                f"{lt.path}.doc_number",
                f"本单位协办意见单独编号，发文字号应使用“{code}”，"
                f"而不是答复函序列“{ctx.org.reply_code}”",
            )


@rule("GW104", Severity.WARNING, Subject.REPLY, "发文字号的机关代字不是本单位的代字")
def foreign_code(ctx: CaseContext) -> Iterator[Problem]:
    """A reply uses the reply code; an opinion the opinion code (or the reply code)."""
    org = ctx.org
    if opinion(ctx):
        allowed = {org.reply_code, org.opinion_code or org.reply_code}
        want = org.opinion_code or org.reply_code
        what = "协办意见"
    else:
        allowed = {org.reply_code}
        want = org.reply_code
        what = "答复函"
    for lt in letters(ctx):
        code = lt.reply.doc_number.code
        if code not in allowed:
            yield Problem(
                f"{lt.path}.doc_number",
                f"发文字号机关代字“{code}”不是本单位{what}的代字“{want}”",
            )


@rule("GW105", Severity.ERROR, Subject.REPLY, "主办或分办答复缺少答复类别")
def class_missing(ctx: CaseContext) -> Iterator[Problem]:
    """Replies to the proposer carry a result class (A/B/C…)."""
    if not answers_proposer(ctx.record.case):
        return
    codes = "、".join(ctx.config.class_scheme.codes)
    for lt in letters(ctx):
        if lt.reply.result_class is None:
            yield Problem(
                f"{lt.path}.result_class",
                f"本单位{ctx.record.case.role.value}此件，{lt.name}须标注答复类别（{codes}）",
            )


@rule("GW106", Severity.ERROR, Subject.REPLY, "答复类别不在配置的类别方案中")
def class_unknown(ctx: CaseContext) -> Iterator[Problem]:
    """The class must be one of the configured scheme's codes."""
    scheme = ctx.config.class_scheme
    for lt in letters(ctx):
        rc = lt.reply.result_class
        if rc is not None and scheme.get(rc) is None:
            yield Problem(
                f"{lt.path}.result_class",
                f"答复类别“{rc}”不在“{scheme.name}”方案中，可选：{'、'.join(scheme.codes)}",
            )


@rule("GW107", Severity.ERROR, Subject.REPLY, "公开属性不在配置的用语中")
def disclosure_vocabulary(ctx: CaseContext) -> Iterator[Problem]:
    """The disclosure word belongs to the vocabulary the jurisdiction uses."""
    vocab = ctx.config.disclosure_vocabulary
    for lt in letters(ctx):
        if lt.reply.disclosure not in vocab:
            yield Problem(
                f"{lt.path}.disclosure",
                f"公开属性“{lt.reply.disclosure}”不是本地使用的用语，应为：{'、'.join(vocab)}",
            )


@rule("GW108", Severity.ERROR, Subject.REPLY, "不予公开未说明理由")
def undisclosed_without_reason(ctx: CaseContext) -> Iterator[Problem]:
    """不予公开 needs a reason."""
    for lt in letters(ctx):
        if lt.reply.disclosure == "不予公开" and not lt.reply.disclosure_reason:
            yield Problem(
                f"{lt.path}.disclosure_reason", "公开属性为“不予公开”，须说明不予公开理由"
            )


@rule("GW109", Severity.ERROR, Subject.REPLY, "提案人不同意公开，答复却全文公开")
def published_without_consent(ctx: CaseContext) -> Iterator[Problem]:
    """A case whose proposer refused publication is not published in full."""
    if ctx.record.case.consent_publish is not False:
        return
    for lt in letters(ctx):
        if lt.reply.disclosure in PUBLISHED_IN_FULL:
            yield Problem(
                f"{lt.path}.disclosure",
                f"提案人不同意公开（case.consent_publish），{lt.name}不应标注“{lt.reply.disclosure}”",
            )


@rule("GW110", Severity.ERROR, Subject.REPLY, "重新办理答复与首次答复发文字号相同")
def same_number_twice(ctx: CaseContext) -> Iterator[Problem]:
    """Each letter has its own document number."""
    rec = ctx.record
    if rec.reply is None or rec.rehandling is None:
        return
    if str(rec.reply.doc_number) == str(rec.rehandling.doc_number):
        yield Problem(
            "rehandling.doc_number",
            f"重新办理答复的发文字号“{rec.rehandling.doc_number}”与首次答复相同，应另行编号",
        )


@rule("GW111", Severity.WARNING, Subject.CASE, "案件分类不在配置的分类清单中")
def category_unknown(ctx: CaseContext) -> Iterator[Problem]:
    """When the configuration lists categories, a case's category is one of them."""
    allowed = ctx.config.categories
    category = ctx.record.case.category
    if allowed and category is not None and category not in allowed:
        yield Problem(
            "case.category", f"分类“{category}”不在配置的分类清单中：{'、'.join(allowed)}"
        )
