"""The issuing organisation (承办单位)."""

from __future__ import annotations

from pydantic import Field

from gongwen.models._base import GwModel
from gongwen.models.config import Config


class Organisation(GwModel):
    """The unit that replies: names, number series, contacts and its jurisdiction's rules."""

    name: str = Field(min_length=2, title="单位全称", description="如“宁波市海曙区经济发展局”")
    letterhead: str | None = Field(
        default=None, title="发文机关标志", description="版头红色标志文字，省略时用单位全称"
    )
    self_name: str = Field(default="我单位", title="自称", description="如“我局”")
    reply_code: str = Field(
        min_length=1,
        title="答复函机关代字",
        pattern=r"^[\u4e00-\u9fa5A-Za-z0-9]+$",
        description="如“海经函”，发文字号为 海经函〔2024〕15号",
    )
    opinion_code: str | None = Field(
        default=None,
        title="协办意见机关代字",
        pattern=r"^[\u4e00-\u9fa5A-Za-z0-9]+$",
        description="协办/会办意见单独编号时使用；省略时与答复函同一序列",
    )
    address: str | None = Field(default=None, title="地址")
    postcode: str | None = Field(default=None, pattern=r"^\d{6}$", title="邮编")
    contact_person: str | None = Field(default=None, title="联系人")
    contact_phone: str | None = Field(default=None, title="联系电话")
    copy_to: tuple[str, ...] = Field(default=(), title="默认抄送单位")
    signer: str | None = Field(default=None, title="签发人")
    issuer: str | None = Field(
        default=None,
        title="印发机关",
        description="文件格式版记中的印发机关，省略时为“单位全称+办公室”",
    )
    config: Config = Field(default_factory=Config, title="办理规则配置")

    @property
    def mark(self) -> str:
        """The red organ mark text."""
        return self.letterhead or self.name

    @property
    def issuing_office(self) -> str:
        """印发机关."""
        return self.issuer or f"{self.name}办公室"
