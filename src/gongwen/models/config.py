"""Jurisdiction rules: everything a province or city may do differently, with defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from gongwen.models._base import GwModel, fail
from gongwen.models.enums import Body, CaseKind, Rating


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


RATE_KEYS = (
    "replied",
    "on_time",
    "contact",
    "face_to_face",
    "feedback_return",
    "satisfied",
    "satisfied_or_basic",
)


class StatsWording(GwModel):
    """How the 基本情况 paragraph words the statistics (rate names, session form, templates).

    ``rate_names`` renames rates by key (``on_time`` → ``按时办复率``, ``face_to_face`` →
    ``直接走访率``; ``satisfied`` / ``satisfied_or_basic`` rename 满意率 / 满意和基本满意率).
    ``first_sentence`` may use ``{year}`` ``{me}`` ``{source}`` (届次和类别) ``{total}``
    ``{roles}``. ``session_style``: display ``区政协三届一次会议``, region
    ``政协海曙区三届一次会议`` (uses the session's region), formal
    ``政协海曙区第三届委员会第一次会议``.
    """

    name: str = Field(default="通用", title="措辞方案名称")
    rate_names: dict[str, str] = Field(default_factory=dict, title="比率名称")
    handling_rates: tuple[str, ...] = Field(
        default=("on_time", "contact", "face_to_face"), title="办理情况句中的比率及顺序"
    )
    session_style: Literal["display", "region", "formal"] = Field(
        default="display", title="届次写法"
    )
    kind_nouns: dict[CaseKind, str] = Field(
        default_factory=lambda: {CaseKind.SUGGESTION: "代表建议", CaseKind.PROPOSAL: "委员提案"},
        title="建议、提案的称呼",
    )
    first_sentence: str = Field(
        default="{year}年，{me}共承办{source}{total}件，其中{roles}", title="首句模板"
    )
    roles_joiner: str = Field(default="、", title="主办、协办件数之间的连接")
    rate_joiner: str = Field(default="、", title="同值比率之间的连接")
    same_value_word: str = Field(default="均", title="同值比率前的“均”")

    @model_validator(mode="after")
    def _known_keys(self) -> StatsWording:
        unknown = [k for k in (*self.rate_names, *self.handling_rates) if k not in RATE_KEYS]
        if unknown:
            raise fail(f"未知的比率：{'、'.join(unknown)}，可选：{'、'.join(RATE_KEYS)}")
        for key in ("{total}", "{source}"):
            if key not in self.first_sentence:
                raise fail(f"首句模板须包含{key}")
        return self


#: Wording presets; the ``seed_*`` ones follow the phrasing of published handling reports.
WORDING_PRESETS: dict[str, StatsWording] = {
    "default": StatsWording(),
    # a district bureau's CPPCC report: 共承办政协海曙区三届一次会议委员提案4件,其中主办1件,
    # 协办3件 … 按时办结率和直接走访率达100%
    "seed_cppcc_visit": StatsWording(
        name="区政协提案（直接走访率）",
        rate_names={"face_to_face": "直接走访率"},
        handling_rates=("on_time", "face_to_face"),
        session_style="region",
        roles_joiner="，",
        rate_joiner="和",
        same_value_word="",
    ),
    # a city bureau's NPC report: 承办市十六届人大三次会议人大代表建议共29件，其中主办9件、协办20件
    # … 面商率、按时办复率、代表满意率
    "seed_npc_reply": StatsWording(
        name="人大建议（按时办复率）",
        rate_names={"on_time": "按时办复率", "replied": "办复率"},
        handling_rates=("face_to_face", "on_time"),
        kind_nouns={CaseKind.SUGGESTION: "人大代表建议", CaseKind.PROPOSAL: "政协提案"},
        first_sentence="{year}年，{me}承办{source}共{total}件，其中{roles}",
    ),
}


# ---- model extensions (issue 14): rating vocabularies, declined visits, copy-to ----------


class RatingScale(GwModel):
    """A rating vocabulary of the feedback form and how each word counts in the statistics.

    满意率 counts ``satisfied``; 满意和基本满意率 counts ``satisfied`` and ``basic``;
    ``unsatisfied`` words call for re-handling (重新办理); ``other`` words (保留) count in
    neither rate.
    """

    name: str = Field(min_length=1, title="评价方案名称")
    satisfied: tuple[Rating, ...] = Field(min_length=1, title="计为满意的评价")
    basic: tuple[Rating, ...] = Field(default=(), title="计为基本满意的评价")
    other: tuple[Rating, ...] = Field(default=(), title="不计入满意的其他评价")
    unsatisfied: tuple[Rating, ...] = Field(
        min_length=1, title="计为不满意的评价", description="须重新办理"
    )

    @model_validator(mode="after")
    def _disjoint(self) -> RatingScale:
        words = self.words
        twice = [w.value for w in dict.fromkeys(words) if words.count(w) > 1]
        if twice:
            raise fail(f"评价用语重复：{'、'.join(twice)}（每个用语只能属于一档）")
        return self

    @property
    def words(self) -> tuple[Rating, ...]:
        """Every word of the scale, best first (the order printed on the form)."""
        return (*self.satisfied, *self.basic, *self.other, *self.unsatisfied)

    @property
    def good(self) -> tuple[Rating, ...]:
        """The words counted by 满意和基本满意率."""
        return (*self.satisfied, *self.basic)


SATISFACTION_SCALE = RatingScale(
    name="满意度",
    satisfied=(Rating.SATISFIED,),
    basic=(Rating.BASICALLY,),
    unsatisfied=(Rating.UNSATISFIED,),
)
AGREEMENT_SCALE = RatingScale(
    name="同意度",
    satisfied=(Rating.AGREE,),
    basic=(Rating.UNDERSTAND,),
    other=(Rating.RESERVED,),
    unsatisfied=(Rating.DISAGREE,),
)
RATING_SCALES: dict[str, RatingScale] = {"满意度": SATISFACTION_SCALE, "同意度": AGREEMENT_SCALE}

#: Document kinds a copy-to list may be given for (the names used in file names).
COPY_TO_KINDS = ("答复", "协办意见", "重新办理答复", "跟踪答复", "延期办理告知函")


class CopyToConfig(GwModel):
    """抄送 added by the body that assigned the case and by the kind of document, after the
    organisation's default list (a reply's own ``copy_to`` replaces all of them)."""

    by_body: dict[Body, tuple[str, ...]] = Field(
        default_factory=dict,
        title="按人大、政协追加的抄送单位",
        description="如 {人大: [区人大常委会代表工作委员会], 政协: [区政协提案委员会]}",
    )
    by_document: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        title="按文档种类追加的抄送单位",
        description=f"键为文档种类：{'、'.join(COPY_TO_KINDS)}",
    )

    @field_validator("by_document")
    @classmethod
    def _known_kinds(cls, v: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        unknown = [k for k in v if k not in COPY_TO_KINDS]
        if unknown:
            raise fail(f"未知的文档种类：{'、'.join(unknown)}，可选：{'、'.join(COPY_TO_KINDS)}")
        return v

    def units(self, body: Body, kind: str) -> tuple[str, ...]:
        """The units added for a document of ``kind`` about a case of ``body``."""
        return (*self.by_body.get(body, ()), *self.by_document.get(kind, ()))


# ---- end of model extensions --------------------------------------------------------------


# ---- addressing proposers (issue 12, engineer F) ---------------------------------------------


class AddressConfig(GwModel):
    """How a reply addresses joint and collective proposers (称谓 and the "you" of generated
    text such as the closing sentence)."""

    joint: Literal["lead_count", "lead", "each"] = Field(
        default="lead_count",
        title="联名件称谓",
        description="lead_count 领衔人加“等N位代表/委员”（张建国等3位委员：）；"
        "lead 领衔人加“等代表/委员”（张建国等委员：）；each 逐一列出（张建国委员、李明华委员：）",
    )
    collective: str | None = Field(
        default=None,
        min_length=2,
        max_length=6,
        title="对集体提案者的称呼",
        description="如“贵单位”；省略时按名称：以“委员会”或“委”结尾称“贵委”，以“会”结尾称“贵会”，"
        "界别、小组称“你们”，其余称“贵单位”",
    )


# ---- end of addressing proposers ------------------------------------------------------------


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
        default=ALL_DISCLOSURES,
        min_length=1,
        title="公开属性用语",
        description="默认两套用语都接受（全文公开/摘要公开/不予公开，主动公开/依申请公开/不予公开）",
    )
    satisfaction_denominator: Literal["returned", "sent", "cases"] = Field(
        default="returned",
        title="满意率分母",
        description="returned 收回的征询意见表；sent 发出的征询意见表；"
        "cases 主办和分办件数（按件计：该件收回的意见表均为满意才计为满意）",
    )
    satisfaction_round: Literal["first", "final"] = Field(
        default="first",
        title="满意率按哪一轮征询意见表",
        description="first 初次办理的意见表；final 每位提案人最后一轮（重新办理后的）意见表",
    )
    contact_basis: Literal["lead_and_separate", "lead"] = Field(
        default="lead_and_separate",
        title="沟通率、面商率分母",
        description="lead_and_separate 主办和分办件；lead 仅主办件",
    )
    wording: StatsWording = Field(
        default_factory=StatsWording,
        title="统计措辞",
        description="方案名（default、seed_cppcc_visit、seed_npc_reply）或逐项设置",
    )
    class_mark_side: Literal["left", "right"] = Field(default="left", title="类别标注位置")
    address: AddressConfig = Field(
        default_factory=AddressConfig,
        title="称谓与称呼",
        description="联名件、集体提案者的称谓，以及生成文字中的“您/你们/贵委”",
    )
    decimals: int = Field(default=1, ge=0, le=4, title="比率小数位数")
    share_decimals: int = Field(default=1, ge=0, le=4, title="构成比小数位数")
    categories: tuple[str, ...] = Field(default=(), title="案件分类清单（空为不限）")
    feedback_form: FeedbackFormConfig = Field(
        default_factory=FeedbackFormConfig, title="征询意见表"
    )
    checks: CheckConfig = Field(default_factory=CheckConfig, title="检查规则")
    # model extensions (issue 14)
    rating_scale: RatingScale = Field(
        default=SATISFACTION_SCALE,
        title="评价用语方案",
        description="方案名（满意度：满意/基本满意/不满意；同意度：同意/理解/保留/不同意）"
        "或逐项设置；征询意见表和满意率按此方案",
    )
    declined_visit: Literal["excluded", "not_face_to_face", "face_to_face"] = Field(
        default="excluded",
        title="婉拒面商的计法",
        description="提案人婉拒面商（沟通方式“婉拒面商”）的件在面商率中：excluded 不计入分母；"
        "not_face_to_face 计入分母、不计为面商；face_to_face 计为面商。均计为已沟通",
    )
    copy_to: CopyToConfig = Field(
        default_factory=CopyToConfig, title="抄送", description="按人大/政协、按文档种类追加"
    )

    @model_validator(mode="before")
    @classmethod
    def _scheme_by_name(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("class_scheme"), str):
            name = data["class_scheme"]
            if name not in SCHEMES:
                raise fail(f"未知的答复类别方案“{name}”，可选：{'、'.join(SCHEMES)}")
            data = {**data, "class_scheme": SCHEMES[name]}
        if isinstance(data, dict) and isinstance(data.get("rating_scale"), str):
            name = data["rating_scale"]
            if name not in RATING_SCALES:
                raise fail(f"未知的评价用语方案“{name}”，可选：{'、'.join(RATING_SCALES)}")
            data = {**data, "rating_scale": RATING_SCALES[name]}
        if isinstance(data, dict) and isinstance(data.get("wording"), str):
            name = data["wording"]
            if name not in WORDING_PRESETS:
                raise fail(f"未知的统计措辞方案“{name}”，可选：{'、'.join(WORDING_PRESETS)}")
            data = {**data, "wording": WORDING_PRESETS[name]}
        return data

    def time_limit(self, kind: CaseKind) -> int:
        """Months allowed to reply for this kind of case."""
        return self.time_limit_months.get(kind, 3)


DEFAULT_CONFIG = Config()
