"""征询意见表 results: what a proposer said about the handling."""

from __future__ import annotations

from pydantic import Field

from gongwen.models._base import Day, GwModel
from gongwen.models.enums import ContactMethod, Pertinence, Rating, Round


class Feedback(GwModel):
    """One returned feedback form. Attitude and result are rated separately."""

    proposer: str = Field(min_length=1, title="填表人", description="提案人/代表姓名或集体名称")
    contact_method: ContactMethod | None = Field(default=None, title="答复前沟通方式")
    attitude: Rating | None = Field(default=None, title="办理态度评价")
    result: Rating | None = Field(default=None, title="办理结果评价")
    pertinence: Pertinence | None = Field(default=None, title="答复是否针对")
    opinion: str | None = Field(default=None, title="意见和建议")
    date: Day | None = Field(default=None, title="填表日期")
    round: Round = Field(default=Round.FIRST, title="办理轮次")
