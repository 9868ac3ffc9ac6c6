"""A summary across several units: an office (a district government, a 人大/政协 office) that
reports for the bureaus it assigns cases to — per-unit 办复率 and satisfaction, and totals.

Pure functions over one :class:`~gongwen.models.year.HandlingYear` per unit, counted under the
reporting office's configuration (:class:`~gongwen.models.config.Config`), plus
:func:`load_unit_years`, which reads a folder of year files or ledgers (one per unit), or one
ledger or year file with a 承办单位 (``case.unit``) for many units.

Counting rules (stated in the document, :func:`basis_note`):

- 承办件数 per unit: every case the unit holds (主办, 协办, 分办); 办复 = the unit's reply or,
  as co-handler, its opinion (:attr:`gongwen.stats.YearStats.replied`).
- The office's totals count each case once (类型, 届次, 案号): a case that two units hold is one
  case; it is 办复 when every unit holding it has replied.
- Satisfaction is counted per case (件) on the result (办理结果) of the forms the configuration
  counts (``satisfaction_round``), for replied 主办 and 分办 cases: 满意 when every rated form
  says a 满意 word of ``rating_scale``, 基本满意 when every one is 满意 or 基本满意, 不满意 when
  any is another word (保留, 不满意 …), 未表态 when no form rates the result.
- 满意和基本满意率 = (满意 + 基本满意) ÷ cases that gave a rating
  (``satisfaction_denominator: returned``), or ÷ every case asked, 未表态 counting as not
  satisfied (``sent`` and ``cases``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gongwen.errors import InputError
from gongwen.findings import Finding, Severity
from gongwen.models.config import Config
from gongwen.models.enums import CaseKind, HandlingRole, Rating
from gongwen.models.organisation import Organisation
from gongwen.models.year import (
    CaseKey,
    CaseRecord,
    DuplicateCases,
    HandlingYear,
    case_key,
    describe_key,
)
from gongwen.stats import answers_proposer, compute_stats, counted_feedback
from gongwen.text.dates import format_date
from gongwen.text.rates import Rate

__all__ = [
    "NO_UNIT",
    "TIERS",
    "UNIT_FILE_SUFFIXES",
    "UnitRow",
    "UnitYear",
    "UnitsSummary",
    "basis_note",
    "case_tier",
    "load_unit_years",
    "summarise_units",
    "tier_labels",
    "units_sentences",
]

#: The satisfaction columns, in order: 满意, 基本满意, 不满意 (and other words), 未表态.
TIERS = ("satisfied", "basic", "unsatisfied", "undeclared")
#: Files :func:`load_unit_years` reads: year files and ledgers.
UNIT_FILE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".csv")


@dataclass(frozen=True)
class UnitYear:
    """One unit's year: its name as the summary prints it, and its cases."""

    unit: str
    year: HandlingYear


@dataclass(frozen=True)
class UnitRow:
    """One line of the tables: a unit, or the totals (``unit`` = ``合计``)."""

    unit: str
    by_kind: tuple[int, int]  # 建议, 提案
    total: int
    lead: int
    assist: int
    separate: int
    replied: Rate  # 办复率: replied ÷ held
    asked: int  # replied 主办/分办 cases: the ones whose proposers were asked
    tiers: tuple[int, int, int, int]  # 满意, 基本满意, 不满意, 未表态 (cases)
    satisfaction: Rate  # 满意和基本满意率

    @property
    def declared(self) -> int:
        """Cases that gave a rating (满意 + 基本满意 + 不满意)."""
        return sum(self.tiers[:3])


@dataclass(frozen=True)
class UnitsSummary:
    """The figures of the summary: a row per unit and the office's totals (each case once)."""

    year: int
    rows: tuple[UnitRow, ...]
    total: UnitRow
    kind_satisfaction: tuple[tuple[CaseKind, Rate], ...]  # per kind, over the office's cases
    labels: tuple[str, str, str, str]
    denominator: str
    as_of: date | None = None
    overseers: tuple[str, ...] = ()  # the bodies that assigned the cases: 区人大, 区政协

    @property
    def units(self) -> int:
        """How many units are summarised."""
        return len(self.rows)


def tier_labels(config: Config) -> tuple[str, str, str, str]:
    """Column heads from the configured vocabulary: ``满意`` ``基本满意`` ``不满意`` ``未表态``
    (``同意`` ``理解`` ``保留、不同意`` ``未表态`` for the 同意度 scale)."""
    scale = config.rating_scale
    return (
        "、".join(r.value for r in scale.satisfied),
        "、".join(r.value for r in scale.basic) or "基本满意",
        "、".join(r.value for r in (*scale.other, *scale.unsatisfied)),
        "未表态",
    )


def case_tier(records: Iterable[CaseRecord], config: Config) -> int:
    """The satisfaction column (index into :data:`TIERS`) of one case, from the counted forms
    of all its records (one per answering unit)."""
    scale = config.rating_scale
    ratings: list[Rating] = [
        f.result
        for rec in records
        for f in counted_feedback(rec, config.satisfaction_round)
        if f.result is not None
    ]
    if not ratings:
        return 3
    if all(r in scale.satisfied for r in ratings):
        return 0
    if all(r in scale.good for r in ratings):
        return 1
    return 2


def _satisfaction(tiers: Sequence[int], asked: int, denominator: str) -> Rate:
    good = tiers[0] + tiers[1]
    return Rate(good, sum(tiers[:3]) if denominator == "returned" else asked)


def _kind_counts(records: Iterable[CaseRecord]) -> tuple[int, int]:
    counts = Counter(r.case.kind for r in records)
    return counts[CaseKind.SUGGESTION], counts[CaseKind.PROPOSAL]


def _asked(records: Iterable[CaseRecord]) -> list[CaseRecord]:
    return [r for r in records if answers_proposer(r.case) and r.reply is not None]


def _unit_row(unit: UnitYear, config: Config, as_of: date | None) -> UnitRow:
    stats = compute_stats(unit.year, config, as_of=as_of, own_unit=unit.unit)
    asked = _asked(unit.year.cases)
    counts = Counter(case_tier([r], config) for r in asked)
    tiers = (counts[0], counts[1], counts[2], counts[3])
    return UnitRow(
        unit=unit.unit,
        by_kind=_kind_counts(unit.year.cases),
        total=stats.total,
        lead=stats.lead,
        assist=stats.assist,
        separate=stats.separate,
        replied=stats.replied,
        asked=len(asked),
        tiers=tiers,
        satisfaction=_satisfaction(tiers, len(asked), config.satisfaction_denominator),
    )


def summarise_units(
    units: Sequence[UnitYear], config: Config, *, as_of: date | None = None
) -> UnitsSummary:
    """The summary of ``units`` (in the order given) under the office's ``config``.

    Raises :class:`InputError` when no unit is given, two units share a name, or the units'
    years differ.
    """
    if not units:
        raise InputError("没有可汇总的承办单位")
    names = Counter(u.unit for u in units)
    twice = [n for n, c in names.items() if c > 1]
    if twice:
        raise InputError(f"承办单位重复：{'、'.join(twice)}")
    years = sorted({u.year.year for u in units})
    if len(years) > 1:
        raise InputError(f"各单位的年度不一致：{'、'.join(str(y) for y in years)}")
    rows = tuple(_unit_row(u, config, as_of) for u in units)

    by_case: dict[CaseKey, list[CaseRecord]] = {}
    for u in units:
        for rec in u.year.cases:
            by_case.setdefault(case_key(rec), []).append(rec)
    firsts = [recs[0] for recs in by_case.values()]
    replied = sum(all(r.reply is not None for r in recs) for recs in by_case.values())
    asked = {k: _asked(recs) for k, recs in by_case.items()}
    asked = {k: recs for k, recs in asked.items() if recs}
    case_tiers = {k: case_tier(recs, config) for k, recs in asked.items()}
    counts = Counter(case_tiers.values())
    tiers = (counts[0], counts[1], counts[2], counts[3])
    denominator = config.satisfaction_denominator
    roles = Counter(r.case.role for u in units for r in u.year.cases)  # 件次 by role
    total = UnitRow(
        unit="合计",
        by_kind=_kind_counts(firsts),
        total=len(by_case),
        lead=roles[HandlingRole.LEAD],
        assist=roles[HandlingRole.ASSIST],
        separate=roles[HandlingRole.SEPARATE],
        replied=Rate(replied, len(by_case)),
        asked=len(asked),
        tiers=tiers,
        satisfaction=_satisfaction(tiers, len(asked), denominator),
    )
    kind_rates = []
    for kind in CaseKind:
        keys = [k for k in asked if by_case[k][0].case.kind is kind]
        if keys:
            c = Counter(case_tiers[k] for k in keys)
            kind_rates.append((kind, _satisfaction([c[0], c[1], c[2]], len(keys), denominator)))
    sessions = sorted(
        {(r.case.kind is CaseKind.PROPOSAL, r.case.session.level.value) for r in firsts}
    )
    overseers = tuple(f"{level}{'政协' if cppcc else '人大'}" for cppcc, level in sessions)
    return UnitsSummary(
        overseers=overseers,
        year=years[0],
        rows=rows,
        total=total,
        kind_satisfaction=tuple(kind_rates),
        labels=tier_labels(config),
        denominator=denominator,
        as_of=as_of,
    )


# --------------------------------------------------------------------------------------------
# Wording, in the seeds' phrasing: "在区人大、区政协的指导和监督下，在各级各部门的共同努力下，
# 去年区政府共承办了代表建议和委员提案104件，其中代表建议46件、委员提案58件，办理满意率均达到100%"
# --------------------------------------------------------------------------------------------
_KIND_NOUN = {CaseKind.SUGGESTION: "代表建议", CaseKind.PROPOSAL: "委员提案"}


def _kinds_phrase(s: UnitsSummary) -> str:
    sugg, prop = s.total.by_kind
    if sugg and prop:
        return f"代表建议和委员提案{s.total.total}件，其中代表建议{sugg}件、委员提案{prop}件"
    return f"{'代表建议' if sugg else '委员提案'}{s.total.total}件"


def _who(s: UnitsSummary) -> str:
    sugg, prop = s.total.by_kind
    if sugg and prop:
        return "代表委员"
    return "代表" if sugg else "委员"


def units_sentences(s: UnitsSummary, office: str, decimals: int = 1) -> list[str]:
    """The 基本情况 sentences of the summary, ``office`` being who reports (``区政府``)."""
    if not s.total.total:
        return [f"{s.year}年，{office}未承办建议提案。"]
    guided = (
        f"在{'、'.join(s.overseers)}的指导和监督下，在各承办单位的共同努力下，"
        if s.overseers
        else ""
    )
    out = [f"{guided}{s.year}年{office}共承办了{_kinds_phrase(s)}，由{s.units}个承办单位办理。"]
    when = f"截至{format_date(s.as_of)}，" if s.as_of else ""
    r = s.total.replied
    if r.numerator == r.denominator:
        out.append(f"{when}已全部办复，办复率100%。")
    else:
        out.append(f"{when}已办复{r.numerator}件，办复率{r.format(decimals)}。")
    t = s.total
    if not t.asked:
        return out
    parts = [f"{label}的{n}件" for label, n in zip(s.labels[:3], t.tiers[:3], strict=True) if n]
    said = f"对办理结果表示{'、'.join(parts)}" if parts else ""
    undeclared = f"未表态的{t.tiers[3]}件" if t.tiers[3] else ""
    opinion = "，".join(p for p in (said, undeclared) if p)
    rates = dict(s.kind_satisfaction)
    if len(rates) == 2 and all(v.numerator == v.denominator for v in rates.values()):
        tail = "代表建议和委员提案办理满意率均达到100%"
    elif len(rates) == 2:
        (k1, r1), (k2, r2) = rates.items()
        tail = (
            f"{_KIND_NOUN[k1]}办理满意率为{r1.format(decimals)}，"
            f"{_KIND_NOUN[k2]}为{r2.format(decimals)}"
        )
    else:
        tail = f"办理满意率为{t.satisfaction.format(decimals)}"
    out.append(f"征询意见的{t.asked}件中，{_who(s)}{opinion}，{tail}。")
    return out


def basis_note(s: UnitsSummary) -> str:
    """How the tables count (printed under them)."""
    base = (
        "已表态件数（未表态件不计入）"
        if s.denominator == "returned"
        else "征询意见件数（未表态件计入分母）"
    )
    return (
        "说明：承办件数含主办、协办、分办件，办复率＝已办复（协办件为已送协办意见）件数÷承办件数；"
        "合计中同一件由几个单位承办的只计一次，各单位均已办复的计为已办复。"
        "满意度按主办、分办件征询意见表中对办理结果的评价逐件统计，一件有多份意见表的，"
        f"均为{s.labels[0]}计为{s.labels[0]}；满意率＝（{s.labels[0]}＋{s.labels[1]}）件数÷{base}。"
    )


# --------------------------------------------------------------------------------------------
# Input: a folder of year files or ledgers (one per unit), or one file for many units
# --------------------------------------------------------------------------------------------
#: The finding of a row whose 承办单位 is blank in a ledger that names the unit of each row.
NO_UNIT = "L105"


def _split_by_unit(
    records: Sequence[CaseRecord], default: str
) -> list[tuple[str, tuple[CaseRecord, ...]]]:
    """The records grouped by ``case.unit`` (order of first appearance; blank → ``default``)."""
    groups: dict[str, list[CaseRecord]] = {}
    for rec in records:
        groups.setdefault(rec.case.unit or default, []).append(rec)
    return [(name, tuple(recs)) for name, recs in groups.items()]


def _ledger_units(
    path: Path, organisation: Organisation, year: int | None
) -> tuple[list[UnitYear], list[Finding]]:
    """The units of a ledger: one per 承办单位 when it has that column, else the file's one.

    The same case may be a row of each unit holding it (主办 of one, 协办 of another): 案号 are
    unique per unit, not per ledger.
    """
    from gongwen.errors import LedgerError
    from gongwen.ledger import open_ledger
    from gongwen.ledger.build import DUPLICATE
    from gongwen.ledger.read import read_problems

    try:
        reader = open_ledger(path, organisation=organisation)
        builder = reader.builder
        problems = list(reader.header_problems)
        read: list[tuple[int, CaseRecord]] = []
        for number, values in reader.raw_rows():
            unread = read_problems(builder, number, values)
            if unread:
                problems += unread
                continue
            record, found = builder.make(number, values)
            problems += found
            if record is not None:
                read.append((number, record))
    except LedgerError as exc:
        raise InputError(str(exc)) from None
    # a 承办单位 column left blank throughout (a one-unit ledger from `gongwen init`) is unused
    per_unit = any(rec.case.unit for _, rec in read)
    seen: dict[str | None, DuplicateCases] = {}
    records: list[CaseRecord] = []
    row_word = "行" if builder.sheet else "条"
    for number, record in read:
        unit = record.case.unit
        if per_unit and unit is None:
            header = builder.headers[builder.index["unit"]]
            problems.append(
                builder.problem(
                    number,
                    "unit",
                    f"不能为空：台账的“{header}”列写有单位时，每一行都须写明承办单位"
                    f"（{record.case.label}未计入汇总）",
                    NO_UNIT,
                )
            )
            continue
        key = case_key(record)
        first = seen.setdefault(unit, DuplicateCases()).claim(key, number)
        if first is not None:
            whose = f"，同一承办单位“{unit}”" if unit else ""
            problems.append(
                builder.problem(
                    number,
                    "number",
                    f"案号重复：与第{first}{row_word}同为{describe_key(key)}{whose}",
                    DUPLICATE,
                )
            )
            continue
        records.append(record)
    problems.sort(key=lambda f: f.row or 0)  # in row order, as the ledger reads
    if year is None:
        years = Counter(r.case.assigned_date.year for r in records)
        if not years:
            raise InputError(f"{path} 中没有可读取的案件，请用 --year 指明年度")
        year = years.most_common(1)[0][0]
    units = [
        UnitYear(name, HandlingYear(year=year, cases=recs))
        for name, recs in _split_by_unit(records, path.stem)
    ]
    return units, problems


def _year_units(path: Path) -> list[UnitYear]:
    from gongwen.ledger.files import load_year

    hy = load_year(path)
    own = hy.organisation.name if hy.organisation is not None else path.stem
    if not any(r.case.unit for r in hy.cases):
        return [UnitYear(own, hy)]
    if hy.organisation is None:
        missing = [f"第{i}件" for i, r in enumerate(hy.cases, start=1) if r.case.unit is None]
        if missing:
            raise InputError(
                f"{path}：{'、'.join(missing[:10])}没有填写承办单位（case.unit），"
                "文件中也没有单位信息（organisation）：请为每件写明承办单位",
                path=path,
            )
    return [
        UnitYear(name, HandlingYear(year=hy.year, cases=recs))
        for name, recs in _split_by_unit(hy.cases, own)
    ]


def load_unit_years(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    organisation: Organisation,
    *,
    year: int | None = None,
) -> tuple[list[UnitYear], list[Finding]]:
    """The units of ``source``: a folder (its files read in name order), one file, or a list of
    files. A file is a year file (YAML/JSON) or a ledger (xlsx/csv). A ledger with a 承办单位
    column, or a year file whose cases give ``case.unit``, holds many units: one
    :class:`UnitYear` per unit, in order of first appearance (a year file's cases without a unit
    are its ``organisation``'s; a ledger row without one is reported with its row and header,
    and left out). Otherwise the file is one unit, named by its ``organisation`` or else the file
    name (``区教育局.xlsx`` → 区教育局). ``year`` sets a ledger's year (default: the most common
    year of its 交办日期). Returns the units and what reading the ledgers found; raises
    :class:`InputError` when a file cannot be read.
    """
    if isinstance(source, (str, os.PathLike)):
        where = Path(source)
        if where.is_dir():
            paths = sorted(
                p
                for p in where.iterdir()
                if p.is_file()
                and p.suffix.lower() in UNIT_FILE_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
            if not paths:
                raise InputError(
                    f"{source} 中没有年度文件或台账（{'、'.join(UNIT_FILE_SUFFIXES)}）"
                )
        elif where.is_file():
            if where.suffix.lower() not in UNIT_FILE_SUFFIXES:
                raise InputError(
                    f"不是年度文件或台账：{source}（应为{'、'.join(UNIT_FILE_SUFFIXES)}）"
                )
            paths = [where]
        else:
            raise InputError(f"文件或文件夹不存在：{source}")
    else:
        paths = [Path(p) for p in source]
    units: list[UnitYear] = []
    findings: list[Finding] = []
    for path in paths:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
            found, problems = _ledger_units(path, organisation, year)
            units.extend(found)
            findings.extend(f for f in problems if f.severity is not Severity.INFO)
            continue
        units.extend(_year_units(path))
    return units, findings
