"""The issuing organisation (承办单位)."""

from __future__ import annotations

from pydantic import Field, field_validator

from gongwen import standard as gb
from gongwen.models._base import GwModel, fail
from gongwen.models.config import Config


class Numbering(GwModel):
    """How a batch numbers the replies a ledger leaves unnumbered (``发文字号`` empty).

    Each series (the reply code, the co-opinion code) is numbered per year, from the next free
    serial after those the ledger already uses, at least ``start`` (``opinion_start``).
    ``format`` writes a number: ``{code}`` ``{year}`` ``{serial}``.
    """

    start: int = Field(default=1, ge=1, title="答复函起始序号")
    opinion_start: int | None = Field(
        default=None, ge=1, title="协办意见起始序号", description="省略时同答复函"
    )
    format: str = Field(default="{code}〔{year}〕{serial}号", title="发文字号格式")

    @field_validator("format")
    @classmethod
    def _placeholders(cls, v: str) -> str:
        for key in ("{code}", "{year}", "{serial}"):
            if key not in v:
                raise fail(f"发文字号格式须包含{key}，而不是“{v}”")
        return v

    def text(self, code: str, year: int, serial: int) -> str:
        """The number written in this format."""
        return self.format.format(code=code, year=year, serial=serial)


class Organisation(GwModel):
    """The unit that replies: names, number series, contacts and its jurisdiction's rules."""

    name: str = Field(min_length=2, title="单位全称", description="如“宁波市海曙区经济发展局”")
    letterhead: str | None = Field(
        default=None, title="发文机关标志", description="版头红色标志文字，省略时用单位全称"
    )
    letterhead_lines: tuple[str, ...] = Field(
        default=(),
        max_length=2,
        title="两行发文机关标志",
        description="名称过长、排一行字太小时分两行排的标志文字，如"
        "[东江市临湖区人力资源, 和社会保障局]；设置后代替 letterhead",
    )
    joint_letterheads: tuple[str, ...] = Field(
        default=(),
        max_length=4,
        title="联合行文机关标志",
        description="联合行文时其他发文机关的标志文字，按排列顺序；本单位为主办机关排在最前，"
        "各机关名称上下排列，文件格式的“文件”二字居其右侧上下居中（GB/T 9704 §7.2.4）",
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
    numbering: Numbering = Field(
        default_factory=Numbering, title="自动编号", description="台账未填发文字号时的编号规则"
    )

    @field_validator("letterhead_lines", "joint_letterheads")
    @classmethod
    def _rows(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        rows = tuple(r.strip() for r in v)
        if any(not r for r in rows):
            raise fail("发文机关标志的每一行都应有文字")
        return rows

    @field_validator("letterhead_lines")
    @classmethod
    def _two_lines(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(v) == 1:
            raise fail("两行发文机关标志应写两行；排一行时写在 letterhead 中")
        return v

    def series_code(self, opinion: bool) -> str:
        """The code of the series a reply (or, ``opinion``, a co-handler's opinion) takes."""
        return (self.opinion_code or self.reply_code) if opinion else self.reply_code

    @property
    def mark(self) -> str:
        """The red organ mark text (this organ's, on one line)."""
        return self.letterhead or "".join(self.letterhead_lines) or self.name

    @property
    def mark_rows(self) -> tuple[str, ...]:
        """The organ mark's lines, top to bottom: this organ's mark (one line, or the two of
        ``letterhead_lines``), then each co-issuing organ's (联合行文, 主办机关 first)."""
        own = self.letterhead_lines or (self.letterhead or self.name,)
        return (*own, *self.joint_letterheads)

    @property
    def issuing_office(self) -> str:
        """印发机关."""
        return self.issuer or f"{self.name}办公室"


def rows_fit(rows: tuple[str, ...], *, file_format: bool) -> gb.LineFit | None:
    """One size and character scale for every line of the organ mark, so that the longest
    line fits the letter's 170 mm rules or, with "文件" at its right, the 156 mm text width
    (``gongwen.standard.fit_line``); None when it cannot fit even at the smallest size/scale."""
    longest = max(rows, key=gb.text_ems)
    if file_format:
        return gb.file_mark_fit(longest)
    return gb.letter_mark_fit(longest)
