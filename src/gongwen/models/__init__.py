"""Pydantic models: the contract between inputs (ledgers, APIs) and documents."""

from gongwen.models.case import Case, RecordedNotice
from gongwen.models.config import (
    DEFAULT_CONFIG,
    FOUR_CLASSES,
    JIA_YI_BING,
    SCHEMES,
    THREE_CLASSES,
    CheckConfig,
    ClassScheme,
    Config,
    CopyToConfig,
    FeedbackFormConfig,
    RatingScale,
    ResultClass,
)
from gongwen.models.docnumber import DocNumber
from gongwen.models.enums import (
    AssistKind,
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
    Signing,
)
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.reply import Attachment, ContactRecord, CoOpinion, Reply
from gongwen.models.session import Session
from gongwen.models.year import CaseRecord, FollowUp, HandlingRound, HandlingYear

__all__ = [
    "DEFAULT_CONFIG",
    "FOUR_CLASSES",
    "JIA_YI_BING",
    "SCHEMES",
    "THREE_CLASSES",
    "AssistKind",
    "Attachment",
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
    "CopyToConfig",
    "DocNumber",
    "Feedback",
    "FeedbackFormConfig",
    "FollowUp",
    "HandlingRole",
    "HandlingRound",
    "HandlingYear",
    "Level",
    "Organisation",
    "Period",
    "Pertinence",
    "Proposer",
    "ProposerRole",
    "Rating",
    "RatingScale",
    "RecordedNotice",
    "Reply",
    "ResultClass",
    "Round",
    "Session",
    "Signing",
]
