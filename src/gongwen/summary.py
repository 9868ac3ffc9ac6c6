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

from gongwen.models.enums import CaseKind
from gongwen.models.organisation import Organisation
from gongwen.stats import ROLES, YearStats
from gongwen.text.rates import Rate, format_percent

__all__ = ["RATE_NAMES", "SummaryWording", "percent", "summary_sentences"]

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
    }
)


@dataclass(frozen=True)
class SummaryWording:
    """Wording choices of :func:`summary_sentences` (all have the usual defaults).

    ``class_short`` maps a class code or full label to the short form printed in the sentence;
    labels not in it fall back to :data:`DEFAULT_CLASS_SHORT`, then to the text after the last
    "，" of the label. ``handling_rates`` are the rate keys of the handling sentence, in order;
    ``rate_names`` renames them (e.g. ``{"face_to_face": "直接走访率"}``).
    """

    class_short: Mapping[str, str] = field(default_factory=dict)
    handling_rates: tuple[str, ...] = ("on_time", "contact", "face_to_face")
    rate_names: Mapping[str, str] = field(default_factory=dict)
    kind_nouns: Mapping[CaseKind, str] = field(
        default_factory=lambda: {CaseKind.SUGGESTION: "代表建议", CaseKind.PROPOSAL: "委员提案"}
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


def _rate_phrase(items: Sequence[tuple[str, Rate]], decimals: int) -> str:
    """``按时办结率、面商率均达100%，沟通率为90.9%``: equal values grouped with 均达."""
    groups: dict[str, list[str]] = {}
    for name, rate in items:
        if rate.denominator == 0:
            continue
        groups.setdefault(_fmt(rate, decimals), []).append(name)
    parts = []
    for value, names in groups.items():
        verb = "达" if value == "100%" else "为"
        if len(names) > 1:
            verb = "均" + verb
        parts.append(f"{'、'.join(names)}{verb}{value}")
    return "，".join(parts)


def _roles_phrase(lead: int, assist: int, separate: int) -> str:
    parts = [f"{r.value}{n}件" for r, n in zip(ROLES, (lead, assist, separate), strict=True) if n]
    return "、".join(parts)


def _kind_noun(stats: YearStats, wording: SummaryWording) -> str:
    return "和".join(wording.kind_nouns[k] for k in stats.kinds)


def _who(stats: YearStats) -> str:
    if stats.kinds == (CaseKind.SUGGESTION,):
        return "代表"
    if stats.kinds == (CaseKind.PROPOSAL,):
        return "委员"
    return "代表委员"


def summary_sentences(
    stats: YearStats, org: Organisation, wording: SummaryWording | None = None
) -> list[str]:
    """The 基本情况 paragraph as sentences, phrased like real reports::

    2024年，我局共承办区十六届人大三次会议代表建议29件，其中主办9件、协办20件。
    已全部办结，主办件中已解决或采纳7件，列入计划解决3件，留作参考1件。
    按时办结率、沟通率、面商率均达100%。……满意和基本满意率达100%。
    """
    wd = wording or SummaryWording()
    decimals = org.config.decimals
    me = org.self_name
    out: list[str] = []
    if stats.total == 0:
        return [f"{stats.year}年，{me}未承办建议提案。"]

    # 1. totals, by session/kind, by role, key cases
    if len(stats.by_session) == 1:
        s = stats.by_session[0]
        first = (
            f"{stats.year}年，{me}共承办{s.session}{wd.kind_nouns[s.kind]}{stats.total}件，"
            f"其中{_roles_phrase(stats.lead, stats.assist, stats.separate)}"
        )
    else:
        per = "、".join(f"{s.session}{wd.kind_nouns[s.kind]}{s.total}件" for s in stats.by_session)
        first = (
            f"{stats.year}年，{me}共承办{_kind_noun(stats, wd)}{stats.total}件，其中{per}；"
            f"按办理类型分，{_roles_phrase(stats.lead, stats.assist, stats.separate)}"
        )
    if stats.key:
        key_noun = {CaseKind.SUGGESTION: "重点建议", CaseKind.PROPOSAL: "重点提案"}
        keys = [f"{key_noun[k.kind]}{k.key}件" for k in stats.by_kind if k.key]
        first += "，" + "、".join(keys)
    out.append(first + "。")

    # 2. completion and result classes
    if stats.replied.numerator == stats.total:
        done = "已全部办结并答复"
    else:
        n = stats.replied.numerator
        done = f"已办结{n}件，尚有{stats.total - n}件正在办理"
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

    # 3. handling rates
    handling = _rate_phrase(
        [(wd.rate_name(k), stats.rates[k]) for k in wd.handling_rates], decimals
    )
    if handling:
        out.append(handling + "。")

    # 4. feedback and satisfaction
    if stats.forms_sent:
        fb = (
            f"共发出征询意见表{stats.forms_sent}份，收回{stats.forms_returned}份，"
            f"{wd.rate_name('feedback_return')}{_verb(stats.feedback_return, decimals)}"
        )
        basis = "" if stats.satisfaction_denominator == "returned" else "（按发出的意见表计）"
        sat = _satisfaction_phrase(stats, decimals)
        if sat and stats.forms_returned:
            fb += f"；{_who(stats)}{basis}{sat}"
        out.append(fb + "。")
    return out


def _verb(rate: Rate, decimals: int) -> str:
    value = _fmt(rate, decimals)
    return ("达" if value == "100%" else "为") + value


def _satisfaction_phrase(stats: YearStats, decimals: int) -> str:
    att = (stats.attitude_satisfied, stats.attitude_satisfied_or_basic)
    res = (stats.result_satisfied, stats.result_satisfied_or_basic)
    same = [_fmt(r, decimals) for r in att] == [_fmt(r, decimals) for r in res]
    if same:
        return "对办理态度和办理结果的" + _rate_phrase(
            [("满意率", att[0]), ("满意和基本满意率", att[1])], decimals
        )
    return (
        "对办理态度的"
        + _rate_phrase([("满意率", att[0]), ("满意和基本满意率", att[1])], decimals)
        + "，对办理结果的"
        + _rate_phrase([("满意率", res[0]), ("满意和基本满意率", res[1])], decimals)
    )


def percent(value: Decimal, decimals: int) -> str:
    """A share in percentage points as printed (``33.33%``, ``100%``)."""
    return format_percent(value / 100, decimals)
