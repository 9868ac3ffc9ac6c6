"""届次: the congress/CPPCC session a case was submitted to."""

from __future__ import annotations

from pydantic import Field, model_validator

from gongwen.models._base import GwModel, fail
from gongwen.models.enums import Body, Level, Period
from gongwen.text.numerals import cn_number


class Session(GwModel):
    """A session such as 区十六届人大三次会议 or 区政协三届一次会议."""

    body: Body = Field(title="机构")
    level: Level = Field(title="层级")
    term: int = Field(ge=1, le=99, title="届")
    meeting: int | None = Field(default=None, ge=1, le=20, title="次会议")
    period: Period = Field(default=Period.MEETING, title="会间或闭会期间")
    region: str | None = Field(
        default=None, min_length=1, title="地区名称", description="如“海曙区”，用于正式全称"
    )

    @model_validator(mode="after")
    def _meeting_needed(self) -> Session:
        if self.period is Period.MEETING and self.meeting is None:
            raise fail("会间提出的建议提案须注明第几次会议（meeting）")
        return self

    @property
    def _term(self) -> str:
        return f"{cn_number(self.term)}届"

    @property
    def _meeting(self) -> str:
        return f"{cn_number(self.meeting)}次会议" if self.meeting else ""

    @property
    def display(self) -> str:
        """Usual form: ``市十六届人大三次会议`` / ``区政协三届一次会议``."""
        tail = "闭会期间" if self.period is Period.RECESS else self._meeting
        if self.level is Level.NATIONAL:
            if self.body is Body.NPC:
                return f"{self._term}全国人大{tail}"
            return f"全国政协{self._term}{tail}"
        if self.body is Body.NPC:
            return f"{self.level}{self._term}人大{tail}"
        return f"{self.level}政协{self._term}{tail}"

    @property
    def short(self) -> str:
        """Without the body: ``区三届一次会议``."""
        tail = "闭会期间" if self.period is Period.RECESS else self._meeting
        return f"{self.level}{self._term}{tail}"

    @property
    def formal(self) -> str:
        """Full form: ``政协海曙区第三届委员会第一次会议``,
        ``海曙区第十六届人民代表大会第三次会议``.

        Uses :attr:`region` when given.
        """
        region = self.region or self.level.value
        tail = "闭会期间" if self.period is Period.RECESS else f"第{self._meeting}"
        if self.body is Body.CPPCC:
            return f"政协{region}第{self._term}委员会{tail}"
        return f"{region}第{self._term}人民代表大会{tail}"

    def __str__(self) -> str:
        return self.display
