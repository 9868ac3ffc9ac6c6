"""The feedback form (征询意见表): template context, blank or filled from a :class:`Feedback`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache
from typing import Any

from gongwen.models.case import Case
from gongwen.models.enums import ContactMethod, HandlingRole, Pertinence, Round
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.reply import Reply
from gongwen.models.wording import co_handlers
from gongwen.text.dates import format_date

#: Placeholders the feedback-form template must contain.
REQUIRED_PLACEHOLDERS = frozenset(
    {"form_title", "case_no", "case_title", "proposer_name", "reply_date", "result_class"}
)

BOX_EMPTY = "☐"
BOX_TICKED = "☑"
#: Printed where a date is to be written by hand.
BLANK_DATE = "　　年　　月　　日"


@cache
def _labels(values: tuple[StrEnum, ...]) -> tuple[tuple[StrEnum, str], ...]:
    """Each option with its printed label (an enum's ``value`` is slow to read per form)."""
    return tuple((v, v.value) for v in values)


_CONTACT_OPTIONS = ContactMethod.form_options()
_PERTINENCE_OPTIONS = tuple(Pertinence)


def _options(values: Sequence[StrEnum], chosen: StrEnum | None) -> list[dict[str, str]]:
    return [
        {"box": BOX_TICKED if v is chosen else BOX_EMPTY, "label": label}
        for v, label in _labels(tuple(values))
    ]


def form_title(case: Case, org: Organisation) -> str:
    """The form's title by kind, from ``org.config.feedback_form``."""
    cfg = org.config.feedback_form
    return cfg.title_suggestion if case.kind.value == "建议" else cfg.title_proposal


def proposer_label(case: Case, proposer: Proposer) -> str:
    """``领衔代表`` / ``代表`` / ``第一提案人`` / ``提案人`` / ``提案单位``."""
    if proposer.collective:
        return "提案单位"
    lead = proposer.name == case.lead.name and case.co_signed
    if case.kind.value == "建议":
        return "领衔代表" if lead else "代表"
    return "第一提案人" if lead else "提案人"


def signature_label(case: Case, proposer: Proposer) -> str:
    """``代表签名`` / ``委员签名`` / ``提案单位盖章``."""
    if proposer.collective:
        return "提案单位盖章"
    return f"{(proposer.role or case.default_role).value}签名"


def class_text(reply: Reply, org: Organisation) -> str:
    """``A类（已解决或采纳）``; the bare code when it is not in the scheme; "" without a class."""
    if not reply.result_class:
        return ""
    cls = org.config.class_scheme.get(reply.result_class)
    if cls is None:
        return reply.result_class
    return f"{cls.code}类（{cls.label}）"


def units(case: Case, org: Organisation) -> tuple[str, str, str, str]:
    """``(label, units, label, units)`` of the handling units row pair."""
    if case.role is HandlingRole.SEPARATE:
        others = "、".join(case.co_units) or "无"
        return "分办单位", org.name, "其他分办单位", others
    lead = case.lead_unit or org.name
    label, names = co_handlers(case)
    return "主办单位", lead, label, names or "无"


def return_note(org: Organisation) -> str:
    """The return instruction printed under the table, from the configuration."""
    cfg = org.config.feedback_form
    text = f"请于收到答复之日起{cfg.return_days}个工作日内填写本表"
    text += f"，寄回{cfg.return_address}。" if cfg.return_address else "并寄回承办单位。"
    contact = []
    if org.contact_person:
        contact.append(f"联系人：{org.contact_person}")
    if org.contact_phone:
        contact.append(f"联系电话：{org.contact_phone}")
    if contact:
        text += "，".join(contact) + "。"
    return text


def feedback_context(
    case: Case,
    reply: Reply,
    org: Organisation,
    proposer: Proposer,
    feedback: Feedback | None = None,
) -> dict[str, Any]:
    """The template context of one proposer's form; ``feedback`` ticks the boxes."""
    fb = feedback
    again = reply.round is Round.AGAIN or (fb is not None and fb.round is Round.AGAIN)
    unit_label, unit, co_label, co = units(case, org)
    words = org.config.rating_scale.words
    return {
        "form_title": form_title(case, org),
        "round_note": "（重新办理）"
        if again
        else ("（跟踪答复）" if reply.round is Round.TRACKING else ""),
        "case_no": f"{case.session.display}第{case.number}号{case.kind.value}",
        "case_title": case.title,
        "proposer_label": proposer_label(case, proposer),
        "proposer_name": proposer.name,
        "unit_label": unit_label,
        "unit": unit,
        "co_label": co_label,
        "co_units": co,
        "result_class": class_text(reply, org),
        "reply_date": format_date(reply.date),
        "doc_number": str(reply.doc_number),
        "contact_options": _options(_CONTACT_OPTIONS, fb.contact_method if fb else None),
        "attitude_options": _options(words, fb.attitude if fb else None),
        "result_options": _options(words, fb.result if fb else None),
        "pertinence_options": _options(_PERTINENCE_OPTIONS, fb.pertinence if fb else None),
        "opinion": (fb.opinion or "") if fb else "",
        "sign_label": signature_label(case, proposer),
        "sign_name": "",
        "sign_date": format_date(fb.date) if fb and fb.date else BLANK_DATE,
        "return_note": return_note(org),
        "filled": fb is not None,
    }
