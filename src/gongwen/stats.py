"""A year's handling statistics: pure functions over a :class:`HandlingYear` and its config.

Every figure is counted from the cases, never typed in; every rate is a :class:`Rate` that keeps
its numerator and denominator, so a report can state both. The words that quote them (the
基本情况 paragraph, rate names, the basis of each rate) are in :mod:`gongwen.summary`.

Counting rules (the denominators are the ones in the spec, domain.md "Annual handling report"):

- 办结率 = cases with a reply ÷ all cases (co-handled cases count: their reply is the opinion).
- 按时办结率 = replies dated on or before the case's limit ÷ cases due. The limit is
  ``case.effective_deadline(config)`` for lead and 分办 cases and ``case.co_handler_deadline``
  (``co_handler_limit_months``) for a co-handler's opinion. Without ``as_of`` every case is due;
  with ``as_of`` (the report's date) a case is due when it is replied or its limit has passed.
- 沟通率 / 面商率 = cases with any contact / a face-to-face contact (``ContactMethod.face_to_face``)
  on or before the first reply ÷ lead and 分办 cases (``contact_basis: lead_and_separate``) or
  lead cases only (``lead``). A case whose proposer declined a visit (婉拒面商, and no
  face-to-face contact) is contacted; for 面商率 it is left out of the denominator
  (``declined_visit: excluded``), counted as not face-to-face (``not_face_to_face``) or as
  face-to-face (``face_to_face``).
- result classes: lead and 分办 cases with a reply, using the latest reply's class (a re-handling
  or follow-up reply, by date, replaces the earlier ones); shares by largest remainder at
  ``config.share_decimals``.
- 反馈率 = forms returned ÷ forms sent (one per proposer of every replied lead and 分办 case).
- The forms counted are each proposer's first-round form (``satisfaction_round: first``) or
  each proposer's form of the latest round that has one (``final``: re-handling and follow-up
  rounds by date, see :attr:`CaseRecord.rounds`).
- Ratings count by the configured vocabulary (``config.rating_scale``): 满意 words, and 满意 or
  基本满意 words (满意/基本满意 by default; 同意/理解 in the 同意度 scale).
- 满意率 and 满意和基本满意率, for attitude and result separately: ÷ returned forms rating that
  item (``satisfaction_denominator: returned``), ÷ forms sent (``sent``), or per case ÷ lead and
  分办 cases (``cases``: a case counts when all its returned forms give the rating).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from gongwen.models.case import Case
from gongwen.models.config import ClassScheme, Config, RatingScale
from gongwen.models.enums import CaseKind, ContactMethod, HandlingRole, Rating, Round
from gongwen.models.feedback import Feedback
from gongwen.models.reply import Reply
from gongwen.models.session import Session
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.text.rates import Rate, largest_remainder

__all__ = [
    "ClassCount",
    "KindCount",
    "SessionCount",
    "YearStats",
    "answers_proposer",
    "compute_stats",
    "contact_methods",
    "counted_feedback",
    "declined_visit",
    "final_reply",
    "first_round_feedback",
    "is_due",
    "on_time",
    "time_limit",
]

ROLES = (HandlingRole.LEAD, HandlingRole.ASSIST, HandlingRole.SEPARATE)


# --------------------------------------------------------------------------------------------
# Per-case facts
# --------------------------------------------------------------------------------------------
def answers_proposer(case: Case) -> bool:
    """True for 主办 and 分办 cases: this unit replies to the proposer and sends the forms."""
    return case.role in (HandlingRole.LEAD, HandlingRole.SEPARATE)


def final_reply(rec: CaseRecord) -> Reply | None:
    """The latest reply (re-handling and follow-up replies by date), else the first reply."""
    return rec.final_reply


def time_limit(rec: CaseRecord, config: Config) -> date:
    """The date the first reply is due: the co-handler limit for a co-handler's opinion, else
    the case's effective (possibly extended) deadline."""
    if rec.case.role is HandlingRole.ASSIST:
        return rec.case.co_handler_deadline(config)
    return rec.case.effective_deadline(config)


def on_time(rec: CaseRecord, config: Config) -> bool:
    """True when the (first) reply or opinion is dated on or before :func:`time_limit`."""
    return rec.reply is not None and rec.reply.date <= time_limit(rec, config)


def is_due(rec: CaseRecord, config: Config, as_of: date | None) -> bool:
    """True when the case counts for 按时办结率 on ``as_of``: replied, or its limit has passed
    (every case is due when ``as_of`` is None)."""
    return as_of is None or rec.reply is not None or time_limit(rec, config) < as_of


def declined_visit(rec: CaseRecord) -> bool:
    """True when the proposer declined a visit (婉拒面商) before the first reply and had no
    face-to-face contact."""
    methods = contact_methods(rec)
    return ContactMethod.DECLINED in methods and not any(m.face_to_face for m in methods)


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


def counted_feedback(rec: CaseRecord, round_: str = "first") -> tuple[Feedback, ...]:
    """The forms the satisfaction rates count: first-round (``first``), or each proposer's
    latest form — the re-handling form when there is one (``final``)."""
    if round_ == "first":
        return first_round_feedback(rec)
    names = {p.name for p in rec.case.proposers}
    latest: dict[str, Feedback] = {}
    for rnd in rec.rounds:
        this_round: dict[str, Feedback] = {}
        for fb in rnd.feedback:
            if fb.proposer in names:
                this_round.setdefault(fb.proposer, fb)
        latest.update(this_round)
    return tuple(latest.values())


def _key(rec: CaseRecord) -> str:
    return rec.case.kind.value


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
class _RoleCounts:
    """Counts by this unit's role (mixed into the count classes below)."""

    lead: int
    assist: int
    separate: int

    def by_role(self, role: HandlingRole) -> int:
        """Cases in ``role``."""
        return {
            HandlingRole.LEAD: self.lead,
            HandlingRole.ASSIST: self.assist,
            HandlingRole.SEPARATE: self.separate,
        }[role]


@dataclass(frozen=True)
class KindCount(_RoleCounts):
    """Cases of one kind (建议 or 提案) by this unit's role."""

    kind: CaseKind
    total: int
    lead: int
    assist: int
    separate: int
    key: int
    joint_assist: int = 0  # of ``assist``: cases this unit 会办
    merged: int = 0  # numbers merged into these cases (并案), not in ``total``
    tracked: int = 0  # replied lead/分办 cases with a 跟踪答复
    uploaded: int = 0  # cases whose latest reply was uploaded (平台上传日期)
    joint_led: int = 0  # lead/分办 cases with a 会办 partner (``Case.joint_units``)


@dataclass(frozen=True)
class SessionCount(_RoleCounts):
    """Cases of one kind submitted to one session (``区十六届人大三次会议`` 建议 6件)."""

    session: str
    kind: CaseKind
    total: int
    lead: int
    assist: int
    separate: int
    detail: Session | None = None  # the session itself, for other forms of its name


@dataclass(frozen=True)
class ClassCount:
    """One result class: count and largest-remainder share (percentage points)."""

    code: str
    label: str
    count: int
    share: Decimal
    rate: Rate


@dataclass(frozen=True)
class YearStats(_RoleCounts):
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
    lead_answered: int  # lead cases with a reply
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
    satisfaction_round: str
    contact_basis: str
    rehandled: int  # replied lead/分办 cases whose class comes from a re-handling reply
    by_category: tuple[tuple[str, int], ...]
    by_unit: tuple[tuple[str, int], ...]  # partner units (lead/co/分办 units) and shared cases
    kinds: tuple[CaseKind, ...] = field(default=())
    as_of: date | None = None
    declined: int = 0  # contact-base cases whose proposer declined a visit (婉拒面商)
    declined_visit: str = "excluded"  # how 面商率 counts them (Config.declined_visit)
    tracked: int = 0  # replied lead/分办 cases with a 跟踪答复
    joint_assist: int = 0  # co-handled cases this unit 会办 (counted in ``assist``)
    merged: int = 0  # numbers answered with another case's reply (并案), not in ``total``
    uploaded: int = 0  # cases whose latest reply was uploaded to the platform (平台上传日期)
    joint_led: int = 0  # lead/分办 cases with a partner that 会办 (``Case.joint_units``)
    joint_partners: int = 0  # 会办 partners of those cases (单位次)

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
    per_case: Sequence[Sequence[Feedback]],
    sent: int,
    denominator: str,
    item: str,
    scale: RatingScale,
) -> tuple[Rate, Rate]:
    """满意率 and 满意和基本满意率 of ``item`` (attitude/result) under ``denominator``, with the
    words of ``scale`` (满意 / 满意 or 基本满意 by default)."""
    top: tuple[Rating, ...] = scale.satisfied
    good = scale.good
    if denominator == "cases":
        rated_cases = [
            [r for f in forms if (r := getattr(f, item)) is not None] for forms in per_case
        ]
        satisfied = sum(bool(rs) and all(r in top for r in rs) for rs in rated_cases)
        basic = sum(bool(rs) and all(r in good for r in rs) for rs in rated_cases)
        return Rate(satisfied, len(per_case)), Rate(basic, len(per_case))
    rated = [r for forms in per_case for f in forms if (r := getattr(f, item)) is not None]
    base = len(rated) if denominator == "returned" else sent
    satisfied = sum(r in top for r in rated)
    basic = sum(r in good for r in rated)
    return Rate(satisfied, base), Rate(basic, base)


def _partner_units(rec: CaseRecord, own: str) -> list[str]:
    case = rec.case
    units = ([case.lead_unit] if case.lead_unit else []) + list(case.co_units)
    return [u for u in dict.fromkeys(units) if u != own]


def _tracked(recs: Sequence[CaseRecord]) -> int:
    """Replied lead and 分办 cases with at least one 跟踪答复."""
    return sum(
        answers_proposer(r.case) and any(x.kind is Round.TRACKING for x in r.rounds) for r in recs
    )


def _joint(recs: Sequence[CaseRecord]) -> int:
    """Co-handled cases this unit 会办 (rather than 协办)."""
    return sum(r.case.joint_handling for r in recs)


def _merged(recs: Sequence[CaseRecord]) -> int:
    """Numbers answered with another case's reply (并案): not cases of their own."""
    return sum(len(r.case.merged_numbers) for r in recs)


def _joint_led(recs: Sequence[CaseRecord]) -> int:
    """Lead and 分办 cases with at least one partner that 会办 (rather than 协办)."""
    return sum(answers_proposer(r.case) and bool(r.case.joint_units) for r in recs)


def _uploaded(recs: Sequence[CaseRecord]) -> int:
    """Cases whose latest reply (or opinion) has a 平台上传日期."""
    return sum((fr := r.final_reply) is not None and fr.uploaded_on is not None for r in recs)


def compute_stats(
    year: HandlingYear, config: Config, *, as_of: date | None = None, own_unit: str | None = None
) -> YearStats:
    """All statistics of ``year`` under ``config``.

    ``as_of`` (the report's date) limits 按时办结率 to cases that are due by then (replied, or
    their limit passed, see :func:`is_due`); without it every case is due.
    ``own_unit`` (the organisation's name) is left out of the partner-unit counts;
    it defaults to ``year.organisation``'s name.
    """
    recs = list(year.cases)
    own = own_unit or (year.organisation.name if year.organisation else "")
    kinds = tuple(k for k in CaseKind if any(r.case.kind is k for r in recs))
    by_kind = []
    for k in kinds:
        sub = [r for r in recs if r.case.kind is k]
        lead, assist, sep = _role_counts(sub)
        by_kind.append(
            KindCount(
                k,
                len(sub),
                lead,
                assist,
                sep,
                sum(r.case.key for r in sub),
                joint_assist=_joint(sub),
                merged=_merged(sub),
                tracked=_tracked(sub),
                uploaded=_uploaded(sub),
                joint_led=_joint_led(sub),
            )
        )
    sessions: dict[tuple[str, CaseKind], list[CaseRecord]] = {}
    for r in sorted(recs, key=lambda r: list(CaseKind).index(r.case.kind)):
        sessions.setdefault((r.case.session.display, r.case.kind), []).append(r)
    by_session = tuple(
        SessionCount(name, kind, len(sub), *_role_counts(sub), detail=sub[0].case.session)
        for (name, kind), sub in sessions.items()
    )
    lead, assist, sep = _role_counts(recs)
    answering = [r for r in recs if answers_proposer(r.case)]
    answered = [r for r in answering if r.reply is not None]
    by_class, unclassed = _class_counts(answered, config.class_scheme, config.share_decimals)

    replied = [r for r in recs if r.reply is not None]
    due = [r for r in recs if is_due(r, config, as_of)]
    timely = [r for r in due if on_time(r, config)]
    late = tuple(r.case.label for r in due if not on_time(r, config))

    if config.contact_basis == "lead":
        contact_base = [r for r in recs if r.case.role is HandlingRole.LEAD]
    else:
        contact_base = answering
    contacted = [r for r in contact_base if contact_methods(r)]
    declined = [r for r in contact_base if declined_visit(r)]
    f2f_base = contact_base
    if config.declined_visit == "excluded":
        f2f_base = [r for r in contact_base if not declined_visit(r)]
    f2f = [
        r
        for r in f2f_base
        if any(m.face_to_face for m in contact_methods(r))
        or (config.declined_visit == "face_to_face" and declined_visit(r))
    ]

    sent = sum(len(r.case.proposers) for r in answered)
    per_case = [counted_feedback(r, config.satisfaction_round) for r in answered]
    returned = sum(len(forms) for forms in per_case)
    denominator = config.satisfaction_denominator
    att = _rating_rates(per_case, sent, denominator, "attitude", config.rating_scale)
    res = _rating_rates(per_case, sent, denominator, "result", config.rating_scale)

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
        lead_answered=sum(r.case.role is HandlingRole.LEAD for r in answered),
        replied=Rate(len(replied), len(recs)),
        on_time=Rate(len(timely), len(due)),
        late=late,
        contact=Rate(len(contacted), len(contact_base)),
        face_to_face=Rate(len(f2f), len(f2f_base)),
        forms_sent=sent,
        forms_returned=returned,
        feedback_return=Rate(returned, sent),
        attitude_satisfied=att[0],
        attitude_satisfied_or_basic=att[1],
        result_satisfied=res[0],
        result_satisfied_or_basic=res[1],
        satisfaction_denominator=denominator,
        satisfaction_round=config.satisfaction_round,
        contact_basis=config.contact_basis,
        rehandled=sum(r.rehandled for r in answered),
        by_category=_ordered_counts(r.case.category or "未分类" for r in recs),
        by_unit=_ordered_counts(u for r in recs for u in _partner_units(r, own)),
        kinds=kinds,
        as_of=as_of,
        declined=len(declined),
        declined_visit=config.declined_visit,
        tracked=_tracked(recs),
        joint_assist=_joint(recs),
        merged=_merged(recs),
        uploaded=_uploaded(recs),
        joint_led=_joint_led(recs),
        joint_partners=sum(len(r.case.joint_units) for r in recs if answers_proposer(r.case)),
    )
