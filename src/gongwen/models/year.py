"""A year's handling: every case with its reply and feedback."""

from __future__ import annotations

from pydantic import Field, model_validator

from gongwen.models._base import GwModel, fail
from gongwen.models.case import Case
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply


class CaseRecord(GwModel):
    """One case file (一件一档): the case, its reply, the feedback, any re-handling reply."""

    case: Case = Field(title="案件")
    reply: Reply | None = Field(default=None, title="答复")
    feedback: tuple[Feedback, ...] = Field(default=(), title="征询意见")
    rehandling: Reply | None = Field(default=None, title="重新办理答复")


CaseKey = tuple[str, str, int]


def case_key(record: CaseRecord) -> CaseKey:
    """What makes a case unique in a year or a ledger: 类型, 届次 and 案号."""
    c = record.case
    return (c.kind.value, c.session.display, c.number)


def describe_key(key: CaseKey) -> str:
    """A case key in words: ``区政协十二届三次会议第8号提案``."""
    kind, session, number = key
    return f"{session}第{number}号{kind}"


class DuplicateCases:
    """The duplicate-案号 rule: each case key once; a later case with the same key is a duplicate.

    ``claim(key, where)`` remembers where a key first appeared (a row, a position) and returns
    that first place when ``key`` was seen before, else None.
    """

    def __init__(self) -> None:
        self._first: dict[CaseKey, int] = {}

    def claim(self, key: CaseKey, where: int) -> int | None:
        """None when ``key`` is new (now remembered at ``where``), else where it first was."""
        first = self._first.setdefault(key, where)
        return None if first == where else first


class HandlingYear(GwModel):
    """All cases an organisation handled in one year."""

    year: int = Field(ge=1990, le=2099, title="年度")
    organisation: Organisation | None = Field(default=None, title="承办单位")
    cases: tuple[CaseRecord, ...] = Field(default=(), title="案件")

    @model_validator(mode="after")
    def _unique_numbers(self) -> HandlingYear:
        seen = DuplicateCases()
        for i, rec in enumerate(self.cases, start=1):
            key = case_key(rec)
            first = seen.claim(key, i)
            if first is not None:
                raise fail(f"案号重复：第{i}件与第{first}件都是{describe_key(key)}")
        return self
