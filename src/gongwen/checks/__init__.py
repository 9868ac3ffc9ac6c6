"""Checks before rendering: one registry of rules, run on cases, replies, feedback, years, docx.

>>> findings = check_record(record, org)          # doctest: +SKIP
>>> raise_for_errors(findings)                     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from gongwen.checks.context import CaseContext, YearContext
from gongwen.checks.core import REGISTRY, Rule, rule, rules_for, run_rules
from gongwen.errors import CheckFailed
from gongwen.findings import Finding, Problem, Severity, Subject, has_errors
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear

#: The subjects :func:`check_record` covers.
RECORD_SUBJECTS = (Subject.CASE, Subject.REPLY, Subject.FEEDBACK)


class RuleInfo(NamedTuple):
    """One row of :func:`rules_table`."""

    code: str
    severity: Severity
    subject: Subject
    title: str


def check_record(
    record: CaseRecord, org: Organisation, *, today: date | None = None
) -> list[Finding]:
    """Run the case, reply and feedback rules on one case file.

    Rules are configured by ``org.config.checks`` (disabled codes, severity overrides); each
    finding's ``case`` is ``record.case.label``. ``today`` defaults to the current date.
    """
    ctx = CaseContext(record, org, today or date.today())
    return run_rules(ctx, RECORD_SUBJECTS, org.config.checks, case=record.case.label)


def check_year_cases(
    year: HandlingYear, org: Organisation | None = None, today: date | None = None
) -> list[Finding]:
    """:func:`check_record` on every case of the year (``org`` defaults to the embedded one)."""
    organisation = org or year.organisation
    if organisation is None:
        raise ValueError("缺少承办单位信息：请提供 organisation")
    out: list[Finding] = []
    for rec in year.cases:
        out.extend(check_record(rec, organisation, today=today))
    return out


def check_year_all(
    year: HandlingYear,
    org: Organisation | None = None,
    narrative: str = "",
    today: date | None = None,
    *,
    as_of: date | None = None,
) -> list[Finding]:
    """Every rule a year is held to: the case rules on each case (:func:`check_year_cases`) and
    the year rules (:func:`~gongwen.checks.rules.year.check_year`) with the report's narrative.

    ``as_of`` is the report's date (statistics count the cases due by then). The CLI's
    ``check``, ``batch`` and ``report`` and :func:`gongwen.api.render_annual_report` all run this.
    """
    from gongwen.checks.rules.year import check_year

    organisation = org or year.organisation
    if organisation is None:
        raise ValueError("缺少承办单位信息：请提供 organisation")
    findings = check_year_cases(year, organisation, today)
    return findings + check_year(year, organisation, narrative, today, as_of=as_of)


def rules_table(subjects: Iterable[Subject] | None = None) -> list[RuleInfo]:
    """Every registered rule (or those of ``subjects``) as (code, severity, subject, title)."""
    chosen = tuple(subjects) if subjects is not None else tuple(Subject)
    return [RuleInfo(r.code, r.severity, r.subject, r.title) for r in rules_for(*chosen)]


def raise_for_errors(findings: list[Finding]) -> None:
    """Raise :class:`CheckFailed` (carrying every finding) when any finding is an error."""
    if has_errors(findings):
        raise CheckFailed(findings)


__all__ = [
    "RECORD_SUBJECTS",
    "REGISTRY",
    "CaseContext",
    "CheckFailed",
    "Finding",
    "Problem",
    "Rule",
    "RuleInfo",
    "Severity",
    "Subject",
    "YearContext",
    "check_record",
    "check_year_all",
    "check_year_cases",
    "has_errors",
    "raise_for_errors",
    "rule",
    "rules_for",
    "rules_table",
]
