"""Jurisdiction rules: everything a province or city may do differently, with defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from gongwen.models._base import GwModel, fail
from gongwen.models.enums import CaseKind


class ResultClass(GwModel):
    """One class of a result scheme, e.g. ``A 已解决或采纳``."""

    code: str = Field(min_length=1, max_length=4, title="类别代码")
    label: str = Field(min_length=1, title="类别名称")
    definition: str = Field(default="", title="定义")
    needs_reason: bool = Field(
        default=False, title="须说明理由", description="答复中须说明暂不能解决的原因（如 C、D 类）"
    )
    counts_as_solved: bool = Field(default=False, title="计为已解决")


class ClassScheme(GwModel):
    """A result-class scheme (three classes, four classes, 甲乙丙 …)."""

    name: str = Field(title="方案名称")
    classes: tuple[ResultClass, ...] = Field(min_length=1, title="类别")

    @model_validator(mode="after")
    def _unique(self) -> ClassScheme:
        codes = [c.code for c in self.classes]
        if len(set(codes)) != len(codes):
            raise fail(f"答复类别代码重复：{'、'.join(codes)}")
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        """The class codes in order."""
        return tuple(c.code for c in self.classes)

    def get(self, code: str) -> ResultClass | None:
        """The class with this code (case-insensitive for Latin letters), or None."""
        for c in self.classes:
            if c.code.upper() == code.strip().upper() or c.label == code.strip():
                return c
        return None


THREE_CLASSES = ClassScheme(
    name="三类",
    classes=(
        ResultClass(
            code="A",
            label="已解决或采纳",
            definition="所提问题已经解决或建议已被采纳",
            counts_as_solved=True,
        ),
        ResultClass(
            code="B",
            label="正在解决或列入计划拟解决",
            definition="所提问题正在解决或已列入计划拟解决",
        ),
        ResultClass(
            code="C",
            label="因条件限制暂不能解决，留作参考",
            definition="因条件限制或其他原因暂不能解决，留作参考",
            needs_reason=True,
        ),
    ),
)
FOUR_CLASSES = ClassScheme(
    name="四类",
    classes=(
        ResultClass(code="A", label="已经解决或基本解决", counts_as_solved=True),
        ResultClass(code="B", label="正在解决或列入规划逐步解决"),
        ResultClass(code="C", label="因条件限制需待以后解决", needs_reason=True),
        ResultClass(code="D", label="留作参考", needs_reason=True),
    ),
)
JIA_YI_BING = ClassScheme(
    name="甲乙丙",
    classes=(
        ResultClass(code="甲", label="已解决或采纳", counts_as_solved=True),
        ResultClass(code="乙", label="正在解决或列入计划解决"),
        ResultClass(code="丙", label="留作参考", needs_reason=True),
    ),
)
SCHEMES: dict[str, ClassScheme] = {
    "三类": THREE_CLASSES,
    "四类": FOUR_CLASSES,
    "甲乙丙": JIA_YI_BING,
}

DISCLOSURE_PUBLICATION = ("全文公开", "摘要公开", "不予公开")
DISCLOSURE_DOCUMENT = ("主动公开", "依申请公开", "不予公开")
DISCLOSURE_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "答复公开": DISCLOSURE_PUBLICATION,
    "公文公开": DISCLOSURE_DOCUMENT,
}
ALL_DISCLOSURES: tuple[str, ...] = tuple(
    dict.fromkeys(DISCLOSURE_PUBLICATION + DISCLOSURE_DOCUMENT)
)


class FeedbackFormConfig(GwModel):
    """Settings printed on the feedback form."""

    title_suggestion: str = Field(
        default="人大代表建议办理情况征询意见表", title="建议征询意见表标题"
    )
    title_proposal: str = Field(default="政协提案办理情况征询意见表", title="提案征询意见表标题")
    return_days: int = Field(default=15, ge=1, le=90, title="回复期限（工作日）")
    return_address: str | None = Field(default=None, title="回寄地址")


class CheckConfig(GwModel):
    """Which check rules run and with what severity."""

    disabled: tuple[str, ...] = Field(default=(), title="停用的规则代码")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=dict, title="调整规则级别"
    )


class Config(GwModel):
    """Jurisdiction rules. Every field has the common default; override per province/city."""

    time_limit_months: dict[CaseKind, int] = Field(
        default_factory=lambda: {CaseKind.SUGGESTION: 3, CaseKind.PROPOSAL: 3},
        title="办理时限（月）",
        description="自交办之日起答复的期限，按类型设置；部分省份政协全会提案为5个月",
    )
    max_extension_months: int = Field(default=6, ge=1, le=12, title="延期最长期限（月）")
    co_handler_limit_months: int = Field(default=1, ge=1, le=6, title="协办意见期限（月）")
    rehandle_limit_months: int = Field(default=3, ge=1, le=6, title="重新办理期限（月）")
    class_scheme: ClassScheme = Field(default=THREE_CLASSES, title="答复类别方案")
    disclosure_vocabulary: tuple[str, ...] = Field(
        default=DISCLOSURE_PUBLICATION, min_length=1, title="公开属性用语"
    )
    satisfaction_denominator: Literal["returned", "cases"] = Field(
        default="returned",
        title="满意率分母",
        description="returned 回收的征询意见表；cases 全部件数",
    )
    class_mark_side: Literal["left", "right"] = Field(default="left", title="类别标注位置")
    decimals: int = Field(default=1, ge=0, le=4, title="比率小数位数")
    share_decimals: int = Field(default=1, ge=0, le=4, title="构成比小数位数")
    categories: tuple[str, ...] = Field(default=(), title="案件分类清单（空为不限）")
    feedback_form: FeedbackFormConfig = Field(
        default_factory=FeedbackFormConfig, title="征询意见表"
    )
    checks: CheckConfig = Field(default_factory=CheckConfig, title="检查规则")

    @model_validator(mode="before")
    @classmethod
    def _scheme_by_name(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("class_scheme"), str):
            name = data["class_scheme"]
            if name not in SCHEMES:
                raise fail(f"未知的答复类别方案“{name}”，可选：{'、'.join(SCHEMES)}")
            data = {**data, "class_scheme": SCHEMES[name]}
        return data

    def time_limit(self, kind: CaseKind) -> int:
        """Months allowed to reply for this kind of case."""
        return self.time_limit_months.get(kind, 3)


DEFAULT_CONFIG = Config()
