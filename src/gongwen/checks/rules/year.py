"""Rules GW5xx: a handling year and its report — counts that do not add up, narrative figures
that contradict the statistics, replies dated in another year."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongwen.checks.context import YearContext
from gongwen.checks.core import rule, run_rules
from gongwen.findings import Finding, Problem, Severity, Subject
from gongwen.models.enums import CaseKind, HandlingRole, Round
from gongwen.models.organisation import Organisation
from gongwen.models.year import HandlingYear
from gongwen.stats import YearStats, answers_proposer, compute_stats
from gongwen.summary import SummaryWording
from gongwen.text.dates import format_date
from gongwen.text.punctuation import find_placeholders
from gongwen.text.rates import Rate

__all__ = ["check_year", "narrative_figures"]


def _stats(ctx: YearContext) -> YearStats:
    return compute_stats(ctx.year, ctx.config, own_unit=ctx.org.name)


@rule("GW501", Severity.ERROR, Subject.YEAR, "答复类别统计与已答复的主办、分办件数不符")
def classes_add_up(ctx: YearContext) -> Iterator[Problem]:
    """Every replied lead/分办 case needs a class of the scheme, or the class counts fall short."""
    stats = _stats(ctx)
    if stats.classed == stats.answered:
        return
    codes = "、".join(ctx.config.class_scheme.codes)
    for i, rec in enumerate(ctx.year.cases):
        if rec.case.label in stats.unclassed:
            reply = rec.rehandling or rec.reply
            field = "rehandling" if rec.rehandling is not None else "reply"
            got = f"“{reply.result_class}”" if reply and reply.result_class else "空"
            yield Problem(
                f"cases[{i}].{field}.result_class",
                f"{rec.case.label}已答复但答复类别为{got}，不在类别方案（{codes}）中："
                f"各类别合计{stats.classed}件，与已答复的主办和分办件{stats.answered}件不符",
            )


@rule("GW502", Severity.ERROR, Subject.YEAR, "征询意见表与提案人不符")
def forms_match_proposers(ctx: YearContext) -> Iterator[Problem]:
    """Forms come from the case's proposers, at most one per proposer and round, and only for
    cases this unit answers (a co-handler sends none)."""
    for i, rec in enumerate(ctx.year.cases):
        names = [p.name for p in rec.case.proposers]
        if rec.feedback and rec.case.role is HandlingRole.ASSIST:
            yield Problem(
                f"cases[{i}].feedback",
                f"{rec.case.label}本单位为协办单位，征询意见表由主办单位收回，不应计入本单位统计",
            )
            continue
        seen: Counter[tuple[str, Round]] = Counter()
        for j, fb in enumerate(rec.feedback):
            if fb.proposer not in names:
                yield Problem(
                    f"cases[{i}].feedback[{j}].proposer",
                    f"{rec.case.label}的征询意见表填表人“{fb.proposer}”不是本案提案人"
                    f"（{'、'.join(names)}）",
                )
            seen[(fb.proposer, fb.round)] += 1
        for (name, rnd), n in seen.items():
            if n > 1 and name in names:
                yield Problem(
                    f"cases[{i}].feedback",
                    f"{rec.case.label}中“{name}”的{rnd.value}征询意见表有{n}份，每人每轮只应有1份",
                )


# --------------------------------------------------------------------------------------------
# Figures quoted in the narrative
# --------------------------------------------------------------------------------------------
RATE_KEYS: dict[str, tuple[str, ...]] = {
    "满意和基本满意率": ("attitude_satisfied_or_basic", "result_satisfied_or_basic"),
    "按时办结率": ("on_time",),
    "按时办复率": ("on_time",),
    "按时答复率": ("on_time",),
    "直接走访率": ("face_to_face",),
    "办结率": ("replied",),
    "办复率": ("replied",),
    "面商率": ("face_to_face",),
    "走访率": ("face_to_face",),
    "见面率": ("face_to_face",),
    "沟通率": ("contact",),
    "反馈率": ("feedback_return",),
    "满意率": ("attitude_satisfied", "result_satisfied"),
}
_NAMES = "|".join(sorted(RATE_KEYS, key=len, reverse=True))
_RATE_RUN = re.compile(
    rf"((?:{_NAMES})(?:\s*[、和及与]\s*(?:{_NAMES}))*)\s*(?:均)?(?:达到|达|为|是|实现)?\s*"
    r"(\d+(?:\.\d+)?)\s*[%％]"
)
_RATE_NAME = re.compile(_NAMES)
_TOTAL = re.compile(r"共(?:承办|办理|收到)([^。；，,\d]{0,40}?)(\d+)\s*件")
_ROLE = re.compile(r"(主办|协办|分办)(?:件)?(\d+)\s*件")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")


def _rounded(rate: Rate, places: int) -> Decimal | None:
    value = rate.value
    if value is None:
        return None
    return (value * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _scope(sentence: str) -> CaseKind | None:
    has_s, has_p = "建议" in sentence, "提案" in sentence
    if has_s and not has_p:
        return CaseKind.SUGGESTION
    if has_p and not has_s:
        return CaseKind.PROPOSAL
    return None


def narrative_figures(
    narrative: str, stats: YearStats, wording: SummaryWording | None = None
) -> Iterator[str]:
    """Messages for figures in ``narrative`` that contradict ``stats``."""
    wd = wording or SummaryWording()
    text = narrative.replace("\u3000", "")
    kinds = {k.kind: k for k in stats.by_kind}
    for sentence in _SENTENCE.findall(text):
        scope = _scope(sentence) if len(stats.kinds) > 1 else None
        counts = kinds.get(scope) if scope else None
        for m in _TOTAL.finditer(sentence):
            span_scope = _scope(m.group(1)) if len(stats.kinds) > 1 else None
            want = kinds[span_scope].total if span_scope in kinds else stats.total
            if span_scope is not None and span_scope not in kinds:
                want = 0
            if int(m.group(2)) != want:
                what = span_scope.value if span_scope else "建议提案"
                yield f"“{m.group(0)}”与统计不符：本年度共承办{what}{want}件"
        for m in _ROLE.finditer(sentence):
            role = HandlingRole(m.group(1))
            want = counts.by_role(role) if counts else stats.by_role(role)
            if int(m.group(2)) != want:
                yield f"“{m.group(0)}”与统计不符：{role.value}{want}件"
        for c in stats.by_class:
            for name in dict.fromkeys((c.label, wd.short_label(c.code, c.label))):
                for m in re.finditer(re.escape(name) + r"(?:的)?(\d+)\s*件", sentence):
                    if int(m.group(1)) != c.count:
                        yield f"“{m.group(0)}”与统计不符：{c.label}{c.count}件"
        for m in _RATE_RUN.finditer(sentence):
            figure = m.group(2)
            said = Decimal(figure)
            places = len(figure.split(".")[1]) if "." in figure else 0
            for name in _RATE_NAME.findall(m.group(1)):
                rates = [stats.rates[k] for k in RATE_KEYS[name]]
                known = [r for r in rates if r.denominator]
                if not known:
                    continue
                if all(_rounded(r, places) != said for r in known):
                    actual = "或".join(r.format(max(places, 1)) for r in known)
                    yield f"“{name}”写为{figure}%，与统计不符：应为{actual}"


@rule("GW503", Severity.ERROR, Subject.YEAR, "总结中的数字与统计不符")
def narrative_contradicts(ctx: YearContext) -> Iterator[Problem]:
    """Counts and rates quoted in the narrative must equal the computed statistics."""
    if not ctx.narrative.strip():
        return
    for message in dict.fromkeys(narrative_figures(ctx.narrative, _stats(ctx))):
        yield Problem("narrative", message)


@rule("GW504", Severity.WARNING, Subject.YEAR, "答复日期不在总结年度内")
def reply_in_other_year(ctx: YearContext) -> Iterator[Problem]:
    """A reply of the year's cases dated in another year is usually a data-entry slip."""
    for i, rec in enumerate(ctx.year.cases):
        for field, reply in (("reply", rec.reply), ("rehandling", rec.rehandling)):
            if reply is not None and reply.date.year != ctx.year.year:
                yield Problem(
                    f"cases[{i}].{field}.date",
                    f"{rec.case.label}的答复日期{format_date(reply.date)}不在{ctx.year.year}年度内",
                )


@rule("GW505", Severity.ERROR, Subject.YEAR, "总结中残留占位符")
def narrative_placeholders(ctx: YearContext) -> Iterator[Problem]:
    """``201*年``, ``**件``, ``XX路`` left in the narrative."""
    found = find_placeholders(ctx.narrative)
    if found:
        yield Problem("narrative", f"总结中残留占位符：{'、'.join(dict.fromkeys(found))}")


@rule("GW506", Severity.WARNING, Subject.YEAR, "年度内没有承办的建议提案")
def empty_year(ctx: YearContext) -> Iterator[Problem]:
    """A report over no cases has nothing to state."""
    if not ctx.year.cases:
        yield Problem("cases", f"{ctx.year.year}年度没有案件，统计数字均为0")


@rule("GW507", Severity.WARNING, Subject.YEAR, "主办、分办件尚未答复")
def unanswered(ctx: YearContext) -> Iterator[Problem]:
    """At year end every case this unit answers should have been replied to."""
    for i, rec in enumerate(ctx.year.cases):
        if answers_proposer(rec.case) and rec.reply is None:
            deadline = rec.case.effective_deadline(ctx.config)
            late = "，已超过办理期限" if deadline < ctx.today else ""
            yield Problem(
                f"cases[{i}].reply",
                f"{rec.case.label}尚未答复（期限{format_date(deadline)}{late}），统计中按未办结计",
            )


def check_year(
    year: HandlingYear, org: Organisation, narrative: str = "", today: date | None = None
) -> list[Finding]:
    """Run the year rules on ``year`` with the report's ``narrative`` text."""
    ctx = YearContext(year, org, narrative, today or date.today())
    return run_rules(ctx, [Subject.YEAR], org.config.checks)
