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


class ContactMethod(StrEnum):
    """How the unit contacted the proposer before replying."""

    IN_PERSON = "当面"
    VISIT = "走访"
    MEETING = "座谈"
    PHONE = "电话"
    WRITTEN = "书面"
    NONE = "未联系"

    @property
    def face_to_face(self) -> bool:
        """Counts for 面商率/走访率 (当面, 走访, 座谈)."""
        return self in (ContactMethod.IN_PERSON, ContactMethod.VISIT, ContactMethod.MEETING)


class Rating(StrEnum):
    """A satisfaction rating on the feedback form."""

    SATISFIED = "满意"
    BASICALLY = "基本满意"
    UNSATISFIED = "不满意"


class Pertinence(StrEnum):
    """Whether the reply answers the proposal."""

    PERTINENT = "针对"
    BASICALLY = "基本针对"
    NOT = "未针对"


class Round(StrEnum):
    """First handling or re-handling after an unsatisfactory result."""

    FIRST = "初次办理"
    AGAIN = "重新办理"
