"""提案人/代表: a person or a collective proposer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from gongwen.models._base import GwModel
from gongwen.models.enums import ProposerRole, Signing


class Proposer(GwModel):
    """A person (代表/委员) or a collective (党派、团体、界别) that proposed a case."""

    name: str = Field(min_length=1, max_length=60, title="姓名或名称")
    type: Literal["person", "collective"] = Field(
        default="person", title="类型", description="person 个人；collective 集体（党派、界别等）"
    )
    role: ProposerRole | None = Field(
        default=None, title="身份", description="代表或委员；省略时按案件类型推定"
    )
    signing: Signing | None = Field(
        default=None,
        title="领衔或附议",
        description="领衔 或 附议；省略时第一位为领衔，其余为附议（联名）",
    )
    contact_person: str | None = Field(default=None, title="联系人")
    phone: str | None = Field(default=None, title="联系电话")
    address: str | None = Field(default=None, title="通讯地址")
    unnamed_cosigners: int = Field(
        default=0,
        ge=0,
        le=999,
        title="未列名的联名人数",
        description="台账写作“张建国等3人”时，跟在此人之后、未列出姓名的联名人数"
        "（称谓写作“张建国等3位代表”）",
    )

    @property
    def collective(self) -> bool:
        """True for a party, group or sector proposing collectively."""
        return self.type == "collective"

    def salutation_name(self, default_role: ProposerRole) -> str:
        """``张三委员`` for a person, the name itself for a collective; ``张建国等3位代表`` for a
        person followed by co-signers not named."""
        if self.collective:
            return self.name
        role = (self.role or default_role).value
        if self.unnamed_cosigners:
            return f"{self.name}等{self.unnamed_cosigners + 1}位{role}"
        return f"{self.name}{role}"
