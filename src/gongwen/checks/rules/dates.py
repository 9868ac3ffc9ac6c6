"""Rules GW2xx: the order of dates, time limits, extensions and dates in the future.

The re-handling rules see every reply of the record through :attr:`CaseRecord.rounds`: the
old ``rehandling`` slot and each 重新办理 in ``follow_ups`` alike. The extension notice rules
(GW290–GW292) look at the notice recorded with the case (``case.extension_notice``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import answers_proposer, letters, opinion
from gongwen.findings import Problem, Severity, Subject
from gongwen.models.enums import Rating, Round
from gongwen.models.year import HandlingRound
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
    for n, fu in enumerate(ctx.record.follow_ups):
        for i, f in enumerate(fu.feedback):
            if f.date is not None:
                path = f"follow_ups[{n}].feedback[{i}].date"
                yield path, f"{f.proposer}的征询意见表（{fu.kind.value}）", f.date


def _rehandled(ctx: CaseContext) -> Iterator[tuple[HandlingRound, tuple[HandlingRound, ...]]]:
    """Each 重新办理 reply (the ``rehandling`` slot or a follow-up) with the rounds it answers:
    those since the re-handling before it (that one included), else since the first reply."""
    rounds = ctx.record.rounds
    for at, rnd in enumerate(rounds):
        if at > 0 and rnd.kind is Round.AGAIN:
            start = max(i for i in range(at) if i == 0 or rounds[i].kind is Round.AGAIN)
            yield rnd, rounds[start:at]


def _unhappy(ctx: CaseContext, before: tuple[HandlingRound, ...]) -> list[tuple[str, str, date]]:
    """``(form path, proposer, date)`` of the dated 不满意 forms (the words the rating scale
    counts as 不满意) of the rounds ``before``."""
    bad: tuple[Rating, ...] = ctx.config.rating_scale.unsatisfied
    return [
        (path, f.proposer, f.date)
        for r in before
        for path, f in zip(r.feedback_paths, r.feedback, strict=True)
        if f.result in bad and f.date is not None
    ]


def rehandling_base(ctx: CaseContext, before: tuple[HandlingRound, ...]) -> date:
    """When a re-handling started: the earliest 不满意 form of the rounds it answers
    (``before``), else the date of the reply just before it."""
    unhappy = [d for _, _, d in _unhappy(ctx, before)]
    return min(unhappy) if unhappy else before[-1].reply.date


@rule("GW201", Severity.ERROR, Subject.CASE, "日期早于交办日期")
def before_assignment(ctx: CaseContext) -> Iterator[Problem]:
    """Nothing about the handling can happen before the case was assigned."""
    case = ctx.record.case
    assigned = case.assigned_date
    items = [(f"{lt.path}.date", f"{lt.name}成文日期", lt.reply.date) for lt in letters(ctx)]
    if case.extension_notice is not None:
        items.append(
            ("case.extension_notice.date", "延期办理告知函日期", case.extension_notice.date)
        )
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
    """Each re-handling (the ``rehandling`` slot or a 重新办理 follow-up) is due within
    ``rehandle_limit_months`` of the earliest 不满意 form of the rounds it answers — since the
    re-handling before it, or the first reply — (without one, of the reply just before it)."""
    months = ctx.config.rehandle_limit_months
    for rnd, before in _rehandled(ctx):
        base = rehandling_base(ctx, before)
        deadline = add_months(base, months)
        late = (rnd.reply.date - deadline).days
        if late > 0:
            yield Problem(
                f"{rnd.path}.date",
                f"重新办理答复日期{format_date(rnd.reply.date)}晚于重新办理期限"
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
    """Re-handling answers the unsatisfactory feedback of the rounds it answers, so it comes
    after it (each re-handling: the ``rehandling`` slot or a 重新办理 follow-up)."""
    for rnd, before in _rehandled(ctx):
        for path, proposer, when in _unhappy(ctx, before):
            if rnd.reply.date < when:
                yield Problem(
                    f"{rnd.path}.date",
                    f"重新办理答复日期{format_date(rnd.reply.date)}早于"
                    f"{proposer}表示不满意的征询意见表日期{format_date(when)}（{path}）",
                )


# ── the extension notice (延期办理告知函, ``case.extension_notice``) ──


@rule("GW290", Severity.WARNING, Subject.CASE, "延期办理告知函晚于原办理期限")
def notice_late(ctx: CaseContext) -> Iterator[Problem]:
    """The proposer learns of an extension before the case is late: the notice is dated on or
    before the original deadline."""
    case = ctx.record.case
    notice = case.extension_notice
    if notice is None:
        return
    deadline = case.deadline(ctx.config)
    late = (notice.date - deadline).days
    if late > 0:
        yield Problem(
            "case.extension_notice.date",
            f"延期办理告知函日期{format_date(notice.date)}晚于原办理期限"
            f"{format_date(deadline)}（逾期{late}天），延期应在原期限届满前告知提案人",
        )


@rule("GW291", Severity.ERROR, Subject.CASE, "延期办理告知函不早于延期后的期限")
def notice_after_new_date(ctx: CaseContext) -> Iterator[Problem]:
    """A notice on or after the new date has nothing left to announce."""
    case = ctx.record.case
    notice = case.extension_notice
    if notice is None or case.extended_to is None:
        return
    if notice.date >= case.extended_to:
        yield Problem(
            "case.extension_notice.date",
            f"延期办理告知函日期{format_date(notice.date)}不早于延期后的期限"
            f"{format_date(case.extended_to)}，应在延期期限之前告知",
        )


@rule("GW292", Severity.WARNING, Subject.CASE, "延期办理未录入告知函")
def notice_missing(ctx: CaseContext) -> Iterator[Problem]:
    """An extended case this unit answers (主办, 分办) has its notice recorded once the original
    deadline has passed (before then it may still be sent) — unless the reply was made by the
    original deadline, when there is no delay to announce."""
    rec = ctx.record
    case = rec.case
    if case.extended_to is None or case.extension_notice is not None:
        return
    if not answers_proposer(case):
        return
    deadline = case.deadline(ctx.config)
    if ctx.today <= deadline:
        return
    if rec.reply is not None and rec.reply.date <= deadline:
        return
    yield Problem(
        "case.extension_notice",
        f"已延期至{format_date(case.extended_to)}，原办理期限{format_date(deadline)}已过，"
        "尚未录入延期办理告知函（extension_notice）：请录入告知函日期和发文字号，"
        "批量生成时据此生成告知函",
    )
