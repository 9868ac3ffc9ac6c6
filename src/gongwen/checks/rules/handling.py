"""Rules GW4xx: the handling procedure (contact, reasons, co-handlers, feedback, re-handling).

Severity choice for GW402: a C/D class (``needs_reason``) with neither ``class_reason`` nor a
reason sentence in the body is an **error**. The rules require the reply to tell the proposer
why the case cannot be solved now; the check only fires when no reason can be found at all, and
filling in ``class_reason`` always satisfies it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import answers_proposer, letters, opinion
from gongwen.findings import Problem, Severity, Subject
from gongwen.models.case import Case
from gongwen.models.enums import ContactMethod, HandlingRole, Rating, Round
from gongwen.models.feedback import Feedback
from gongwen.text.dates import format_date

#: Reasons that say by themselves why a case cannot be solved now (因条件限制, 受……制约).
SPECIFIC_REASONS = re.compile(
    r"因条件|因受|受[^。；]{0,20}(?:限制|制约|影响)|(?:暂|尚)(?:不具备|无|不能|未)"
    r"|条件(?:尚)?不(?:具备|成熟)|资金(?:紧张|不足|缺口)|政策(?:不允许|限制)"
)
#: General words that introduce a reason; they count only in a sentence that says the request
#: cannot be met now (``由于用地指标不足，暂无法实施``), not in any sentence (``由于您的关心……``).
REASON_WORDS = re.compile(r"由于|因为|鉴于|原因|因此")
CANNOT_NOW = re.compile(
    r"暂(?:不|无|未|缓)|无法|难以|不能|尚不|待以后|留作参考|今后(?:条件|视情)|不具备|不宜"
)
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")


def states_reason(body: str) -> bool:
    """True when the body says why the case cannot be solved now."""
    if SPECIFIC_REASONS.search(body):
        return True
    return any(
        REASON_WORDS.search(sentence) and CANNOT_NOW.search(sentence)
        for sentence in _SENTENCE.findall(body)
    )


#: Words that state a unit's view or what it does (``区商务局表示……``, ``该局将……``).
OPINION_WORDS = re.compile(
    r"意见|表示|认为|提出|介绍|反馈|称|明确|负责|将|已|正在|计划|拟|安排|落实|同意|支持|建议"
)
#: What a bare mention looks like: ``并商区商务局，现答复如下``.
_BARE_MENTION_TAIL = re.compile(
    r"^[\s，,、]*(?:后|研究后)?[\s，,]*(?:现|特)?(?:将[^。；]*)?答复如下"
)
_REGION_END = "省市区县旗"


def unit_names(unit: str) -> list[str]:
    """The unit's full name and its short forms without the region (``区商务局`` → ``商务局``,
    ``东江市临湖区商务局`` → ``临湖区商务局``、``商务局``), at least three characters."""
    names = [unit]
    for i, ch in enumerate(unit[:-1]):
        if ch in _REGION_END and len(unit) - i - 1 >= 3:
            names.append(unit[i + 1 :])
    return list(dict.fromkeys(names))


def opinion_stated(body: str, unit: str) -> bool:
    """True when the body says what ``unit`` (or its short name) thinks or does, not only that
    it was consulted (``并商区商务局``)."""
    names = sorted(unit_names(unit), key=len, reverse=True)
    for sentence in _SENTENCE.findall(body):
        for name in names:
            at = sentence.find(name)
            if at < 0:
                continue
            tail = sentence[at + len(name) :]
            if _BARE_MENTION_TAIL.match(tail):
                break
            if OPINION_WORDS.search(tail) or "该局" in sentence or "该单位" in sentence:
                return True
            break
    return False


def mentioned(body: str, unit: str) -> bool:
    """True when the body names ``unit`` in full or by a short form."""
    return any(name in body for name in unit_names(unit))


#: Words of a follow-up: a plan with a time, progress reports, a further reply.
FOLLOW_UP_WORDS = re.compile(
    r"计划|预计|年底前|年内|月底前|\d{4}年|将于|下一步|跟踪|进展|后续|届时|完成后|再行答复"
    r"|及时(?:告知|反馈|通报|报告)|持续推进|逐步"
)


@rule("GW401", Severity.ERROR, Subject.REPLY, "答复前没有与提案人沟通的记录")
def no_contact(ctx: CaseContext) -> Iterator[Problem]:
    """A lead or 分办 unit contacts the proposer before replying."""
    if not answers_proposer(ctx.record.case):
        return
    for lt in letters(ctx):
        before = [
            c
            for c in lt.reply.contacts
            if c.date <= lt.reply.date and c.method is not ContactMethod.NONE
        ]
        if not before:
            yield Problem(
                f"{lt.path}.contacts",
                f"{lt.name}日期{format_date(lt.reply.date)}之前没有与提案人沟通的记录，"
                "主办、分办单位答复前须与提案人沟通（面商、走访、座谈或电话）",
            )


@rule("GW402", Severity.ERROR, Subject.REPLY, "暂不能解决的类别未说明原因")
def class_without_reason(ctx: CaseContext) -> Iterator[Problem]:
    """A class marked ``needs_reason`` (C/D) states why, in ``class_reason`` or in the body."""
    scheme = ctx.config.class_scheme
    for lt in letters(ctx):
        rc = lt.reply.result_class
        cls = scheme.get(rc) if rc else None
        if cls is None or not cls.needs_reason or lt.reply.class_reason:
            continue
        if not states_reason(lt.reply.body):
            yield Problem(
                f"{lt.path}.class_reason",
                f"答复类别为{cls.code}类（{cls.label}），须说明暂不能解决的原因："
                "填写 class_reason，或在正文中写明原因（如“由于……”）",
            )


def _lead_joint(ctx: CaseContext) -> bool:
    case = ctx.record.case
    return case.role is HandlingRole.LEAD and case.joint


def _by_kind(case: Case, units: Sequence[str]) -> list[tuple[str, list[str]]]:
    """``units`` grouped by how each takes part (协办 or 会办, :meth:`Case.partner_kind`), in
    the order the kinds first occur."""
    groups: dict[str, list[str]] = {}
    for u in units:
        groups.setdefault(case.partner_kind(u).value, []).append(u)
    return list(groups.items())


def _partners(case: Case, units: Sequence[str], form: str = "{units}{kind}") -> str:
    """``区商务局协办``, ``区财政局会办``, ``区商务局协办，区财政局会办``: ``form`` for each
    kind, joined with "，"."""
    return "，".join(form.format(units="、".join(us), kind=k) for k, us in _by_kind(case, units))


@rule("GW403", Severity.WARNING, Subject.REPLY, "联合办理的答复未提及协办单位")
def joint_units_mentioned(ctx: CaseContext) -> Iterator[Problem]:
    """The lead unit tells the proposer what each co-handler said."""
    if not _lead_joint(ctx):
        return
    for lt in letters(ctx):
        body = lt.reply.body
        case = ctx.record.case
        units = case.co_units
        missing = [u for u in units if not mentioned(body, u)]
        if missing:
            yield Problem(
                f"{lt.path}.body",
                f"本案由{_partners(case, units)}，{lt.name}正文未提及{'、'.join(missing)}的意见",
            )
        silent = [u for u in units if mentioned(body, u) and not opinion_stated(body, u)]
        if silent:
            kinds = "、".join(kind for kind, _ in _by_kind(case, silent))
            yield Problem(
                f"{lt.path}.body",
                f"{lt.name}正文提到了{'、'.join(silent)}，但未写明其意见或所做工作"
                f"（主办单位应向提案人说明{kinds}单位的意见）",
            )


@rule("GW404", Severity.WARNING, Subject.REPLY, "缺少协办单位意见记录")
def joint_opinions_recorded(ctx: CaseContext) -> Iterator[Problem]:
    """Each co-handler's opinion is kept with the lead reply (一件一档)."""
    reply = ctx.record.reply
    if not _lead_joint(ctx) or reply is None:
        return
    case = ctx.record.case
    have = {o.unit for o in reply.co_opinions}
    missing = [u for u in case.co_units if u not in have]
    if missing:
        yield Problem(
            "reply.co_opinions", f"未记录{_partners(case, missing, '{units}的{kind}意见')}"
        )


def _all_forms(ctx: CaseContext) -> list[tuple[str, Feedback]]:
    """Every form of the record with its path (``feedback[0]``, ``follow_ups[0].feedback[1]``)."""
    rec = ctx.record
    out = [(f"feedback[{i}]", f) for i, f in enumerate(rec.feedback)]
    for n, fu in enumerate(rec.follow_ups):
        out += [(f"follow_ups[{n}].feedback[{i}]", f) for i, f in enumerate(fu.feedback)]
    return out


def _first_round(ctx: CaseContext) -> list[tuple[int, str, Rating | None]]:
    return [
        (i, f.proposer, f.result)
        for i, f in enumerate(ctx.record.feedback)
        if f.round is Round.FIRST
    ]


@rule("GW405", Severity.WARNING, Subject.FEEDBACK, "联名案件未按提案人逐一收回征询意见表")
def one_form_per_proposer(ctx: CaseContext) -> Iterator[Problem]:
    """A co-signed case gets one form per proposer once feedback is recorded."""
    case = ctx.record.case
    first = _first_round(ctx)
    if not case.co_signed or not first:
        return
    names = {name for _, name, _ in first}
    missing = [p.name for p in case.proposers if p.name not in names]
    if missing:
        yield Problem(
            "feedback",
            f"联名{case.kind.value}应每位提案人一张征询意见表，缺少{'、'.join(missing)}的意见表",
        )


@rule("GW406", Severity.ERROR, Subject.FEEDBACK, "办理结果不满意但未重新办理")
def unsatisfied_not_rehandled(ctx: CaseContext) -> Iterator[Problem]:
    """An unsatisfactory result (a word the rating scale counts as 不满意) is handled again
    (重新办理): after the first reply, and after each follow-up reply (a later 重新办理)."""
    rec = ctx.record
    bad = ctx.config.rating_scale.unsatisfied
    again = rec.rehandled or (rec.reply is not None and rec.reply.round is Round.AGAIN)
    if not again:
        for i, name, result in _first_round(ctx):
            if result in bad:
                assert result is not None
                yield Problem(
                    f"feedback[{i}].result",
                    f"{name}对办理结果“{result.value}”，须重新办理并录入重新办理答复（rehandling）",
                )
    for n, fu in enumerate(rec.follow_ups):
        later = any(r.kind is Round.AGAIN and r.reply.date > fu.reply.date for r in rec.rounds)
        if later:
            continue
        for i, f in enumerate(fu.feedback):
            if f.result in bad:
                assert f.result is not None
                yield Problem(
                    f"follow_ups[{n}].feedback[{i}].result",
                    f"{f.proposer}对{fu.kind.value}的办理结果“{f.result.value}”，"
                    "须再次重新办理并在后续答复（follow_ups）中录入",
                )


@rule("GW407", Severity.WARNING, Subject.REPLY, "重新办理答复未注明前次答复文号")
def rehandling_without_previous(ctx: CaseContext) -> Iterator[Problem]:
    """A second reply links to the first (``previous``)."""
    first = ctx.record.reply if ctx.record.rehandling is not None else None
    for lt in letters(ctx):
        if lt.again and lt.reply.previous is None:
            yield Problem(
                f"{lt.path}.previous",
                "重新办理答复应注明前次答复的发文字号（previous）",
                fix=str(first.doc_number) if first is not None else None,
            )


@rule("GW408", Severity.WARNING, Subject.REPLY, "重新办理答复的前次文号与首次答复不一致")
def previous_mismatch(ctx: CaseContext) -> Iterator[Problem]:
    """``rehandling.previous`` is the first reply's number."""
    rec = ctx.record
    if rec.reply is None or rec.rehandling is None or rec.rehandling.previous is None:
        return
    if str(rec.rehandling.previous) != str(rec.reply.doc_number):
        yield Problem(
            "rehandling.previous",
            f"前次答复文号“{rec.rehandling.previous}”与首次答复的发文字号"
            f"“{rec.reply.doc_number}”不一致",
        )


@rule("GW409", Severity.WARNING, Subject.REPLY, "答复的办理轮次与其位置不符")
def round_mismatch(ctx: CaseContext) -> Iterator[Problem]:
    """``rehandling`` is marked 重新办理; ``reply`` is the first reply when both are given."""
    rec = ctx.record
    if rec.rehandling is not None and rec.rehandling.round is not Round.AGAIN:
        yield Problem("rehandling.round", "重新办理答复的办理轮次（round）应为“重新办理”")
    if rec.rehandling is not None and rec.reply is not None and rec.reply.round is Round.AGAIN:
        yield Problem("reply.round", "已另有重新办理答复，首次答复的办理轮次应为“初次办理”")


@rule("GW410", Severity.ERROR, Subject.FEEDBACK, "征询意见表填表人不是本案提案人")
def feedback_stranger(ctx: CaseContext) -> Iterator[Problem]:
    """Forms come from the case's proposers."""
    names = [p.name for p in ctx.record.case.proposers]
    for path, f in _all_forms(ctx):
        if f.proposer not in names:
            yield Problem(
                f"{path}.proposer",
                f"填表人“{f.proposer}”不是本案提案人（{'、'.join(names)}）",
            )


@rule("GW411", Severity.WARNING, Subject.FEEDBACK, "同一提案人同一轮次有多张征询意见表")
def feedback_duplicate(ctx: CaseContext) -> Iterator[Problem]:
    """One form per proposer and round."""
    counts = Counter((f.proposer, f.round) for f in ctx.record.feedback)
    seen: set[tuple[str, Round]] = set()
    for i, f in enumerate(ctx.record.feedback):
        key = (f.proposer, f.round)
        if counts[key] > 1 and key in seen:
            yield Problem(
                f"feedback[{i}]",
                f"{f.proposer}的{f.round.value}征询意见表重复（共{counts[key]}张）",
            )
        seen.add(key)
    for n, fu in enumerate(ctx.record.follow_ups):
        names = Counter(f.proposer for f in fu.feedback)
        for name, count in names.items():
            if count > 1:
                yield Problem(
                    f"follow_ups[{n}].feedback",
                    f"{name}的{fu.kind.value}征询意见表重复（共{count}张）",
                )


@rule("GW412", Severity.ERROR, Subject.FEEDBACK, "有重新办理的征询意见但没有重新办理答复")
def feedback_without_rehandling(ctx: CaseContext) -> Iterator[Problem]:
    """A 重新办理 form answers a re-handling reply, which must be recorded."""
    rec = ctx.record
    if rec.rehandling is not None or (rec.reply is not None and rec.reply.round is Round.AGAIN):
        return
    for i, f in enumerate(rec.feedback):
        if f.round is Round.AGAIN:
            yield Problem(
                f"feedback[{i}].round",
                f"{f.proposer}的征询意见表为“重新办理”轮次，但未录入重新办理答复（rehandling）",
            )


@rule("GW413", Severity.WARNING, Subject.FEEDBACK, "提案人反馈答复前未与其联系")
def feedback_no_contact(ctx: CaseContext) -> Iterator[Problem]:
    """The proposer says nobody contacted them: check the contact records."""
    for path, f in _all_forms(ctx):
        if f.contact_method is ContactMethod.NONE:
            yield Problem(
                f"{path}.contact_method",
                f"{f.proposer}在征询意见表中反馈答复前“未联系”，请核实沟通记录",
            )


@rule("GW414", Severity.WARNING, Subject.CASE, "已超过期限尚未答复")
def overdue_without_reply(ctx: CaseContext) -> Iterator[Problem]:
    """A case with no reply (or opinion) after its deadline."""
    rec = ctx.record
    if rec.reply is not None:
        return
    if opinion(ctx):
        deadline = rec.case.co_handler_deadline(ctx.config)
        what = "协办期限"
    else:
        deadline = rec.case.effective_deadline(ctx.config)
        what = "办理期限"
    late = (ctx.today - deadline).days
    if late > 0:
        yield Problem(
            "reply",
            f"已超过{what}{format_date(deadline)}（逾期{late}天），尚未录入"
            f"{'协办意见' if opinion(ctx) else '答复'}",
        )


@rule("GW415", Severity.WARNING, Subject.CASE, "主办单位与本单位的办理类型不符")
def lead_unit_matches_role(ctx: CaseContext) -> Iterator[Problem]:
    """主办: the lead unit is this unit; 协办: the lead unit is another unit."""
    case, org = ctx.record.case, ctx.org
    if case.role is HandlingRole.LEAD and case.lead_unit and case.lead_unit != org.name:
        yield Problem(
            "case.lead_unit",
            f"本单位为主办单位，但主办单位填写为“{case.lead_unit}”（本单位为“{org.name}”）",
        )
    if case.role is HandlingRole.ASSIST and case.lead_unit == org.name:
        yield Problem("case.lead_unit", "本单位为协办单位，主办单位不应是本单位")


@rule("GW416", Severity.WARNING, Subject.REPLY, "正在解决或列入计划的答复未说明后续安排")
def follow_up_for_planned(ctx: CaseContext) -> Iterator[Problem]:
    """A class that is neither solved nor needs a reason (B, 正在解决或列入计划) is followed up:
    the reply says when or how (计划、预计、年底前、下一步、跟踪、及时告知……)."""
    if not answers_proposer(ctx.record.case):
        return
    scheme = ctx.config.class_scheme
    for lt in letters(ctx):
        rc = lt.reply.result_class
        cls = scheme.get(rc) if rc else None
        if cls is None or cls.counts_as_solved or cls.needs_reason:
            continue
        if not FOLLOW_UP_WORDS.search(lt.reply.body):
            yield Problem(
                f"{lt.path}.body",
                f"答复类别为{cls.code}类（{cls.label}），{lt.name}正文宜写明计划、时限或后续跟踪"
                "安排（如“预计年底前完成”“将及时告知办理进展”），解决后再次答复",
            )


@rule("GW417", Severity.ERROR, Subject.FEEDBACK, "评价用语不在配置的评价方案中")
def rating_outside_scale(ctx: CaseContext) -> Iterator[Problem]:
    """Attitude and result ratings use the words of the configured scale (满意/基本满意/不满意,
    or 同意/理解/保留/不同意), so the satisfaction rates can count them."""
    scale = ctx.config.rating_scale
    words = "、".join(w.value for w in scale.words)
    for path, f in _all_forms(ctx):
        for field, what in (("attitude", "办理态度"), ("result", "办理结果")):
            value: Rating | None = getattr(f, field)
            if value is not None and value not in scale.words:
                yield Problem(
                    f"{path}.{field}",
                    f"{f.proposer}对{what}的评价“{value.value}”不在本单位的评价用语方案"
                    f"（{scale.name}：{words}）中",
                )


@rule("GW418", Severity.ERROR, Subject.REPLY, "平台上传日期早于答复日期")
def uploaded_before_reply(ctx: CaseContext) -> Iterator[Problem]:
    """A reply is uploaded to the handling platform (平台上传日期) on or after its date."""
    for lt in letters(ctx):
        up = lt.reply.uploaded_on
        if up is not None and up < lt.reply.date:
            yield Problem(
                f"{lt.path}.uploaded_on",
                f"{lt.name}的平台上传日期{format_date(up)}早于成文日期{format_date(lt.reply.date)}",
            )


@rule("GW419", Severity.ERROR, Subject.REPLY, "后续答复不晚于首次答复")
def follow_up_after_reply(ctx: CaseContext) -> Iterator[Problem]:
    """A 跟踪答复 or 重新办理 reply in ``follow_ups`` comes after the first reply."""
    rec = ctx.record
    if rec.reply is None:
        return
    for n, fu in enumerate(rec.follow_ups):
        if fu.reply.date <= rec.reply.date:
            yield Problem(
                f"follow_ups[{n}].reply.date",
                f"{fu.kind.value}日期{format_date(fu.reply.date)}应晚于首次答复日期"
                f"{format_date(rec.reply.date)}",
            )


@rule("GW421", Severity.ERROR, Subject.FEEDBACK, "后续答复的征询意见表早于该次答复")
def follow_up_form_before_reply(ctx: CaseContext) -> Iterator[Problem]:
    """A form of a follow-up round answers that round's reply: it is dated on or after it."""
    for n, fu in enumerate(ctx.record.follow_ups):
        for i, f in enumerate(fu.feedback):
            if f.date is not None and f.date < fu.reply.date:
                yield Problem(
                    f"follow_ups[{n}].feedback[{i}].date",
                    f"{f.proposer}的征询意见表（{fu.kind.value}）日期{format_date(f.date)}"
                    f"早于该次{fu.kind.value}日期{format_date(fu.reply.date)}",
                )
