"""答复函 and the records kept with it (contacts, co-handlers' opinions)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator

from gongwen.models._base import Day, GwModel, fail
from gongwen.models.config import ALL_DISCLOSURES
from gongwen.models.docnumber import DocNumber
from gongwen.models.enums import ContactMethod, Round


class ContactRecord(GwModel):
    """A contact with the proposer (面商/沟通) before or during handling."""

    date: Day = Field(title="沟通日期")
    method: ContactMethod = Field(title="沟通方式")
    people: tuple[str, ...] = Field(default=(), title="参加人员")
    note: str | None = Field(default=None, title="情况记录")


class CoOpinion(GwModel):
    """What a co-handling unit said (summarised in the lead reply, 会办意见)."""

    unit: str = Field(min_length=2, title="协办单位")
    summary: str = Field(min_length=2, title="意见摘要")
    date: Day | None = Field(default=None, title="意见日期")


#: File types an attachment's content may come in: a Word document's paragraphs, or plain text
#: (UTF-8 or GBK) with the body convention (blank lines between paragraphs).
ATTACHMENT_SUFFIXES = (".docx", ".txt")


class Attachment(GwModel):
    """An attachment (附件, GB/T 9704 §7.3.4, §7.3.7): its title and the file of its content.

    A relative ``file`` is resolved against the folder of the case, year or ledger file it was
    read from (validation context ``base_dir``, given by the loaders).
    """

    title: str = Field(min_length=1, max_length=100, title="附件名称")
    file: Path = Field(
        title="附件文件",
        description="附件内容：.docx（逐段附入）或 .txt（空行分段）；相对路径相对于案件文件"
        "或台账所在文件夹",
    )

    @field_validator("title")
    @classmethod
    def _one_line(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v:
            raise fail("附件名称不能为空")
        return v

    @field_validator("file")
    @classmethod
    def _resolve(cls, v: Path, info: ValidationInfo) -> Path:
        base = info.context.get("base_dir") if isinstance(info.context, dict) else None
        if base is not None and not v.is_absolute():
            return Path(base) / v
        return v


class Reply(GwModel):
    """A reply letter (or, when this unit co-handles, its opinion letter to the lead unit)."""

    doc_number: DocNumber = Field(title="发文字号")
    result_class: str | None = Field(
        default=None,
        min_length=1,
        max_length=4,
        title="答复类别",
        description="按配置的类别方案，如 A/B/C；协办意见可省略",
    )
    class_reason: str | None = Field(default=None, title="暂不能解决的原因")
    disclosure: str = Field(default="全文公开", title="公开属性")
    disclosure_reason: str | None = Field(default=None, title="不予公开理由")
    signer: str | None = Field(default=None, title="签发人")
    date: Day = Field(title="成文日期")
    title: str | None = Field(default=None, title="标题", description="省略时按案件自动生成")
    salutation: str | None = Field(default=None, title="称谓", description="省略时按提案人生成")
    body: str = Field(
        min_length=1, title="正文", description="空行分段；以“一、”“（一）”等开头的段为标题"
    )
    closing: str | None = Field(default=None, title="结束语")
    contact_person: str | None = Field(default=None, title="联系人")
    contact_phone: str | None = Field(default=None, title="联系电话")
    copy_to: tuple[str, ...] | None = Field(
        default=None, title="抄送", description="省略时用单位默认"
    )
    attachments: tuple[Attachment, ...] = Field(
        default=(),
        max_length=99,
        title="附件",
        description="每项为 {title, file}；正文下列出附件说明，每个附件另起一页附在落款之后",
    )
    co_opinions: tuple[CoOpinion, ...] = Field(default=(), title="协办单位意见")
    contacts: tuple[ContactRecord, ...] = Field(default=(), title="沟通记录")
    round: Round = Field(default=Round.FIRST, title="办理轮次")
    previous: DocNumber | None = Field(default=None, title="前次答复文号")
    uploaded_on: Day | None = Field(
        default=None, title="平台上传日期", description="答复上传到建议提案办理平台的日期"
    )

    @field_validator("disclosure")
    @classmethod
    def _known_disclosure(cls, v: str) -> str:
        if v not in ALL_DISCLOSURES:
            raise fail(f"公开属性应为以下之一：{'、'.join(ALL_DISCLOSURES)}，而不是“{v}”")
        return v

    @field_validator("result_class")
    @classmethod
    def _upper(cls, v: str | None) -> str | None:
        return v.strip().upper() if v is not None else None
