"""A year's handling statistics: pure functions over a :class:`HandlingYear` and its config.

Every figure is counted from the cases, never typed in; every rate is a :class:`Rate` that keeps
its numerator and denominator, so a report can state both. :func:`summary_sentences` writes the
基本情况 paragraph the way real handling reports phrase it.

Counting rules (the denominators are the ones in the spec, domain.md "Annual handling report"):

- 办结率 = cases with a reply ÷ all cases (co-handled cases count: their reply is the opinion).
- 按时办结率 = replies dated on or before ``case.effective_deadline(config)`` ÷ cases due
  (all cases, or with ``as_of`` the cases replied or whose deadline has passed by then).
- 沟通率 / 面商率 = lead and 分办 cases with any contact / a face-to-face contact
  (``ContactMethod.face_to_face``) on or before the first reply ÷ lead and 分办 cases.
- result classes: lead and 分办 cases with a reply, using the latest reply's class (a re-handling
  reply replaces the first); shares by largest remainder at ``config.share_decimals``.
- 反馈率 = first-round feedback forms returned ÷ forms sent (one per proposer of every replied
  lead and 分办 case).
- 满意率 and 满意和基本满意率, for attitude and result separately, over first-round forms:
  ÷ returned forms rating that item (``satisfaction_denominator: returned``) or ÷ forms sent
  (``cases``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from gongwen.models.case import Case
from gongwen.models.config import ClassScheme, Config
from gongwen.models.enums import CaseKind, ContactMethod, HandlingRole, Rating, Round
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.text.rates import Rate, format_percent, largest_remainder

__all__ = [
    "ClassCount",
    "KindCount",
    "SessionCount",
    "SummaryWording",
    "YearStats",
    "answers_proposer",
    "compute_stats",
    "contact_methods",
    "final_reply",
    "first_round_feedback",
    "on_time",
    "summary_sentences",
]

ROLES = (HandlingRole.LEAD, HandlingRole.ASSIST, HandlingRole.SEPARATE)


# --------------------------------------------------------------------------------------------
# Per-case facts
# --------------------------------------------------------------------------------------------
def answers_proposer(case: Case) -> bool:
    """True for 主办 and 分办 cases: this unit replies to the proposer and sends the forms."""
    return case.role in (HandlingRole.LEAD, HandlingRole.SEPARATE)


def final_reply(rec: CaseRecord) -> Reply | None:
    """The latest reply: the re-handling reply when there is one, else the first reply."""
    return rec.rehandling or rec.reply


def on_time(rec: CaseRecord, config: Config) -> bool:
    """True when the (first) reply is dated on or before the case's effective deadline."""
    return rec.reply is not None and rec.reply.date <= rec.case.effective_deadline(config)


def contact_methods(rec: CaseRecord) -> tuple[ContactMethod, ...]:
    """Distinct contact methods recorded on or before the first reply, in recorded order."""
    if rec.reply is None:
        return ()
    seen = [
        c.method
        for c in sorted(rec.reply.contacts, key=lambda c: c.date)
        if c.date <= rec.reply.date and c.method is not ContactMethod.NONE
    ]
    return tuple(dict.fromkeys(seen))


def first_round_feedback(rec: CaseRecord) -> tuple[Feedback, ...]:
    """The returned first-round forms, one per proposer (the first form a proposer returned)."""
    names = {p.name for p in rec.case.proposers}
    out: dict[str, Feedback] = {}
    for fb in rec.feedback:
        if fb.round is Round.FIRST and fb.proposer in names and fb.proposer not in out:
            out[fb.proposer] = fb
    return tuple(out.values())


def _key(rec: CaseRecord) -> str:
    return rec.case.kind.value


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KindCount:
    """Cases of one kind (建议 or 提案) by this unit's role."""

    kind: CaseKind
    total: int
    lead: int
    assist: int
    separate: int
    key: int

    def by_role(self, role: HandlingRole) -> int:
        """Cases of this kind in ``role``."""
        return {
            HandlingRole.LEAD: self.lead,
            HandlingRole.ASSIST: self.assist,
            HandlingRole.SEPARATE: self.separate,
        }[role]


@dataclass(frozen=True)
class SessionCount:
    """Cases of one kind submitted to one session (``区十六届人大三次会议`` 建议 6件)."""

    session: str
    kind: CaseKind
    total: int
    lead: int
    assist: int
    separate: int


@dataclass(frozen=True)
class ClassCount:
    """One result class: count and largest-remainder share (percentage points)."""

    code: str
    label: str
    count: int
    share: Decimal
    rate: Rate


@dataclass(frozen=True)
class YearStats:
    """Every figure of a handling year. Counts are ints; every rate is a :class:`Rate`."""

    year: int
    total: int
    by_kind: tuple[KindCount, ...]
    by_session: tuple[SessionCount, ...]
    lead: int
    assist: int
    separate: int
    key: int
    by_class: tuple[ClassCount, ...]
    classed: int  # lead and 分办 cases replied with a class of the scheme
    unclassed: tuple[str, ...]  # labels of replied lead/分办 cases without a known class
    answering: int  # lead and 分办 cases
    answered: int  # lead and 分办 cases with a reply
    replied: Rate
    on_time: Rate
    late: tuple[str, ...]  # labels of cases replied after the deadline, or overdue unreplied
    contact: Rate
    face_to_face: Rate
    forms_sent: int
    forms_returned: int
    feedback_return: Rate
    attitude_satisfied: Rate
    attitude_satisfied_or_basic: Rate
    result_satisfied: Rate
    result_satisfied_or_basic: Rate
    satisfaction_denominator: str
    by_category: tuple[tuple[str, int], ...]
    by_unit: tuple[tuple[str, int], ...]  # partner units (lead/co/分办 units) and shared cases
    kinds: tuple[CaseKind, ...] = field(default=())

    @property
    def rates(self) -> Mapping[str, Rate]:
        """The rates by key (``on_time``, ``face_to_face`` …) for tables and checks."""
        return MappingProxyType(
            {
                "replied": self.replied,
                "on_time": self.on_time,
                "contact": self.contact,
                "face_to_face": self.face_to_face,
                "feedback_return": self.feedback_return,
                "attitude_satisfied": self.attitude_satisfied,
                "attitude_satisfied_or_basic": self.attitude_satisfied_or_basic,
                "result_satisfied": self.result_satisfied,
                "result_satisfied_or_basic": self.result_satisfied_or_basic,
            }
        )

    def by_role(self, role: HandlingRole) -> int:
        """Cases in ``role``."""
        return {
            HandlingRole.LEAD: self.lead,
            HandlingRole.ASSIST: self.assist,
            HandlingRole.SEPARATE: self.separate,
        }[role]


def _role_counts(recs: Sequence[CaseRecord]) -> tuple[int, int, int]:
    c = Counter(r.case.role for r in recs)
    return c[HandlingRole.LEAD], c[HandlingRole.ASSIST], c[HandlingRole.SEPARATE]


def _ordered_counts(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(values)
    order = {v: i for i, v in reversed(list(enumerate(counts)))}
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]])))


def _class_counts(
    recs: Sequence[CaseRecord], scheme: ClassScheme, decimals: int
) -> tuple[tuple[ClassCount, ...], tuple[str, ...]]:
    counts = dict.fromkeys(scheme.codes, 0)
    unclassed: list[str] = []
    for rec in recs:
        reply = final_reply(rec)
        if reply is None:
            continue
        cls = scheme.get(reply.result_class) if reply.result_class else None
        if cls is None:
            unclassed.append(rec.case.label)
        else:
            counts[cls.code] += 1
    classed = sum(counts.values())
    shares = largest_remainder(list(counts.values()), decimals)
    out = tuple(
        ClassCount(c.code, c.label, counts[c.code], share, Rate(counts[c.code], classed))
        for c, share in zip(scheme.classes, shares, strict=True)
    )
    return out, tuple(unclassed)


def _rating_rates(
    forms: Sequence[Feedback], sent: int, denominator: str, item: str
) -> tuple[Rate, Rate]:
    ratings = [getattr(f, item) for f in forms]
    rated = [r for r in ratings if r is not None]
    base = len(rated) if denominator == "returned" else sent
    satisfied = sum(r is Rating.SATISFIED for r in rated)
    basic = sum(r in (Rating.SATISFIED, Rating.BASICALLY) for r in rated)
    return Rate(satisfied, base), Rate(basic, base)


def _partner_units(rec: CaseRecord, own: str) -> list[str]:
    case = rec.case
    units = ([case.lead_unit] if case.lead_unit else []) + list(case.co_units)
    return [u for u in dict.fromkeys(units) if u != own]


def compute_stats(
    year: HandlingYear, config: Config, *, as_of: date | None = None, own_unit: str | None = None
) -> YearStats:
    """All statistics of ``year`` under ``config``.

    ``as_of`` limits 按时办结率 to cases that are due by then (replied, or deadline passed);
    without it every case is due. ``own_unit`` (the organisation's name) is left out of the
    partner-unit counts; it defaults to ``year.organisation``'s name.
    """
    recs = list(year.cases)
    own = own_unit or (year.organisation.name if year.organisation else "")
    kinds = tuple(k for k in CaseKind if any(r.case.kind is k for r in recs))
    by_kind = []
    for k in kinds:
        sub = [r for r in recs if r.case.kind is k]
        lead, assist, sep = _role_counts(sub)
        by_kind.append(KindCount(k, len(sub), lead, assist, sep, sum(r.case.key for r in sub)))
    sessions: dict[tuple[str, CaseKind], list[CaseRecord]] = {}
    for r in sorted(recs, key=lambda r: list(CaseKind).index(r.case.kind)):
        sessions.setdefault((r.case.session.display, r.case.kind), []).append(r)
    by_session = tuple(
        SessionCount(name, kind, len(sub), *_role_counts(sub))
        for (name, kind), sub in sessions.items()
    )
    lead, assist, sep = _role_counts(recs)
    answering = [r for r in recs if answers_proposer(r.case)]
    answered = [r for r in answering if r.reply is not None]
    by_class, unclassed = _class_counts(answered, config.class_scheme, config.share_decimals)

    replied = [r for r in recs if r.reply is not None]
    if as_of is None:
        due = recs
    else:
        due = [r for r in recs if r.reply is not None or r.case.effective_deadline(config) < as_of]
    timely = [r for r in due if on_time(r, config)]
    late = tuple(r.case.label for r in due if not on_time(r, config))

    contacted = [r for r in answering if contact_methods(r)]
    f2f = [r for r in answering if any(m.face_to_face for m in contact_methods(r))]

    sent = sum(len(r.case.proposers) for r in answered)
    forms = [f for r in answered for f in first_round_feedback(r)]
    denominator = config.satisfaction_denominator
    att = _rating_rates(forms, sent, denominator, "attitude")
    res = _rating_rates(forms, sent, denominator, "result")

    return YearStats(
        year=year.year,
        total=len(recs),
        by_kind=tuple(by_kind),
        by_session=by_session,
        lead=lead,
        assist=assist,
        separate=sep,
        key=sum(r.case.key for r in recs),
        by_class=by_class,
        classed=sum(c.count for c in by_class),
        unclassed=unclassed,
        answering=len(answering),
        answered=len(answered),
        replied=Rate(len(replied), len(recs)),
        on_time=Rate(len(timely), len(due)),
        late=late,
        contact=Rate(len(contacted), len(answering)),
        face_to_face=Rate(len(f2f), len(answering)),
        forms_sent=sent,
        forms_returned=len(forms),
        feedback_return=Rate(len(forms), sent),
        attitude_satisfied=att[0],
        attitude_satisfied_or_basic=att[1],
        result_satisfied=res[0],
        result_satisfied_or_basic=res[1],
        satisfaction_denominator=denominator,
        by_category=_ordered_counts(r.case.category or "未分类" for r in recs),
        by_unit=_ordered_counts(u for r in recs for u in _partner_units(r, own)),
        kinds=kinds,
    )


# --------------------------------------------------------------------------------------------
# The 基本情况 paragraph
# --------------------------------------------------------------------------------------------
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
