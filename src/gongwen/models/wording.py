"""Derived wording shared by documents and checks (title, salutation, closing, 附注, 抄送, 附件)."""

from __future__ import annotations

from gongwen.models.case import Case
from gongwen.models.config import DEFAULT_CONFIG, AddressConfig
from gongwen.models.enums import HandlingRole, Round
from gongwen.models.organisation import Organisation
from gongwen.models.proposer import Proposer
from gongwen.models.reply import Attachment, Reply


def is_opinion(case: Case) -> bool:
    """True when this unit co-handles the case, so its letter is an opinion to the lead unit."""
    return case.role is HandlingRole.ASSIST


def case_ref(case: Case) -> str:
    """``区政协十二届三次会议第8号提案`` (merged cases ``…第8、12号提案``)."""
    return f"{case.session.display}第{case.number_text}号{case.kind.value}"


def default_title(case: Case) -> str:
    """``关于区政协十二届三次会议第8号提案的答复`` (``…的协办意见`` for a co-handler)."""
    return f"关于{case_ref(case)}的{case.opinion_word if is_opinion(case) else '答复'}"


def reply_title(case: Case, reply: Reply) -> str:
    """The title printed on the letter (``…的跟踪答复`` for a follow-up reply)."""
    if not reply.title and reply.round is Round.TRACKING and not is_opinion(case):
        return f"关于{case_ref(case)}的跟踪答复"
    return reply.title or default_title(case)


def _address(org: Organisation | None) -> AddressConfig:
    return (org.config if org is not None else DEFAULT_CONFIG).address


def people_count(case: Case) -> int:
    """How many people and collectives proposed the case (named, and co-signers not named)."""
    return sum(1 + (0 if p.collective else p.unnamed_cosigners) for p in case.proposers)


def proposer_salutation(case: Case, org: Organisation | None = None) -> str:
    """The salutation to the proposers, ending with a full-width colon, as configured
    (``org.config.address.joint``): one person ``张建国委员：``; several ``张建国等3位委员：``
    (``lead_count``), ``张建国等委员：`` (``lead``) or each by name (``each``). A collective
    (党派、团体、界别) is always named in full, before or after the persons as proposed."""
    mode = _address(org).joint
    persons = [p for p in case.proposers if not p.collective]
    count = sum(1 + p.unnamed_cosigners for p in persons)
    parts: list[str] = []
    folded = False
    for p in case.proposers:
        if p.collective:
            parts.append(p.name)
        elif mode == "each" or count == 1:
            parts.append(p.salutation_name(case.default_role))
        elif not folded:
            folded = True
            role = (p.role or case.default_role).value
            parts.append(
                f"{p.name}等{count}位{role}" if mode == "lead_count" else f"{p.name}等{role}"
            )
    return "、".join(parts) + "："


def collective_pronoun(proposer: Proposer, org: Organisation | None = None) -> str:
    """How a letter says "you" to a collective proposer: as configured
    (``org.config.address.collective``), else by its name: a party committee (``…委员会``,
    ``…区委``) ``贵委``; an association (``…联合会``, ``…商会``) ``贵会``; a 界别 or a group of
    members (``…界别``, ``…小组``, ``…组``) ``你们``; any other organisation ``贵单位``."""
    configured = _address(org).collective
    if configured:
        return configured
    name = proposer.name
    if name.endswith(("界别", "组")):
        return "你们"
    if name.endswith("委") or name.endswith("委员会"):
        return "贵委"
    if name.endswith("会"):
        return "贵会"
    return "贵单位"


def proposer_pronoun(case: Case, org: Organisation | None = None) -> str:
    """ "You" in generated text (closing, thanks): ``您`` to one person, ``你们`` to several
    proposers (or a person with co-signers not named), the collective's own word to a
    collective proposing alone (:func:`collective_pronoun`)."""
    if people_count(case) > 1:
        return "你们"
    lead = case.lead
    return collective_pronoun(lead, org) if lead.collective else "您"


def reply_salutation(case: Case, reply: Reply, org: Organisation | None = None) -> str:
    """The salutation: given, the lead unit for an opinion, or derived from the proposers
    (:func:`proposer_salutation`, configured by ``org.config.address``)."""
    if reply.salutation:
        return reply.salutation
    if is_opinion(case):
        return f"{case.lead_unit}："
    return proposer_salutation(case, org)


def reply_closing(case: Case, reply: Reply, org: Organisation) -> str:
    """The closing sentence; an opinion letter has none unless given. It says "you" as
    :func:`proposer_pronoun` does (您, 你们, 贵委 …)."""
    if reply.closing is not None:
        return reply.closing
    if is_opinion(case):
        return ""
    you = proposer_pronoun(case, org)
    return f"感谢{you}对{org.self_name}工作的关心和支持，欢迎继续提出宝贵意见。"


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


def document_kind_name(case: Case, reply: Reply) -> str:
    """The kind of the letter ``reply`` is: 答复, 协办意见, 重新办理答复 or 跟踪答复 (the keys of
    ``Config.copy_to.by_document``)."""
    if is_opinion(case):
        return "协办意见"
    return {Round.AGAIN: "重新办理答复", Round.TRACKING: "跟踪答复"}.get(reply.round, "答复")


def copy_to_units(reply: Reply, org: Organisation, case: Case | None = None) -> tuple[str, ...]:
    """The 抄送 units: the reply's own list, or the organisation's default followed (given the
    ``case``) by the configured units for its body (人大/政协) and kind of document."""
    if reply.copy_to is not None:
        return reply.copy_to
    if case is None:
        return org.copy_to
    extra = org.config.copy_to.units(case.kind.body, document_kind_name(case, reply))
    return tuple(dict.fromkeys((*org.copy_to, *extra)))


def copy_to_line(reply: Reply, org: Organisation, case: Case | None = None) -> str:
    """``区政协提案委员会，区政府办公室。`` (without the ``抄送：`` prefix), or ""."""
    units = copy_to_units(reply, org, case)
    return "，".join(units) + "。" if units else ""


#: Punctuation that may not end an attachment's name in the 附件说明 (§7.3.4).
ATTACHMENT_TITLE_END = "。，、；：！？.,;:!?"


def attachment_name(att: Attachment) -> str:
    """The attachment's name as printed: without trailing punctuation (§7.3.4)."""
    return att.title.rstrip(ATTACHMENT_TITLE_END + " \u3000") or att.title


def attachment_label(index: int, count: int) -> str:
    """``附件`` for a single attachment, ``附件2`` for the second of several (§7.3.7)."""
    return "附件" if count == 1 else f"附件{index}"


def attachment_note_lines(reply: Reply) -> list[str]:
    """The 附件说明 as printed text: ``附件：名称`` or ``附件：1.名称``, ``2.名称`` … (§7.3.4)."""
    atts = reply.attachments
    if len(atts) == 1:
        return [f"附件：{attachment_name(atts[0])}"]
    return [
        f"{'附件：' if i == 1 else ''}{i}.{attachment_name(a)}" for i, a in enumerate(atts, start=1)
    ]


def co_handlers(case: Case) -> tuple[str, str]:
    """``(label, names)`` of the other units of a lead case as documents name them: ``协办单位``
    ``区财政局、区交通局``; with 会办 units (``Case.joint_units``) ``会办单位`` when all 会办,
    else ``会办、协办单位`` ``区财政局（会办）、区交通局（协办）``."""
    units = case.co_units
    if not case.joint_units:
        return "协办单位", "、".join(units)
    if not case.assist_units:
        return "会办单位", "、".join(units)
    return "会办、协办单位", "、".join(f"{u}（{case.partner_kind(u).value}）" for u in units)
