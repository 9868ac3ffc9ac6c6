"""The rule engine: rules, the registry and running them (findings: :mod:`gongwen.findings`).

Each rule is one small object with a stable code (``GW101``), a severity, the subject it looks
at, a Chinese title, and a function that yields :class:`Problem`s. Rules register once, at import
of their module; configuration may disable a rule or change its severity. The renderer and the
CLI run the very same registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from gongwen.findings import Finding, Problem, Severity, Subject
from gongwen.models.config import CheckConfig

C = TypeVar("C")


@dataclass(frozen=True)
class Rule(Generic[C]):
    """One check. ``check`` receives the subject's context object and yields problems."""

    code: str
    severity: Severity
    subject: Subject
    title: str
    check: Callable[[C], Iterable[Problem]] = field(repr=False)

    def run(self, ctx: C, severity: Severity | None = None) -> Iterator[Finding]:
        """Run the rule and wrap its problems as findings."""
        for p in self.check(ctx):
            yield Finding(
                code=self.code,
                severity=severity or p.severity or self.severity,
                subject=self.subject,
                path=p.path,
                message=p.message,
                fix=p.fix,
            )


_CODE = re.compile(r"^(GW|D)\d{1,3}$")
REGISTRY: dict[str, Rule[Any]] = {}


def rule(
    code: str, severity: Severity | str, subject: Subject | str, title: str
) -> Callable[[Callable[[C], Iterable[Problem]]], Rule[C]]:
    """Register a rule function under a stable code (decorator)."""

    def deco(fn: Callable[[C], Iterable[Problem]]) -> Rule[C]:
        if not _CODE.match(code):
            raise ValueError(f"bad rule code {code!r}")
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        r: Rule[C] = Rule(code, Severity(severity), Subject(subject), title, fn)
        REGISTRY[code] = r
        return r

    return deco


_ORDERED: dict[tuple[int, tuple[Subject, ...]], list[Rule[Any]]] = {}


def rules_for(*subjects: Subject) -> list[Rule[Any]]:
    """Registered rules for the given subjects, in code order (sorted once per registry state)."""
    _load_rule_modules()
    key = (len(REGISTRY), subjects)
    hit = _ORDERED.get(key)
    if hit is None:
        hit = sorted(
            (r for r in REGISTRY.values() if r.subject in subjects),
            key=lambda r: (r.code.rstrip("0123456789"), int(re.sub(r"\D", "", r.code))),
        )
        _ORDERED[key] = hit
    return list(hit)


def run_rules(
    ctx: object,
    subjects: Iterable[Subject],
    config: CheckConfig | None = None,
    *,
    case: str | None = None,
) -> list[Finding]:
    """Run every enabled rule for ``subjects`` on ``ctx``, applying severity overrides."""
    cfg = config or CheckConfig()
    overrides: Mapping[str, str] = cfg.severity
    out: list[Finding] = []
    for r in rules_for(*subjects):
        if r.code in cfg.disabled:
            continue
        sev = Severity(overrides[r.code]) if r.code in overrides else None
        out.extend(replace(f, case=case) if case else f for f in r.run(ctx, sev))
    return out


def _load_rule_modules() -> None:
    # Importing the modules registers their rules (once).
    from gongwen.checks import rules  # noqa: F401
