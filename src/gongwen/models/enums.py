"""Vocabularies used across the models (values are the Chinese words users write)."""

from __future__ import annotations

from enum import StrEnum


class Body(StrEnum):
    """Which body a session belongs to."""

    NPC = "人大"
    CPPCC = "政协"


class Level(StrEnum):
    """Administrative level of the congress or CPPCC committee."""

    NATIONAL = "全国"
    PROVINCE = "省"
    CITY = "市"
    DISTRICT = "区"
    COUNTY = "县"


class Period(StrEnum):
    """Whether a case was submitted during the plenary meeting or between meetings."""

    MEETING = "会间"
    RECESS = "闭会期间"


class CaseKind(StrEnum):
    """建议 (deputies' suggestion) or 提案 (CPPCC proposal)."""

    SUGGESTION = "建议"
    PROPOSAL = "提案"

    @property
    def role(self) -> ProposerRole:
        """The role word used for a person proposing this kind (代表 / 委员)."""
        return ProposerRole.DEPUTY if self is CaseKind.SUGGESTION else ProposerRole.MEMBER

    @property
    def body(self) -> Body:
        """The body that assigns this kind of case."""
        return Body.NPC if self is CaseKind.SUGGESTION else Body.CPPCC


class ProposerRole(StrEnum):
    """How a person proposer is addressed."""

    DEPUTY = "代表"
    MEMBER = "委员"


class HandlingRole(StrEnum):
    """A unit's role in handling a case."""

    LEAD = "主办"
    ASSIST = "协办"
    SEPARATE = "分办"


class AssistKind(StrEnum):
    """How a co-handling unit takes part: 协办 (its opinion to the lead unit) or 会办 (handled
    jointly with the lead unit, which signs the one reply). Both send their opinion to the lead
    unit; the difference is recorded, counted and printed (``…的会办意见``)."""

    ASSIST = "协办"
    JOINT = "会办"


class Signing(StrEnum):
    """A proposer's part in a case: 领衔 (the first, leading proposer) or 附议 (seconding)."""

    LEAD = "领衔"
    SECONDER = "附议"


class ContactMethod(StrEnum):
    """How the unit contacted the proposer before replying."""

    IN_PERSON = "当面"
    VISIT = "走访"
    MEETING = "座谈"
    PHONE = "电话"
    WRITTEN = "书面"
    DECLINED = "婉拒面商"
    NONE = "未联系"

    @property
    def face_to_face(self) -> bool:
        """Counts for 面商率/走访率 (当面, 走访, 座谈)."""
        return self in (ContactMethod.IN_PERSON, ContactMethod.VISIT, ContactMethod.MEETING)

    @property
    def declined(self) -> bool:
        """The proposer was contacted and declined a visit (婉拒面商): a contact, not a
        face-to-face one; how 面商率 counts it is configured (``Config.declined_visit``)."""
        return self is ContactMethod.DECLINED

    @classmethod
    def form_options(cls) -> tuple[ContactMethod, ...]:
        """The methods printed on the feedback form (婉拒面商 is the unit's record, not a
        way the proposer was contacted)."""
        return tuple(m for m in cls if m is not ContactMethod.DECLINED)


class Rating(StrEnum):
    """A rating on the feedback form. Which words a jurisdiction uses, and how each counts in
    the statistics, is configured (``Config.rating_scale``: 满意/基本满意/不满意 by default,
    or 同意/理解/保留/不同意)."""

    SATISFIED = "满意"
    BASICALLY = "基本满意"
    UNSATISFIED = "不满意"
    AGREE = "同意"
    UNDERSTAND = "理解"
    RESERVED = "保留"
    DISAGREE = "不同意"


class Pertinence(StrEnum):
    """Whether the reply answers the proposal."""

    PERTINENT = "针对"
    BASICALLY = "基本针对"
    NOT = "未针对"


class Round(StrEnum):
    """Which reply of a case: the first, a re-handling after an unsatisfactory result, or a
    follow-up reply (跟踪答复, e.g. when a class B case 正在解决 is solved)."""

    FIRST = "初次办理"
    AGAIN = "重新办理"
    TRACKING = "跟踪答复"
