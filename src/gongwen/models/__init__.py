"""Pydantic models: the contract between inputs (ledgers, APIs) and documents."""

from gongwen.models.case import Case
from gongwen.models.config import (
    DEFAULT_CONFIG,
    FOUR_CLASSES,
    JIA_YI_BING,
    SCHEMES,
    THREE_CLASSES,
    CheckConfig,
    ClassScheme,
    Config,
    FeedbackFormConfig,
    ResultClass,
)
from gongwen.models.docnumber import DocNumber
from gongwen.models.enums import (
    Body,
    CaseKind,
    ContactMethod,
    HandlingRole,
    Level,
    Period,
    Pertinence,
    ProposerRole,
    Rating,
    Round,
)
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.reply import ContactRecord, CoOpinion, Reply
from gongwen.models.session import Session
from gongwen.models.year import CaseRecord, HandlingYear

__all__ = [
    "DEFAULT_CONFIG",
    "FOUR_CLASSES",
    "JIA_YI_BING",
    "SCHEMES",
    "THREE_CLASSES",
    "Body",
    "Case",
    "CaseKind",
    "CaseRecord",
    "CheckConfig",
    "ClassScheme",
    "CoOpinion",
    "Config",
    "ContactMethod",
    "ContactRecord",
    "DocNumber",
    "Feedback",
    "FeedbackFormConfig",
    "HandlingRole",
    "HandlingYear",
    "Level",
    "Organisation",
    "Period",
    "Pertinence",
    "Proposer",
    "ProposerRole",
    "Rating",
    "Reply",
    "ResultClass",
    "Round",
    "Session",
]
