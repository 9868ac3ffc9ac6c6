"""Rules GW2xx: the order of dates, time limits, extensions and dates in the future."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import letters, opinion
from gongwen.findings import Problem, Severity, Subject
from gongwen.models.enums import Rating, Round
from gongwen.models.year import CaseRecord
from gongwen.text.dates import add_months, format_date


def _records(ctx: CaseContext) -> Iterator[tuple[str, str, date]]:
    """``(path, label, date)`` of contacts, co-handlers' opinions and feedback forms."""
    for lt in letters(ctx):
        for i, c in enumerate(lt.reply.contacts):
            yield f"{lt.path}.contacts[{i}].date", f"沟通记录（{c.method.value}）", c.date
        for i, o in enumerate(lt.reply.co_opinions):
            if o.date is not None:
                yield f"{lt.path}.co_opinions[{i}].date", f"{o.unit}的协办意见", o.date
    for i, f in enumerate(ctx.record.feedback):
        if f.date is not None:
            yield f"feedback[{i}].date", f"{f.proposer}的征询意见表", f.date


def rehandling_base(record: CaseRecord) -> date | None:
    """When re-handling started: the first 不满意 first-round form, else the first reply date."""
    unhappy = [
        f.date
        for f in record.feedback
        if f.round is Round.FIRST and f.result is Rating.UNSATISFIED and f.date is not None
    ]
    if unhappy:
        return min(unhappy)
    return record.reply.date if record.reply is not None else None


@rule("GW201", Severity.ERROR, Subject.CASE, "日期早于交办日期")
def before_assignment(ctx: CaseContext) -> Iterator[Problem]:
    """Nothing about the handling can happen before the case was assigned."""
    assigned = ctx.record.case.assigned_date
    items = [(f"{lt.path}.date", f"{lt.name}成文日期", lt.reply.date) for lt in letters(ctx)]
    for path, label, d in [*items, *_records(ctx)]:
        if d < assigned:
            yield Problem(path, f"{label}{format_date(d)}早于交办日期{format_date(assigned)}")


@rule("GW202", Severity.WARNING, Subject.REPLY, "沟通记录晚于答复日期")
def contact_after_reply(ctx: CaseContext) -> Iterator[Problem]:
    """Contacts kept with a reply are the ones before replying."""
    for lt in letters(ctx):
        for i, c in enumerate(lt.reply.contacts):
            if c.date > lt.reply.date:
                yield Problem(
                    f"{lt.path}.contacts[{i}].date",
                    f"沟通记录日期{format_date(c.date)}晚于{lt.name}日期"
                    f"{format_date(lt.reply.date)}，答复前的沟通应在答复之前",
                )


@rule("GW203", Severity.WARNING, Subject.REPLY, "答复晚于办理期限")
def reply_late(ctx: CaseContext) -> Iterator[Problem]:
    """The first reply (or opinion) is due by the (extended) deadline."""
    case = ctx.record.case
    deadline = case.effective_deadline(ctx.config)
    what = "延期后的办理期限" if case.extended_to else "办理期限"
    for lt in letters(ctx):
        if lt.again or opinion(ctx):
            continue
        late = (lt.reply.date - deadline).days
        if late > 0:
            yield Problem(
                f"{lt.path}.date",
                f"答复日期{format_date(lt.reply.date)}晚于{what}{format_date(deadline)}，逾期{late}天",
            )


@rule("GW204", Severity.WARNING, Subject.REPLY, "重新办理答复晚于重新办理期限")
def rehandling_late(ctx: CaseContext) -> Iterator[Problem]:
    """Re-handling is due within the configured months of the unsatisfactory feedback."""
    rec = ctx.record
    base = rehandling_base(rec)
    if rec.rehandling is None or base is None:
        return
    months = ctx.config.rehandle_limit_months
    deadline = add_months(base, months)
    late = (rec.rehandling.date - deadline).days
    if late > 0:
        yield Problem(
            "rehandling.date",
            f"重新办理答复日期{format_date(rec.rehandling.date)}晚于重新办理期限"
            f"{format_date(deadline)}（自{format_date(base)}起{months}个月），逾期{late}天",
        )


@rule("GW205", Severity.WARNING, Subject.REPLY, "答复日期晚于今天")
def reply_in_future(ctx: CaseContext) -> Iterator[Problem]:
    """A letter dated in the future (prepared in advance?): confirm the date before sending."""
    for lt in letters(ctx):
        if lt.reply.date > ctx.today:
            yield Problem(
                f"{lt.path}.date",
                f"{lt.name}成文日期{format_date(lt.reply.date)}晚于今天{format_date(ctx.today)}，"
                "请确认签发日期",
            )


@rule("GW206", Severity.ERROR, Subject.CASE, "记录日期晚于今天")
def record_in_future(ctx: CaseContext) -> Iterator[Problem]:
    """Assignment, contacts, opinions and feedback are facts: they cannot be in the future."""
    case = ctx.record.case
    items = [("case.assigned_date", "交办日期", case.assigned_date), *_records(ctx)]
    for path, label, d in items:
        if d > ctx.today:
            yield Problem(path, f"{label}{format_date(d)}晚于今天{format_date(ctx.today)}")


@rule("GW207", Severity.ERROR, Subject.CASE, "延期超过最长办理期限")
def extension_too_long(ctx: CaseContext) -> Iterator[Problem]:
    """An extension never goes beyond the configured months from assignment."""
    case = ctx.record.case
    if case.extended_to is None:
        return
    months = ctx.config.max_extension_months
    limit = add_months(case.assigned_date, months)
    if case.extended_to > limit:
        yield Problem(
            "case.extended_to",
            f"延期至{format_date(case.extended_to)}，超过自交办日期起{months}个月的最长期限"
            f"{format_date(limit)}",
        )


@rule("GW208", Severity.ERROR, Subject.CASE, "延期办理未说明理由")
def extension_without_reason(ctx: CaseContext) -> Iterator[Problem]:
    """An extension needs a written explanation."""
    case = ctx.record.case
    if case.extended_to is not None and not case.extension_reason:
        yield Problem("case.extension_reason", "已延期办理，须填写延期理由并向提案人说明")


@rule("GW209", Severity.WARNING, Subject.CASE, "延期日期不晚于原办理期限")
def extension_not_later(ctx: CaseContext) -> Iterator[Problem]:
    """An 'extension' that ends on or before the normal deadline is probably a typo."""
    case = ctx.record.case
    deadline = case.deadline(ctx.config)
    if case.extended_to is not None and case.extended_to <= deadline:
        yield Problem(
            "case.extended_to",
            f"延期至{format_date(case.extended_to)}不晚于原办理期限{format_date(deadline)}，"
            "请核对延期日期",
        )


@rule("GW210", Severity.WARNING, Subject.REPLY, "协办意见晚于协办期限")
def co_opinion_late(ctx: CaseContext) -> Iterator[Problem]:
    """Co-handlers send their opinion within the configured months of assignment."""
    case = ctx.record.case
    deadline = case.co_handler_deadline(ctx.config)
    for lt in letters(ctx):
        if opinion(ctx) and not lt.again:
            late = (lt.reply.date - deadline).days
            if late > 0:
                yield Problem(
                    f"{lt.path}.date",
                    f"协办意见日期{format_date(lt.reply.date)}晚于协办期限"
                    f"{format_date(deadline)}，逾期{late}天",
                )
        for i, o in enumerate(lt.reply.co_opinions):
            if o.date is not None and o.date > deadline:
                yield Problem(
                    f"{lt.path}.co_opinions[{i}].date",
                    f"{o.unit}的协办意见日期{format_date(o.date)}晚于协办期限"
                    f"{format_date(deadline)}，逾期{(o.date - deadline).days}天",
                )


@rule("GW211", Severity.ERROR, Subject.FEEDBACK, "征询意见表日期早于答复日期")
def feedback_before_reply(ctx: CaseContext) -> Iterator[Problem]:
    """A form answers a reply: it is dated on or after the reply of its round."""
    rec = ctx.record
    first = rec.reply if rec.reply is not None and rec.reply.round is Round.FIRST else None
    again = rec.rehandling or (
        rec.reply if rec.reply is not None and rec.reply.round is Round.AGAIN else None
    )
    for i, f in enumerate(rec.feedback):
        letter = first if f.round is Round.FIRST else again
        if f.date is not None and letter is not None and f.date < letter.date:
            what = "答复" if f.round is Round.FIRST else "重新办理答复"
            yield Problem(
                f"feedback[{i}].date",
                f"{f.proposer}的征询意见表（{f.round.value}）日期{format_date(f.date)}"
                f"早于{what}日期{format_date(letter.date)}",
            )


@rule("GW212", Severity.ERROR, Subject.REPLY, "重新办理答复不晚于首次答复")
def rehandling_not_later(ctx: CaseContext) -> Iterator[Problem]:
    """The second reply comes after the first."""
    rec = ctx.record
    if rec.reply is None or rec.rehandling is None:
        return
    if rec.rehandling.date <= rec.reply.date:
        yield Problem(
            "rehandling.date",
            f"重新办理答复日期{format_date(rec.rehandling.date)}应晚于首次答复日期"
            f"{format_date(rec.reply.date)}",
        )


@rule("GW213", Severity.WARNING, Subject.REPLY, "重新办理答复早于不满意的征询意见")
def rehandling_before_feedback(ctx: CaseContext) -> Iterator[Problem]:
    """Re-handling answers the unsatisfactory feedback, so it comes after it."""
    rec = ctx.record
    if rec.rehandling is None:
        return
    for i, f in enumerate(rec.feedback):
        if (
            f.round is Round.FIRST
            and f.result is Rating.UNSATISFIED
            and f.date is not None
            and rec.rehandling.date < f.date
        ):
            yield Problem(
                "rehandling.date",
                f"重新办理答复日期{format_date(rec.rehandling.date)}早于"
                f"{f.proposer}表示不满意的征询意见表日期{format_date(f.date)}"
                f"（feedback[{i}]）",
            )
