"""A suggestion (建议) or proposal (提案) and its assignment to units."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from gongwen.models._base import Day, GwModel, fail
from gongwen.models.config import DEFAULT_CONFIG, Config
from gongwen.models.docnumber import DocNumber
from gongwen.models.enums import AssistKind, CaseKind, HandlingRole, ProposerRole, Signing
from gongwen.models.proposer import Proposer
from gongwen.models.session import Session
from gongwen.text.dates import add_months


class MergedCase(GwModel):
    """A case merged into another (并案办理): answered by the other case's reply."""

    number: int = Field(ge=1, le=99999, title="案号")
    title: str | None = Field(default=None, min_length=2, max_length=200, title="案由")

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: object) -> object:
        return {"number": data} if isinstance(data, (int, str)) else data


class RecordedNotice(GwModel):
    """The extension notice (延期办理告知函) as sent to the proposer: its date and 发文字号,
    and optionally its own text (else the text is generated from the case)."""

    date: Day = Field(
        title="告知函日期", description="延期办理告知函的成文日期，应不晚于原办理期限"
    )
    doc_number: DocNumber | None = Field(
        default=None,
        title="告知函文号",
        description="延期办理告知函的发文字号；省略时序号留空待填",
    )
    body: str | None = Field(
        default=None,
        min_length=1,
        max_length=5000,
        title="告知函正文",
        description="省略时按延期理由和日期生成；空行分段",
    )
    closing: str | None = Field(
        default=None,
        max_length=200,
        title="告知函结束语",
        description="省略时为“感谢……对……工作的理解和支持。”；空文字为不写结束语",
    )


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
    assist_kind: AssistKind | None = Field(
        default=None,
        title="协办方式",
        description="本单位为协办单位时：协办 或 会办；省略为协办",
    )
    unit: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        title="承办单位",
        description="承办本件的单位；一个办公室为多个单位记一本台账或年度文件时填写"
        "（gongwen summary 按此分单位汇总），省略为本单位",
    )
    lead_unit: str | None = Field(default=None, title="主办单位")
    co_units: tuple[str, ...] = Field(
        default=(),
        title="协办单位",
        description="本单位主办（或分办）时的其他承办单位，协办和会办的都列在这里；"
        "其中会办的另列在 joint_units",
    )
    joint_units: tuple[str, ...] = Field(
        default=(),
        title="会办单位",
        description="协办单位（co_units）中会办（而非协办）的单位；未列在 co_units 中的"
        "自动加在其后。本单位自己的协办方式见 assist_kind",
    )
    key: bool = Field(default=False, title="重点建议提案")
    consent_publish: bool | None = Field(default=None, title="是否同意公开")
    time_limit_months: int | None = Field(
        default=None, ge=1, le=12, title="办理时限（月）", description="省略时按配置"
    )
    extended_to: Day | None = Field(default=None, title="延期至")
    extension_reason: str | None = Field(default=None, title="延期理由")
    extension_notice: RecordedNotice | None = Field(
        default=None,
        title="延期办理告知函",
        description="已发出的延期办理告知函：日期（date）、发文字号（doc_number），"
        "可另写正文（body）、结束语（closing）；延期件录入后随答复一并生成",
    )
    merged: tuple[MergedCase, ...] = Field(
        default=(),
        max_length=50,
        title="并案办理的案件",
        description="与本件并案、由同一答复办理的其他案件（同一届次、同一类型）：每项为"
        "{number, title}，或只写案号；答复标题逐一列出案号",
    )
    text: str | None = Field(
        default=None,
        max_length=20000,
        title="建议提案原文",
        description="提案或建议的正文（存档用，不印在答复函中）",
    )
    attachments: tuple[str, ...] = Field(
        default=(),
        max_length=50,
        title="建议提案附件",
        description="提案或建议所附材料的名称或文件名（存档用，不印在答复函中）",
    )

    @model_validator(mode="before")
    @classmethod
    def _joint_units_are_partners(cls, data: object) -> object:
        """会办单位 not listed in 协办单位 are added to it (a ledger may have only 会办单位)."""
        if not isinstance(data, dict):
            return data
        joint, co = data.get("joint_units"), data.get("co_units") or ()
        if not isinstance(joint, (list, tuple)) or not isinstance(co, (list, tuple)):
            return data
        extra = [u for u in joint if isinstance(u, str) and u not in co]
        if not extra:
            return data
        return {**data, "co_units": (*co, *dict.fromkeys(extra))}

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.session.body is not self.kind.body:
            raise fail(
                f"{self.kind.value}应属于{self.kind.body.value}会议，"
                f"但届次为“{self.session.display}”"
            )
        if self.role is HandlingRole.ASSIST and not self.lead_unit:
            raise fail("本单位为协办单位时须填写主办单位（lead_unit）")
        if (
            self.unit is not None
            and self.role is HandlingRole.ASSIST
            and self.unit == self.lead_unit
        ):
            raise fail(f"承办单位“{self.unit}”为协办，但主办单位（lead_unit）也是“{self.unit}”")
        if self.joint_units and self.role is HandlingRole.ASSIST:
            raise fail(
                "本单位为协办单位，不能填写会办单位（joint_units）：本单位的协办方式写在"
                "协办方式（assist_kind），其他单位的协办方式由主办单位填写"
            )
        twice = [u for u in dict.fromkeys(self.joint_units) if self.joint_units.count(u) > 1]
        if twice:
            raise fail(f"会办单位（joint_units）中“{'、'.join(twice)}”重复")
        if self.unit is not None and self.unit in self.co_units:
            raise fail(f"承办单位“{self.unit}”也列在协办单位（co_units）中")
        if self.extended_to is not None and self.extended_to <= self.assigned_date:
            raise fail("延期日期（extended_to）应晚于交办日期")
        if self.extension_notice is not None and self.extended_to is None:
            raise fail(
                "填写了延期办理告知函（extension_notice），但未填写延期至（extended_to）："
                "告知函用于已延期的案件"
            )
        if self.extension_notice is not None and self.role is HandlingRole.ASSIST:
            raise fail(
                "本单位为协办单位，延期办理告知函由主办单位发给提案人，"
                "不应填写延期办理告知函（extension_notice）"
            )
        if self.assist_kind is not None and self.role is not HandlingRole.ASSIST:
            raise fail(
                f"本单位办理类型为{self.role.value}，不能填写协办方式（assist_kind）“"
                f"{self.assist_kind.value}”：协办方式只用于协办件"
            )
        numbers = self.merged_numbers
        for i, n in enumerate(numbers, start=1):
            if n == self.number or numbers.index(n) != i - 1:
                raise fail(f"并案办理的案件（merged）第{i}项的案号“{n}”重复")
        if self.proposers[0].signing is Signing.SECONDER and len(self.proposers) > 1:
            raise fail(
                f"提案人第1位“{self.proposers[0].name}”标为附议：第一位应为领衔代表（第一提案人）"
            )
        for i, p in enumerate(self.proposers[1:], start=2):
            if p.signing is Signing.LEAD:
                raise fail(f"提案人第{i}位“{p.name}”标为领衔：领衔代表（第一提案人）应列在第一位")
        return self

    @property
    def label(self) -> str:
        """Short identifier used in file names and tables: ``提案008``."""
        return f"{self.kind.value}{self.number:03d}"

    @property
    def merged_numbers(self) -> tuple[int, ...]:
        """The numbers merged into this case (并案), in the written order."""
        return tuple(m.number for m in self.merged)

    @property
    def numbers(self) -> tuple[int, ...]:
        """This case's number and those merged with it (并案), in the written order."""
        return (self.number, *self.merged_numbers)

    @property
    def number_text(self) -> str:
        """``8`` or, for merged cases, ``8、12、15`` (as in ``第8、12、15号提案``)."""
        return "、".join(str(n) for n in self.numbers)

    @property
    def joint_handling(self) -> bool:
        """True when this unit 会办 (rather than 协办) the case."""
        return self.role is HandlingRole.ASSIST and self.assist_kind is AssistKind.JOINT

    @property
    def opinion_word(self) -> str:
        """``协办意见`` or ``会办意见``: what this co-handling unit's letter is called."""
        return "会办意见" if self.joint_handling else "协办意见"

    def partner_kind(self, unit: str) -> AssistKind:
        """会办 or 协办: how co-handler ``unit`` (one of :attr:`co_units`) takes part."""
        return AssistKind.JOINT if unit in self.joint_units else AssistKind.ASSIST

    @property
    def assist_units(self) -> tuple[str, ...]:
        """The co-handlers that 协办 (the :attr:`co_units` not in :attr:`joint_units`)."""
        return tuple(u for u in self.co_units if u not in self.joint_units)

    def signing_of(self, index: int) -> Signing:
        """领衔 or 附议 of the proposer at ``index`` (given, else the first leads)."""
        given = self.proposers[index].signing
        return given or (Signing.LEAD if index == 0 else Signing.SECONDER)

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
