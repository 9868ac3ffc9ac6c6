"""What rules look at: one case file with its organisation, or a year with its report text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from gongwen.models.config import Config
from gongwen.models.organisation import Organisation
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.text.body import Block, parse_body


@dataclass(frozen=True)
class CaseContext:
    """Context for case, reply and feedback rules."""

    record: CaseRecord
    org: Organisation
    today: date = field(default_factory=date.today)

    @property
    def config(self) -> Config:
        """The jurisdiction rules in force."""
        return self.org.config

    @cached_property
    def blocks(self) -> list[Block]:
        """The reply body parsed into blocks (empty without a reply)."""
        return parse_body(self.record.reply.body) if self.record.reply else []


@dataclass(frozen=True)
class YearContext:
    """Context for year-report rules: the year, and the report's narrative/generated text."""

    year: HandlingYear
    org: Organisation
    narrative: str = ""
    today: date = field(default_factory=date.today)
    as_of: date | None = None  # the report's date: statistics count the cases due by then

    @property
    def config(self) -> Config:
        """The jurisdiction rules in force."""
        return self.org.config
