"""提案人/代表: a person or a collective proposer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gongwen.models._base import GwModel
from gongwen.models.enums import ProposerRole


class Proposer(GwModel):
    """A person (代表/委员) or a collective (党派、团体、界别) that proposed a case."""

    name: str = Field(min_length=1, max_length=60, title="姓名或名称")
    type: Literal["person", "collective"] = Field(
        default="person", title="类型", description="person 个人；collective 集体（党派、界别等）"
    )
    role: ProposerRole | None = Field(
        default=None, title="身份", description="代表或委员；省略时按案件类型推定"
    )
    contact_person: str | None = Field(default=None, title="联系人")
    phone: str | None = Field(default=None, title="联系电话")
    address: str | None = Field(default=None, title="通讯地址")

    @property
    def collective(self) -> bool:
        """True for a party, group or sector proposing collectively."""
        return self.type == "collective"

    def salutation_name(self, default_role: ProposerRole) -> str:
        """``张三委员`` for a person, the name itself for a collective."""
        if self.collective:
            return self.name
        return f"{self.name}{(self.role or default_role).value}"
