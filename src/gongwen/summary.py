"""The wording of the statistics: the 基本情况 paragraph and the rate names, in one module.

The report writes its 一、基本情况 with :func:`summary_sentences`; the year rules read the same
:data:`RATE_NAMES` and :class:`SummaryWording` to find the figures a narrative claims, so the
words a report prints and the words a check understands cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from gongwen.models.config import Config, StatsWording
from gongwen.models.enums import Body, CaseKind
from gongwen.models.organisation import Organisation
from gongwen.models.session import Session
from gongwen.stats import ROLES, YearStats
from gongwen.text.rates import Rate, format_percent

__all__ = [
    "RATE_ALIASES",
    "RATE_NAMES",
    "SummaryWording",
    "basis_sentence",
    "completion_phrase",
    "merged_sentence",
    "percent",
    "rate_basis",
    "session_text",
    "summary_sentences",
    "tracked_sentence",
    "uploaded_sentence",
]

#: Short forms of the built-in schemes' class labels, as reports write them.
DEFAULT_CLASS_SHORT: Mapping[str, str] = MappingProxyType(
    {
        "正在解决或列入计划拟解决": "列入计划解决",
        "因条件限制暂不能解决，留作参考": "留作参考",
        "已经解决或基本解决": "已解决或基本解决",
        "正在解决或列入规划逐步解决": "列入规划逐步解决",
        "因条件限制需待以后解决": "待以后解决",
        "正在解决或列入计划解决": "列入计划解决",
    }
)

RATE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "replied": "办结率",
        "on_time": "按时办结率",
        "contact": "沟通率",
        "face_to_face": "面商率",
        "feedback_return": "反馈率",
        "satisfied": "满意率",
        "satisfied_or_basic": "满意和基本满意率",
    }
)

#: Every name a report may give a rate (the built-in names, the seeds' names, synonyms) → key.
#: ``satisfied`` / ``satisfied_or_basic`` are resolved to attitude or result by the words around
#: them (:mod:`gongwen.claims`).
RATE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "满意和基本满意率": "satisfied_or_basic",
        "基本满意以上比率": "satisfied_or_basic",
        "总体满意率": "satisfied_or_basic",
        "按时办结率": "on_time",
        "按时办复率": "on_time",
        "按时答复率": "on_time",
        "按期办结率": "on_time",
        "直接走访率": "face_to_face",
        "面商沟通率": "contact",
        "沟通联系率": "contact",
        "办结率": "replied",
        "办复率": "replied",
        "答复率": "replied",
        "面商率": "face_to_face",
        "走访率": "face_to_face",
        "见面率": "face_to_face",
        "沟通率": "contact",
        "联系率": "contact",
        "反馈率": "feedback_return",
        "回收率": "feedback_return",
        "满意率": "satisfied",
        "满意度": "satisfied",
    }
)

#: What each rate divides by, as the report states it. ``{base}`` is the satisfaction basis.
_BASIS: Mapping[str, str] = MappingProxyType(
    {
        "replied": "已答复件数÷承办件数",
        "on_time": "期限内答复件数÷应办结件数",
        "contact": "答复前已沟通件数÷{contact_base}",
        "face_to_face": "答复前当面、走访或座谈件数÷{contact_base}",
        "feedback_return": "收回的意见表÷发出的意见表",
        "satisfied": "{sat_num}÷{sat_base}",
        "satisfied_or_basic": "{basic_num}÷{sat_base}",
    }
)


def contact_base_name(stats: YearStats) -> str:
    """``主办和分办件数`` or ``主办件数``: what 沟通率 and 面商率 divide by."""
    return "主办件数" if stats.contact_basis == "lead" else "主办和分办件数"


def feedback_round_name(stats: YearStats) -> str:
    """Which forms the satisfaction rates count."""
    if stats.satisfaction_round == "final":
        return "每位提案人最后一轮（重新办理后的）征询意见表"
    return "初次办理的征询意见表"


def satisfaction_base_name(stats: YearStats) -> str:
    """What 满意率 divides by: returned forms, forms sent, or lead and 分办 cases."""
    return {
        "returned": "收回的意见表份数",
        "sent": "发出的意见表份数",
        "cases": "主办和分办件数",
    }[stats.satisfaction_denominator]


def rate_basis(stats: YearStats, key: str) -> str:
    """The basis of rate ``key`` in the rate table (``满意÷收回的意见表（初次办理）``)."""
    per_case = stats.satisfaction_denominator == "cases"
    base = {"returned": "收回的意见表", "sent": "发出的意见表", "cases": "主办和分办件数"}
    text = _BASIS[key].format(
        contact_base=contact_base_name(stats),
        sat_num="满意件数" if per_case else "满意",
        basic_num="满意和基本满意件数" if per_case else "满意和基本满意",
        sat_base=base[stats.satisfaction_denominator],
    )
    if key in ("feedback_return", "satisfied", "satisfied_or_basic"):
        text += "（最后一轮）" if stats.satisfaction_round == "final" else "（初次办理）"
    if key == "face_to_face" and stats.declined:
        text += declined_note(stats)
    return text


def declined_note(stats: YearStats) -> str:
    """How 面商率 counted the cases whose proposer declined a visit (婉拒面商), or ""."""
    if not stats.declined:
        return ""
    how = {
        "excluded": "不计入分母",
        "not_face_to_face": "计入分母、不计为面商",
        "face_to_face": "计为面商",
    }[stats.declined_visit]
    return f"（提案人婉拒面商的{stats.declined}件{how}）"


def basis_sentence(stats: YearStats) -> str:
    """One sentence stating the denominators and the forms counted (printed after the rates)."""
    parts = []
    if any(k.assist for k in stats.by_kind):
        parts.append("按时办结率中协办件按协办意见期限计算")
    if stats.face_to_face.denominator or stats.contact.denominator:
        parts.append(f"沟通率、面商率按{contact_base_name(stats)}计算{declined_note(stats)}")
    if stats.forms_sent:
        parts.append(
            f"满意率按{feedback_round_name(stats)}计算，分母为{satisfaction_base_name(stats)}"
        )
    if stats.joint_assist:
        parts.append("会办件计入协办件")
    if stats.uploaded:
        parts.append("上传件数按答复（有后续答复的按最后一次答复）录入的平台上传日期统计")
    if stats.tracked:
        parts.append("有重新办理或跟踪答复的案件按最后一次答复的类别统计")
    elif stats.rehandled:
        parts.append("重新办理的案件按重新办理答复的类别统计")
    return ("以上" + "；".join(parts) + "。") if parts else ""


def session_text(session: Session | str, style: str = "display") -> str:
    """The session as the wording writes it: display ``区政协三届一次会议``, region
    ``政协海曙区三届一次会议`` / ``海曙区十六届人大三次会议``, formal
    ``政协海曙区第三届委员会第一次会议``."""
    if isinstance(session, str):
        return session
    if style == "formal":
        return session.formal
    if style == "region":
        region = session.region or session.level.value
        tail = session.display.removeprefix(session.level.value)
        if session.body is Body.CPPCC:
            return "政协" + region + tail.removeprefix("政协")
        return region + tail
    return session.display


@dataclass(frozen=True)
class SummaryWording:
    """Wording choices of :func:`summary_sentences` (all have the usual defaults).

    ``class_short`` maps a class code or full label to the short form printed in the sentence;
    labels not in it fall back to :data:`DEFAULT_CLASS_SHORT`, then to the text after the last
    "，" of the label. ``handling_rates`` are the rate keys of the handling sentence, in order;
    ``rate_names`` renames them (e.g. ``{"face_to_face": "直接走访率"}``). The other fields are
    those of :class:`gongwen.models.config.StatsWording`; :meth:`from_config` reads them.
    """

    class_short: Mapping[str, str] = field(default_factory=dict)
    handling_rates: tuple[str, ...] = ("on_time", "contact", "face_to_face")
    rate_names: Mapping[str, str] = field(default_factory=dict)
    kind_nouns: Mapping[CaseKind, str] = field(
        default_factory=lambda: {CaseKind.SUGGESTION: "代表建议", CaseKind.PROPOSAL: "委员提案"}
    )
    session_style: str = "display"
    first_sentence: str = "{year}年，{me}共承办{source}{total}件，其中{roles}"
    roles_joiner: str = "、"
    rate_joiner: str = "、"
    same_value_word: str = "均"

    @classmethod
    def from_config(cls, config: Config) -> SummaryWording:
        """The wording configured in ``config.wording`` (a preset or the fields set)."""
        w: StatsWording = config.wording
        return cls(
            handling_rates=w.handling_rates,
            rate_names=dict(w.rate_names),
            kind_nouns=dict(w.kind_nouns),
            session_style=w.session_style,
            first_sentence=w.first_sentence,
            roles_joiner=w.roles_joiner,
            rate_joiner=w.rate_joiner,
            same_value_word=w.same_value_word,
        )

    def short_label(self, code: str, label: str) -> str:
        """The printed short form of a class."""
        for key in (code, label):
            if key in self.class_short:
                return self.class_short[key]
        if label in DEFAULT_CLASS_SHORT:
            return DEFAULT_CLASS_SHORT[label]
        return re.split(r"[，,]", label)[-1]

    def rate_name(self, key: str) -> str:
        """The printed name of a rate."""
        return self.rate_names.get(key) or RATE_NAMES[key]


def _fmt(rate: Rate, decimals: int) -> str:
    return rate.format(decimals)


def _rate_phrase(
    items: Sequence[tuple[str, Rate]], decimals: int, wording: SummaryWording | None = None
) -> str:
    """``按时办结率、面商率均达100%，沟通率为90.9%``: equal values grouped with 均达."""
    wd = wording or SummaryWording()
    groups: dict[str, list[str]] = {}
    for name, rate in items:
        if rate.denominator == 0:
            continue
        groups.setdefault(_fmt(rate, decimals), []).append(name)
    parts = []
    for value, names in groups.items():
        verb = "达" if value == "100%" else "为"
        if len(names) > 1:
            verb = wd.same_value_word + verb
        parts.append(f"{wd.rate_joiner.join(names)}{verb}{value}")
    return "，".join(parts)


def _roles_phrase(lead: int, assist: int, separate: int, joiner: str = "、", joint: int = 0) -> str:
    """``主办9件、协办20件`` (``协办20件（其中会办2件）`` when this unit 会办 some)."""
    parts = [f"{r.value}{n}件" for r, n in zip(ROLES, (lead, assist, separate), strict=True) if n]
    if joint and assist:
        i = 1 if lead else 0
        parts[i] += f"（其中会办{joint}件）"
    return joiner.join(parts)


def merged_sentence(stats: YearStats, wording: SummaryWording | None = None) -> str:
    """``另有2件委员提案与所列案件并案办理、一并答复，未计入承办件数。`` (the numbers in
    ``Case.merged``) or ""."""
    if not stats.merged:
        return ""
    wd = wording or SummaryWording()
    kinds = [(wd.kind_nouns[k.kind], k.merged) for k in stats.by_kind if k.merged]
    if len(kinds) == 1:
        what = f"{stats.merged}件{kinds[0][0]}"
    else:
        what = "、".join(f"{noun}{n}件" for noun, n in kinds)
    return f"另有{what}与所列案件并案办理、一并答复，未计入承办件数。"


def tracked_sentence(stats: YearStats) -> str:
    """``答复后对3件进行了跟踪答复，……`` (lead and 分办 cases with a 跟踪答复) or ""."""
    if not stats.tracked:
        return ""
    return f"答复后对{stats.tracked}件进行了跟踪答复，向{_who(stats)}通报办理进展和落实情况。"


def uploaded_sentence(stats: YearStats) -> str:
    """``答复件均已上传至网上办理平台。`` (by 平台上传日期 of the latest reply) or ""."""
    n, replied = stats.uploaded, stats.replied.numerator
    if not n:
        return ""
    if n >= replied:
        return "答复件均已上传至网上办理平台。"
    return f"已答复的{replied}件中，{n}件的答复已上传至网上办理平台。"


def _kind_noun(stats: YearStats, wording: SummaryWording) -> str:
    return "和".join(wording.kind_nouns[k] for k in stats.kinds)


def _who(stats: YearStats) -> str:
    if stats.kinds == (CaseKind.SUGGESTION,):
        return "代表"
    if stats.kinds == (CaseKind.PROPOSAL,):
        return "委员"
    return "代表委员"


def completion_phrase(stats: YearStats) -> str:
    """``已全部办结并答复`` only when this unit answered proposers itself (as lead or 分办)."""
    n = stats.replied.numerator
    if n < stats.total:
        return f"已办结{n}件，尚有{stats.total - n}件正在办理"
    if stats.answering == 0:
        return "已全部办结，协办意见均已送交主办单位"
    return "已全部办结并答复"


def summary_sentences(
    stats: YearStats, org: Organisation, wording: SummaryWording | None = None
) -> list[str]:
    """The 基本情况 paragraph as sentences, phrased like real reports::

    2024年，我局共承办区十六届人大三次会议代表建议29件，其中主办9件、协办20件。
    已全部办结并答复，主办件中已解决或采纳7件，列入计划解决3件，留作参考1件。
    按时办结率、沟通率、面商率均达100%。……满意和基本满意率达100%。
    以上沟通率、面商率按主办和分办件数计算；满意率按初次办理的征询意见表计算，……。

    Without ``wording`` the organisation's configured wording (``config.wording``) is used.
    """
    wd = wording or SummaryWording.from_config(org.config)
    decimals = org.config.decimals
    me = org.self_name
    out: list[str] = []
    if stats.total == 0:
        return [f"{stats.year}年，{me}未承办建议提案。"]

    # 1. totals, by session/kind, by role, key cases
    roles = _roles_phrase(
        stats.lead, stats.assist, stats.separate, wd.roles_joiner, stats.joint_assist
    )
    if len(stats.by_session) == 1:
        s = stats.by_session[0]
        source = f"{session_text(s.detail or s.session, wd.session_style)}{wd.kind_nouns[s.kind]}"
        first = wd.first_sentence.format(
            year=stats.year, me=me, source=source, total=stats.total, roles=roles
        )
    else:
        per = "、".join(
            f"{session_text(s.detail or s.session, wd.session_style)}"
            f"{wd.kind_nouns[s.kind]}{s.total}件"
            for s in stats.by_session
        )
        first = (
            f"{stats.year}年，{me}共承办{_kind_noun(stats, wd)}{stats.total}件，其中{per}；"
            f"按办理类型分，{roles}"
        )
    if stats.key:
        key_noun = {CaseKind.SUGGESTION: "重点建议", CaseKind.PROPOSAL: "重点提案"}
        keys = [f"{key_noun[k.kind]}{k.key}件" for k in stats.by_kind if k.key]
        first += "，" + "、".join(keys)
    out.append(first + "。")
    merged = merged_sentence(stats, wd)
    if merged:
        out.append(merged)

    # 2. completion and result classes
    done = completion_phrase(stats)
    classes = "，".join(
        f"{wd.short_label(c.code, c.label)}{c.count}件" for c in stats.by_class if c.count
    )
    if classes:
        whose = "主办件" if stats.separate == 0 else "主办和分办件"
        if stats.assist == 0:
            done += f"，其中{classes}"
        else:
            done += f"；{whose}中{classes}"
    out.append(done + "。")
    out += [t for t in (tracked_sentence(stats), uploaded_sentence(stats)) if t]

    # 3. handling rates
    handling = _rate_phrase(
        [(wd.rate_name(k), stats.rates[k]) for k in wd.handling_rates if k in stats.rates],
        decimals,
        wd,
    )
    if handling:
        out.append(handling + "。")

    # 4. feedback and satisfaction
    if stats.forms_sent:
        fb = (
            f"共发出征询意见表{stats.forms_sent}份，收回{stats.forms_returned}份，"
            f"{wd.rate_name('feedback_return')}{_verb(stats.feedback_return, decimals)}"
        )
        sat = _satisfaction_phrase(stats, decimals, wd)
        if sat and stats.forms_returned:
            fb += f"；{_who(stats)}{sat}"
        out.append(fb + "。")
    basis = basis_sentence(stats)
    if basis:
        out.append(basis)
    return out


def _verb(rate: Rate, decimals: int) -> str:
    value = _fmt(rate, decimals)
    return ("达" if value == "100%" else "为") + value


def _satisfaction_phrase(stats: YearStats, decimals: int, wording: SummaryWording) -> str:
    names = (wording.rate_name("satisfied"), wording.rate_name("satisfied_or_basic"))
    att = (stats.attitude_satisfied, stats.attitude_satisfied_or_basic)
    res = (stats.result_satisfied, stats.result_satisfied_or_basic)
    same = [_fmt(r, decimals) for r in att] == [_fmt(r, decimals) for r in res]
    if same:
        return "对办理态度和办理结果的" + _rate_phrase(
            list(zip(names, att, strict=True)), decimals, wording
        )
    return (
        "对办理态度的"
        + _rate_phrase(list(zip(names, att, strict=True)), decimals, wording)
        + "，对办理结果的"
        + _rate_phrase(list(zip(names, res, strict=True)), decimals, wording)
    )


def percent(value: Decimal, decimals: int) -> str:
    """A share in percentage points as printed (``33.33%``, ``100%``)."""
    return format_percent(value / 100, decimals)
