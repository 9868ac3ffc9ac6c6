"""gongwen — GB/T 9704-2012 replies, feedback forms and handling reports for 建议/提案.

The public API: models, loaders, checks, rendering. Everything here is typed and documented;
anything not re-exported here is internal.
"""

from gongwen._version import __version__
from gongwen.api import render_co_opinion, render_reply
from gongwen.api_year import render_annual_report, render_feedback_form, render_feedback_forms
from gongwen.checks import CheckFailed, Finding, Severity, check_record
from gongwen.checks.rules.year import check_year
from gongwen.checks.verify import verify
from gongwen.errors import GongwenError, error_list, format_validation_error
from gongwen.io import InputError, load_organisation, load_record, load_year
from gongwen.models import (
    Case,
    CaseKind,
    CaseRecord,
    Config,
    ContactMethod,
    ContactRecord,
    CoOpinion,
    DocNumber,
    Feedback,
    HandlingRole,
    HandlingYear,
    Organisation,
    Proposer,
    Rating,
    Reply,
    Session,
)
from gongwen.render.result import OutputExists, RenderedDocument

__all__ = [
    "Case",
    "CaseKind",
    "CaseRecord",
    "CheckFailed",
    "CoOpinion",
    "Config",
    "ContactMethod",
    "ContactRecord",
    "DocNumber",
    "Feedback",
    "Finding",
    "GongwenError",
    "HandlingRole",
    "HandlingYear",
    "InputError",
    "Organisation",
    "OutputExists",
    "Proposer",
    "Rating",
    "RenderedDocument",
    "Reply",
    "Session",
    "Severity",
    "__version__",
    "check_record",
    "check_year",
    "error_list",
    "format_validation_error",
    "load_organisation",
    "load_record",
    "load_year",
    "render_annual_report",
    "render_co_opinion",
    "render_feedback_form",
    "render_feedback_forms",
    "render_reply",
    "verify",
]
