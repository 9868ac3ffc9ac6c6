"""Small helpers shared by the case, reply and feedback rule modules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gongwen.checks.context import CaseContext
from gongwen.models.case import Case
from gongwen.models.enums import HandlingRole, Round
from gongwen.models.reply import Reply
from gongwen.models.wording import is_opinion
from gongwen.text.body import Block, parse_body, render_body


@dataclass(frozen=True)
class Letter:
    """A reply letter of the record with its field path prefix (``reply`` or ``rehandling``)."""

    path: str
    reply: Reply
    blocks: list[Block]

    @property
    def again(self) -> bool:
        """True for a later reply: re-handling (the ``rehandling`` slot, or marked 重新办理) or a
        follow-up (``follow_ups``, 跟踪答复)."""
        return self.path != "reply" or self.reply.round is not Round.FIRST

    @property
    def name(self) -> str:
        """``答复``, ``重新办理答复`` or ``跟踪答复`` for messages."""
        if self.reply.round is Round.TRACKING:
            return "跟踪答复"
        return "重新办理答复" if self.again else "答复"


def letters(ctx: CaseContext) -> Iterator[Letter]:
    """The record's reply, re-handling reply and follow-up replies (``follow_ups[0].reply``),
    when present."""
    rec = ctx.record
    if rec.reply is not None:
        yield Letter("reply", rec.reply, ctx.blocks)
    if rec.rehandling is not None:
        yield Letter("rehandling", rec.rehandling, parse_body(rec.rehandling.body))
    for i, fu in enumerate(rec.follow_ups):
        yield Letter(f"follow_ups[{i}].reply", fu.reply, parse_body(fu.reply.body))


def answers_proposer(case: Case) -> bool:
    """True when this unit answers the proposer itself (主办 or 分办), not a co-handler."""
    return case.role in (HandlingRole.LEAD, HandlingRole.SEPARATE)


def block_text(block: Block) -> str:
    """The paragraph as it will be printed (canonical heading number + text)."""
    return render_body([block])


def paragraphs(letter: Letter) -> Iterator[tuple[int, str]]:
    """``(paragraph number from 1, printed text)`` of the letter's body."""
    for i, b in enumerate(letter.blocks, start=1):
        yield i, block_text(b)


def opening(letter: Letter) -> str:
    """The first paragraph of the body ("" when the body has none)."""
    return block_text(letter.blocks[0]) if letter.blocks else ""


def opinion(ctx: CaseContext) -> bool:
    """True when this unit co-handles the case (the letter is an opinion to the lead unit)."""
    return is_opinion(ctx.record.case)
