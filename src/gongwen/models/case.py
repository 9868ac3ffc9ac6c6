"""A suggestion (建议) or proposal (提案) and its assignment to units."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from gongwen.models._base import Day, GwModel, fail
from gongwen.models.config import DEFAULT_CONFIG, Config
from gongwen.models.enums import CaseKind, HandlingRole, ProposerRole
from gongwen.models.proposer import Proposer
from gongwen.models.session import Session
from gongwen.text.dates import add_months


class Case(GwModel):
    """One suggestion or proposal as assigned (交办) to this unit."""

    kind: CaseKind = Field(title="类型")
    number: int = Field(ge=1, le=99999, title="案号")
    title: str = Field(min_length=2, max_length=200, title="案由", description="如“关于……的提案”")
    session: Session = Field(title="届次")
    proposers: tuple[Proposer, ...] = Field(
        min_length=1, title="提案人", description="第一位为领衔代表或第一提案人，其余为附议/联名"
    )
    category: str | None = Field(default=None, title="分类")
    assigned_date: Day = Field(title="交办日期")
    role: HandlingRole = Field(title="本单位办理类型")
    lead_unit: str | None = Field(default=None, title="主办单位")
    co_units: tuple[str, ...] = Field(default=(), title="协办单位")
    key: bool = Field(default=False, title="重点建议提案")
    consent_publish: bool | None = Field(default=None, title="是否同意公开")
    time_limit_months: int | None = Field(
        default=None, ge=1, le=12, title="办理时限（月）", description="省略时按配置"
    )
    extended_to: Day | None = Field(default=None, title="延期至")
    extension_reason: str | None = Field(default=None, title="延期理由")

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.session.body is not self.kind.body:
            raise fail(
                f"{self.kind.value}应属于{self.kind.body.value}会议，"
                f"但届次为“{self.session.display}”"
            )
        if self.role is HandlingRole.ASSIST and not self.lead_unit:
            raise fail("本单位为协办单位时须填写主办单位（lead_unit）")
        if self.extended_to is not None and self.extended_to <= self.assigned_date:
            raise fail("延期日期（extended_to）应晚于交办日期")
        return self

    @property
    def label(self) -> str:
        """Short identifier used in file names and tables: ``提案008``."""
        return f"{self.kind.value}{self.number:03d}"

    @property
    def lead(self) -> Proposer:
        """领衔代表 / 第一提案人."""
        return self.proposers[0]

    @property
    def default_role(self) -> ProposerRole:
        """代表 for 建议, 委员 for 提案."""
        return self.kind.role

    @property
    def co_signed(self) -> bool:
        """True when more than one proposer signed (each gets a feedback form)."""
        return len(self.proposers) > 1

    @property
    def joint(self) -> bool:
        """True for a lead + co-handlers case (one joint reply)."""
        return self.role is not HandlingRole.SEPARATE and bool(self.co_units)

    def salutation(self) -> str:
        """``张三委员、李四委员：`` or a collective's name, ending with a full-width colon."""
        return "、".join(p.salutation_name(self.default_role) for p in self.proposers) + "："

    def deadline(self, config: Config = DEFAULT_CONFIG) -> date:
        """The reply deadline from the time limit (not counting an extension)."""
        months = self.time_limit_months or config.time_limit(self.kind)
        return add_months(self.assigned_date, months)

    def effective_deadline(self, config: Config = DEFAULT_CONFIG) -> date:
        """The deadline after any extension."""
        return self.extended_to or self.deadline(config)

    def co_handler_deadline(self, config: Config = DEFAULT_CONFIG) -> date:
        """When a co-handler's written opinion is due to the lead unit."""
        return add_months(self.assigned_date, config.co_handler_limit_months)
