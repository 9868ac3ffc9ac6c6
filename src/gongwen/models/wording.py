"""Derived wording shared by documents and checks (title, salutation, closing, 附注, 抄送)."""

from __future__ import annotations

from gongwen.models.case import Case
from gongwen.models.enums import HandlingRole
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply


def is_opinion(case: Case) -> bool:
    """True when this unit co-handles the case, so its letter is an opinion to the lead unit."""
    return case.role is HandlingRole.ASSIST


def case_ref(case: Case) -> str:
    """``区政协十二届三次会议第8号提案``."""
    return f"{case.session.display}第{case.number}号{case.kind.value}"


def default_title(case: Case) -> str:
    """``关于区政协十二届三次会议第8号提案的答复`` (``…的协办意见`` for a co-handler)."""
    return f"关于{case_ref(case)}的{'协办意见' if is_opinion(case) else '答复'}"


def reply_title(case: Case, reply: Reply) -> str:
    """The title printed on the letter."""
    return reply.title or default_title(case)


def reply_salutation(case: Case, reply: Reply) -> str:
    """The salutation: given, the lead unit for an opinion, or derived from the proposers."""
    if reply.salutation:
        return reply.salutation
    if is_opinion(case):
        return f"{case.lead_unit}："
    return case.salutation()


def reply_closing(case: Case, reply: Reply, org: Organisation) -> str:
    """The closing sentence; an opinion letter has none unless given."""
    if reply.closing is not None:
        return reply.closing
    if is_opinion(case):
        return ""
    return f"感谢您对{org.self_name}工作的关心和支持，欢迎继续提出宝贵意见。"


def contact_note(reply: Reply, org: Organisation) -> str:
    """附注 ``（联系人：王五，联系电话：0574-87654321）``, or "" when nothing is known."""
    person = reply.contact_person or org.contact_person
    phone = reply.contact_phone or org.contact_phone
    parts = []
    if person:
        parts.append(f"联系人：{person}")
    if phone:
        parts.append(f"联系电话：{phone}")
    return f"（{'，'.join(parts)}）" if parts else ""


def copy_to_units(reply: Reply, org: Organisation) -> tuple[str, ...]:
    """The 抄送 units: the reply's own list or the organisation's default."""
    return reply.copy_to if reply.copy_to is not None else org.copy_to


def copy_to_line(reply: Reply, org: Organisation) -> str:
    """``区政协提案委员会，区政府办公室。`` (without the ``抄送：`` prefix), or ""."""
    units = copy_to_units(reply, org)
    return "，".join(units) + "。" if units else ""
