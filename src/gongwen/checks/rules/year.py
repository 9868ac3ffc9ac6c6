"""Rules GW5xx: a handling year and its report — counts that do not add up, narrative figures
that contradict the statistics, replies dated in another year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gongwen.checks.context import YearContext
from gongwen.checks.core import rule, run_rules
from gongwen.claims import Claim, class_names, parse_claims
from gongwen.findings import Finding, Problem, Severity, Subject
from gongwen.models.config import THREE_CLASSES, ClassScheme
from gongwen.models.enums import CaseKind, HandlingRole, Round
from gongwen.models.organisation import Organisation
from gongwen.models.year import HandlingYear
from gongwen.stats import YearStats, answers_proposer, compute_stats
from gongwen.summary import SummaryWording
from gongwen.text.dates import format_date
from gongwen.text.punctuation import find_placeholders
from gongwen.text.rates import Rate

__all__ = ["check_year", "claim_problems", "narrative_claims", "narrative_figures"]


def _stats(ctx: YearContext) -> YearStats:
    return compute_stats(ctx.year, ctx.config, as_of=ctx.as_of, own_unit=ctx.org.name)


@rule("GW501", Severity.ERROR, Subject.YEAR, "答复类别统计与已答复的主办、分办件数不符")
def classes_add_up(ctx: YearContext) -> Iterator[Problem]:
    """Every replied lead/分办 case needs a class of the scheme, or the class counts fall short."""
    stats = _stats(ctx)
    if stats.classed == stats.answered:
        return
    codes = "、".join(ctx.config.class_scheme.codes)
    for i, rec in enumerate(ctx.year.cases):
        if rec.case.label in stats.unclassed:
            last = rec.rounds[-1] if rec.rounds else None
            reply = last.reply if last is not None else None
            field = last.path if last is not None else "reply"
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
        forms = [(f"feedback[{j}]", "feedback", fb) for j, fb in enumerate(rec.feedback)]
        for n, fu in enumerate(rec.follow_ups):
            forms += [
                (f"follow_ups[{n}].feedback[{j}]", f"follow_ups[{n}].feedback", fb)
                for j, fb in enumerate(fu.feedback)
            ]
        if forms and rec.case.role is HandlingRole.ASSIST:
            yield Problem(
                f"cases[{i}].{forms[0][1]}",
                f"{rec.case.label}本单位为协办单位，征询意见表由主办单位收回，不应计入本单位统计",
            )
            continue
        seen: Counter[tuple[str, str, Round]] = Counter()
        for path, group, fb in forms:
            if fb.proposer not in names:
                yield Problem(
                    f"cases[{i}].{path}.proposer",
                    f"{rec.case.label}的征询意见表填表人“{fb.proposer}”不是本案提案人"
                    f"（{'、'.join(names)}）",
                )
            seen[(group, fb.proposer, fb.round)] += 1
        for (group, name, rnd), n in seen.items():
            if n > 1 and name in names:
                yield Problem(
                    f"cases[{i}].{group}",
                    f"{rec.case.label}中“{name}”的{rnd.value}征询意见表有{n}份，每人每轮只应有1份",
                )


# --------------------------------------------------------------------------------------------
# Figures quoted in the narrative
# --------------------------------------------------------------------------------------------
_COUNT_NAMES = {"total": "共承办", "lead": "主办", "assist": "协办", "separate": "分办"}
_ITEM_NAMES = {"attitude": "办理态度", "result": "办理结果"}


def _rate_label(metric: str, said: str) -> str:
    """``对办理结果满意率`` for ``result_satisfied``; other rates as written."""
    item, _, rest = metric.partition("_")
    if item in _ITEM_NAMES and rest in ("satisfied", "satisfied_or_basic"):
        return f"对{_ITEM_NAMES[item]}的{said}"
    return said


def _holds(rate: Rate, claim: Claim) -> bool:
    value = rate.value
    if value is None:
        return True  # nothing to compare with
    exact = value * 100
    if claim.comparator == ">":
        return exact > claim.value
    if claim.comparator == ">=":
        return exact >= claim.value
    if claim.value == 100:
        return rate.numerator == rate.denominator  # 100% means every case, never a rounding
    rounded = exact.quantize(Decimal(1).scaleb(-claim.places), rounding=ROUND_HALF_UP)
    return rounded == claim.value


def _count(stats: YearStats, metric: str, scope: CaseKind | None) -> int:
    kinds = {k.kind: k for k in stats.by_kind}
    if scope is not None and len(stats.kinds) > 1:
        k = kinds.get(scope)
        if k is None:
            return 0
        if metric == "total":
            return k.total
        if metric in ("lead", "assist", "separate"):
            return k.by_role(HandlingRole(_COUNT_NAMES[metric]))
    if metric == "total":
        return stats.total
    if metric in ("lead", "assist", "separate"):
        return stats.by_role(HandlingRole(_COUNT_NAMES[metric]))
    raise KeyError(metric)


def _class_count(stats: YearStats, metric: str, scheme: ClassScheme) -> tuple[int, str]:
    if metric == "solved":
        solved = {c.code for c in scheme.classes if c.counts_as_solved}
        rows = [c for c in stats.by_class if c.code in solved]
        return sum(c.count for c in rows), "、".join(c.label for c in rows)
    code = metric.removeprefix("class:")
    row = next(c for c in stats.by_class if c.code == code)
    return row.count, row.label


def claim_problems(claim: Claim, stats: YearStats, scheme: ClassScheme) -> Iterator[str]:
    """Messages for the parts of ``claim`` the statistics contradict (none when it holds)."""
    if claim.unit == "件":
        metric = claim.metrics[0]
        said = int(claim.value)
        if metric.startswith("class:") or metric == "solved":
            want, label = _class_count(stats, metric, scheme)
            if said != want:
                yield f"“{claim.text}”与统计不符：{label}{want}件"
            return
        want = _count(stats, metric, claim.scope)
        if said == want:
            return
        if metric == "total":
            what = claim.scope.value if claim.scope and len(stats.kinds) > 1 else "建议提案"
            yield f"“{claim.text}”与统计不符：本年度共承办{what}{want}件"
        else:
            yield f"“{claim.text}”与统计不符：{_COUNT_NAMES[metric]}{want}件"
        return
    figure = f"{claim.value.normalize():f}%"
    cmp = {">": "超过", ">=": "不低于"}.get(claim.comparator, "")
    for metric, name in zip(claim.metrics, claim.names, strict=True):
        rate = stats.rates[metric]
        if not _holds(rate, claim):
            actual = rate.format(max(claim.places, 1))
            yield (
                f"“{claim.text}”：{_rate_label(metric, name)}写为{cmp}{figure}，与统计不符："
                f"应为{actual}（{rate.numerator}/{rate.denominator}）"
            )


def narrative_claims(
    narrative: str, scheme: ClassScheme, wording: SummaryWording | None = None
) -> list[Claim]:
    """The claims of ``narrative`` with this scheme's class words and the wording's rate names."""
    wd = wording or SummaryWording()
    names = {name: key for key, name in wd.rate_names.items()}
    return parse_claims(narrative, classes=class_names(scheme, wd), rate_names=names)


def narrative_figures(
    narrative: str,
    stats: YearStats,
    wording: SummaryWording | None = None,
    scheme: ClassScheme | None = None,
) -> Iterator[str]:
    """Messages for figures in ``narrative`` that contradict ``stats``."""
    chosen = scheme or THREE_CLASSES
    for claim in narrative_claims(narrative, chosen, wording):
        yield from claim_problems(claim, stats, chosen)


@rule("GW503", Severity.ERROR, Subject.YEAR, "总结中的数字与统计不符")
def narrative_contradicts(ctx: YearContext) -> Iterator[Problem]:
    """Counts and rates quoted in the narrative must equal the computed statistics."""
    if not ctx.narrative.strip():
        return
    wording = SummaryWording.from_config(ctx.config)
    figures = narrative_figures(ctx.narrative, _stats(ctx), wording, ctx.config.class_scheme)
    for message in dict.fromkeys(figures):
        yield Problem("narrative", message)


@rule("GW504", Severity.WARNING, Subject.YEAR, "答复日期不在总结年度内")
def reply_in_other_year(ctx: YearContext) -> Iterator[Problem]:
    """A reply of the year's cases dated in another year is usually a data-entry slip."""
    for i, rec in enumerate(ctx.year.cases):
        for rnd in rec.rounds:
            if rnd.kind is Round.TRACKING:
                continue  # a 跟踪答复 often reports the solution in a later year
            if rnd.reply.date.year != ctx.year.year:
                yield Problem(
                    f"cases[{i}].{rnd.path}.date",
                    f"{rec.case.label}的{rnd.name}日期{format_date(rnd.reply.date)}"
                    f"不在{ctx.year.year}年度内",
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


@rule("GW508", Severity.WARNING, Subject.YEAR, "总结的成文日期早于总结年度")
def report_date_before_year(ctx: YearContext) -> Iterator[Problem]:
    """A report on a year is dated in that year or later."""
    if ctx.as_of is not None and ctx.as_of.year < ctx.year.year:
        yield Problem(
            "report_date",
            f"总结的成文日期{format_date(ctx.as_of)}早于{ctx.year.year}年度，请核对日期",
        )


@rule("GW509", Severity.WARNING, Subject.YEAR, "并案办理的案号又单独列为一件")
def merged_listed_twice(ctx: YearContext) -> Iterator[Problem]:
    """A number merged into another case (并案) is answered by that case's reply; listed again
    as its own case it is counted twice."""
    where = {
        (rec.case.kind, rec.case.session.display, rec.case.number): i
        for i, rec in enumerate(ctx.year.cases)
    }
    for i, rec in enumerate(ctx.year.cases):
        c = rec.case
        for j, n in enumerate(c.merged_numbers):
            other = where.get((c.kind, c.session.display, n))
            if other is not None:
                yield Problem(
                    f"cases[{i}].case.merged[{j}].number",
                    f"第{n}号{c.kind.value}已并入{c.label}办理，又单独列为第{other + 1}件，"
                    "统计中会重复计算：请删去其中一处",
                )


def check_year(
    year: HandlingYear,
    org: Organisation,
    narrative: str = "",
    today: date | None = None,
    *,
    as_of: date | None = None,
) -> list[Finding]:
    """Run the year rules on ``year`` with the report's ``narrative`` text.

    ``as_of`` is the report's date: the statistics the narrative is compared with count
    按时办结率 over the cases due by then (as the report does).
    """
    ctx = YearContext(year, org, narrative, today or date.today(), as_of)
    return run_rules(ctx, [Subject.YEAR], org.config.checks)
