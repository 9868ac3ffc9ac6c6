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


class HandlingYear(GwModel):
    """All cases an organisation handled in one year."""

    year: int = Field(ge=1990, le=2099, title="年度")
    organisation: Organisation | None = Field(default=None, title="承办单位")
    cases: tuple[CaseRecord, ...] = Field(default=(), title="案件")

    @model_validator(mode="after")
    def _unique_numbers(self) -> HandlingYear:
        seen: dict[tuple[str, str, int], int] = {}
        for i, rec in enumerate(self.cases):
            key = (rec.case.kind.value, rec.case.session.display, rec.case.number)
            if key in seen:
                raise fail(
                    f"案号重复：第{i + 1}件与第{seen[key] + 1}件都是"
                    f"{rec.case.session.display}第{rec.case.number}号{rec.case.kind.value}"
                )
            seen[key] = i
        return self
