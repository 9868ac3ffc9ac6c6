"""Which year a set of cases belongs to: from the data, never from the clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from gongwen.errors import LedgerError
from gongwen.models.year import CaseRecord

__all__ = ["handling_year"]


def handling_year(records: Iterable[CaseRecord]) -> int:
    """The year of these cases: the most common year of their 交办日期 (of the latest on a tie).

    A case's 交办日期 places it in the year it was handled (the session of that year assigns
    it). Raises :class:`LedgerError` when there is no case to tell the year from.
    """
    years = Counter(r.case.assigned_date.year for r in records)
    if not years:
        raise LedgerError("无法判断年度：没有可用的案件（请检查台账，或指定年度）")
    return max(years, key=lambda y: (years[y], y))
