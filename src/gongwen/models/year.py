"""A year's handling: every case with its reply and feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import Field, model_validator

from gongwen.models._base import GwModel, fail
from gongwen.models.case import Case
from gongwen.models.enums import Round
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply

#: The kinds a follow-up reply may be (everything but the first reply).
FOLLOW_UP_KINDS = (Round.TRACKING, Round.AGAIN)


class FollowUp(GwModel):
    """A later reply to the same case with its own feedback round: a 跟踪答复 (e.g. a class B
    case 正在解决 reports progress or its solution) or a 重新办理 reply after 不满意.

    The reply's ``round`` and each form's ``round`` are this follow-up's ``kind`` (filled in when
    left out; another value is refused).
    """

    kind: Round = Field(title="后续答复类型", description="跟踪答复 或 重新办理")
    reply: Reply = Field(title="答复", description="日期、类别、正文、沟通记录等同首次答复")
    feedback: tuple[Feedback, ...] = Field(default=(), title="本轮征询意见")

    @model_validator(mode="before")
    @classmethod
    def _rounds(cls, data: object) -> object:
        if not isinstance(data, dict) or "kind" not in data:
            return data
        try:
            kind = Round(data["kind"])
        except ValueError:
            return data  # reported as an enum error
        if kind is Round.FIRST:
            raise fail(
                f"后续答复类型应为{'或'.join(k.value for k in FOLLOW_UP_KINDS)}，而不是“初次办理”"
            )
        out = dict(data)
        if isinstance(out.get("reply"), dict):
            out["reply"] = _with_round(out["reply"], kind, "答复")
        if isinstance(out.get("feedback"), (list, tuple)):
            out["feedback"] = [
                _with_round(f, kind, f"第{i}张征询意见表") if isinstance(f, dict) else f
                for i, f in enumerate(out["feedback"], start=1)
            ]
        return out

    @model_validator(mode="after")
    def _same_round(self) -> FollowUp:
        if self.reply.round is not self.kind:
            raise fail(
                f"答复的办理轮次“{self.reply.round.value}”与后续答复类型“{self.kind.value}”不符"
            )
        for i, f in enumerate(self.feedback, start=1):
            if f.round is not self.kind:
                raise fail(
                    f"第{i}张征询意见表的办理轮次“{f.round.value}”与后续答复类型“{self.kind.value}”不符"
                )
        return self


def _with_round(data: dict[str, object], kind: Round, what: str) -> dict[str, object]:
    given = data.get("round")
    if given is None or given == Round.FIRST.value:
        return {**data, "round": kind}
    if given != kind.value:
        raise fail(f"{what}的办理轮次“{given}”与后续答复类型“{kind.value}”不符")
    return data


@dataclass(frozen=True)
class HandlingRound:
    """One reply of a case with the feedback on it, and where it sits in the record.

    ``path`` is the reply's field path (``reply``, ``rehandling``, ``follow_ups[0].reply``);
    ``feedback_paths`` the path of each form (``feedback[1]``, ``follow_ups[0].feedback[0]``).
    """

    kind: Round
    path: str
    reply: Reply
    feedback: tuple[Feedback, ...]
    feedback_paths: tuple[str, ...]

    @property
    def name(self) -> str:
        """``答复``, ``重新办理答复`` or ``跟踪答复`` for messages and documents."""
        return {Round.FIRST: "答复", Round.AGAIN: "重新办理答复"}.get(self.kind, self.kind.value)


class CaseRecord(GwModel):
    """One case file (一件一档): the case, its reply and feedback, and any later replies.

    Later replies are ``follow_ups`` (any number of 跟踪答复 and 重新办理, each with its own
    feedback). ``rehandling`` is the older single re-handling slot, kept so existing files load
    unchanged: its forms are the ``feedback`` marked 重新办理. :attr:`rounds` sees them all.
    """

    case: Case = Field(title="案件")
    reply: Reply | None = Field(default=None, title="答复")
    feedback: tuple[Feedback, ...] = Field(
        default=(),
        title="征询意见",
        description="首次答复的意见表；标为“重新办理”的属于 rehandling",
    )
    rehandling: Reply | None = Field(
        default=None,
        title="重新办理答复",
        description="一次重新办理的简写（旧写法）；多次重新办理或跟踪答复用 follow_ups",
    )
    follow_ups: tuple[FollowUp, ...] = Field(
        default=(), max_length=20, title="后续答复", description="跟踪答复、重新办理，按日期先后"
    )

    @model_validator(mode="after")
    def _follow_ups_need_reply(self) -> CaseRecord:
        if self.reply is None and (self.follow_ups or self.rehandling is not None):
            raise fail("有后续答复（follow_ups、rehandling）时须先录入首次答复（reply）")
        if any(f.round is Round.TRACKING for f in self.feedback):
            raise fail("“跟踪答复”轮次的征询意见表应录在对应的后续答复（follow_ups）中")
        return self

    @property
    def rounds(self) -> tuple[HandlingRound, ...]:
        """Every reply with its feedback: the first reply, then the later ones by date (the
        ``rehandling`` slot and ``follow_ups`` together; equal dates keep the written order)."""
        if self.reply is None:
            return ()
        first = [(i, f) for i, f in enumerate(self.feedback) if f.round is not Round.AGAIN]
        out = [
            HandlingRound(
                Round.FIRST,
                "reply",
                self.reply,
                tuple(f for _, f in first),
                tuple(f"feedback[{i}]" for i, _ in first),
            )
        ]
        later: list[HandlingRound] = []
        if self.rehandling is not None:
            again = [(i, f) for i, f in enumerate(self.feedback) if f.round is Round.AGAIN]
            later.append(
                HandlingRound(
                    Round.AGAIN,
                    "rehandling",
                    self.rehandling,
                    tuple(f for _, f in again),
                    tuple(f"feedback[{i}]" for i, _ in again),
                )
            )
        for n, fu in enumerate(self.follow_ups):
            later.append(
                HandlingRound(
                    fu.kind,
                    f"follow_ups[{n}].reply",
                    fu.reply,
                    fu.feedback,
                    tuple(f"follow_ups[{n}].feedback[{i}]" for i in range(len(fu.feedback))),
                )
            )
        later.sort(key=lambda r: r.reply.date)
        return (out[0], *later)

    @property
    def final_reply(self) -> Reply | None:
        """The latest reply (its class is the case's result), or None before the first."""
        rounds = self.rounds
        return rounds[-1].reply if rounds else None

    @property
    def rehandled(self) -> bool:
        """True when the case was handled again (重新办理) at least once."""
        return any(r.kind is Round.AGAIN for r in self.rounds)

    def round_of(self, reply: Reply) -> HandlingRound | None:
        """The round whose reply is ``reply`` (the same object), or None."""
        return next((r for r in self.rounds if r.reply is reply), None)

    def replied_after(self, when: date) -> bool:
        """True when a later reply (re-handling or follow-up) is dated on or after ``when``."""
        return any(r.reply.date >= when for r in self.rounds[1:])


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
        seen: dict[str | None, DuplicateCases] = {}  # per 承办单位 (case.unit)
        for i, rec in enumerate(self.cases, start=1):
            key = case_key(rec)
            first = seen.setdefault(rec.case.unit, DuplicateCases()).claim(key, i)
            if first is not None:
                whose = f"（承办单位“{rec.case.unit}”）" if rec.case.unit else ""
                raise fail(f"案号重复：第{i}件与第{first}件都是{describe_key(key)}{whose}")
        return self
