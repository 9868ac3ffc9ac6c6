"""Numbering the replies a ledger leaves without 发文字号 (pure: no files).

Offices number a reply when they sign it, so a ledger often has no 发文字号. Each reply that has
none takes the next free serial of its series (the reply code, or the co-opinion code for a
协办意见), per year, after every number the ledger already uses and at least the configured
start. Numbers given earlier (``previous``, e.g. from a batch's ``numbers.json``) are kept
when still free, so a re-run gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gongwen.models.docnumber import DocNumber
from gongwen.models.organisation import Organisation

__all__ = ["Assignment", "NumberSlot", "assign_numbers", "slot_key"]

#: The two replies a ledger row may carry.
SLOTS = ("reply", "rehandling")


@dataclass(frozen=True)
class NumberSlot:
    """A reply of a ledger row: its series and its serial (None: to be numbered)."""

    row: int
    case: str  # the case in words (区政协十二届三次会议第8号提案): stable across edits
    slot: str  # "reply" or "rehandling"
    code: str
    year: int
    serial: int | None


def slot_key(case: str, slot: str) -> str:
    """The key of a reply in ``numbers.json``: the case in words, ``…/重新办理`` for a re-reply."""
    return case if slot == "reply" else f"{case}/重新办理"


@dataclass(frozen=True)
class Assignment:
    """What was numbered: by row and slot the number text, and in words for the record."""

    by_row: dict[int, dict[str, str]]
    numbers: dict[str, str]  # slot_key → number text

    def __bool__(self) -> bool:
        return bool(self.numbers)


def assign_numbers(
    slots: Iterable[NumberSlot],
    org: Organisation,
    previous: Mapping[str, str] | None = None,
) -> Assignment:
    """Number every slot without a serial, in row order (see the module docstring)."""
    every = list(slots)
    used: dict[tuple[str, int], set[int]] = {}
    for s in every:
        if s.serial is not None:
            used.setdefault((s.code, s.year), set()).add(s.serial)
    numbering = org.numbering
    starts = {org.reply_code: numbering.start}
    if org.opinion_code and org.opinion_code != org.reply_code:
        starts[org.opinion_code] = numbering.opinion_start or numbering.start
    by_row: dict[int, dict[str, str]] = {}
    numbers: dict[str, str] = {}
    pending = [s for s in every if s.serial is None]
    later: list[NumberSlot] = []
    for s in pending:  # keep what an earlier run gave, when still free
        old = (previous or {}).get(slot_key(s.case, s.slot))
        serial = _serial_of(old, s) if old else None
        taken = used.setdefault((s.code, s.year), set())
        if serial is None or serial in taken:
            later.append(s)
            continue
        taken.add(serial)
        _record(by_row, numbers, s, numbering.text(s.code, s.year, serial))
    for s in later:
        taken = used.setdefault((s.code, s.year), set())
        serial = max(starts.get(s.code, numbering.start), max(taken, default=0) + 1)
        taken.add(serial)
        _record(by_row, numbers, s, numbering.text(s.code, s.year, serial))
    return Assignment(by_row, numbers)


def _serial_of(text: str, s: NumberSlot) -> int | None:
    try:
        dn = DocNumber.parse(text)
    except ValueError:
        return None
    if dn.code != s.code or dn.year != s.year:
        return None
    return dn.serial


def _record(
    by_row: dict[int, dict[str, str]], numbers: dict[str, str], s: NumberSlot, text: str
) -> None:
    by_row.setdefault(s.row, {})[s.slot] = text
    numbers[slot_key(s.case, s.slot)] = text
