"""What documents one case yields — decided here once, for the API, the batch and the archive.

>>> [d.name for d in case_documents(record)]        # doctest: +SKIP
['提案008-答复.docx', '提案008-王建国-征询意见表.docx', …]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from gongwen.documents.extension import EXTENSION_TEMPLATE
from gongwen.documents.naming import document_name
from gongwen.documents.reply import Variant, reply_template_name
from gongwen.models.enums import HandlingRole, Round
from gongwen.models.feedback import Feedback
from gongwen.models.proposer import Proposer
from gongwen.models.reply import Reply
from gongwen.models.year import CaseRecord

__all__ = [
    "FORM_TEMPLATE",
    "GROUPS",
    "REPORT_TEMPLATE",
    "DocKind",
    "PlannedDocument",
    "case_documents",
    "form_feedback",
]

FORM_TEMPLATE = "feedback_form.docx"
REPORT_TEMPLATE = "annual_report.docx"


class DocKind(StrEnum):
    """The kinds of document gongwen makes (the value is the Chinese name used in file names)."""

    REPLY = "答复"
    REHANDLING = "重新办理答复"
    TRACKING = "跟踪答复"
    EXTENSION = "延期办理告知函"
    CO_OPINION = "协办意见"
    FORM = "征询意见表"
    REPORT = "办理工作总结"
    UNITS = "各单位办理情况汇总"
    MERGED = "合订本"


#: Groups of documents a caller can ask for (``gongwen batch --what``).
GROUPS = frozenset({"replies", "forms", "report"})


@dataclass(frozen=True)
class PlannedDocument:
    """One document a case yields: its kind, file name, template and what fills it.

    ``reply`` is the reply the document is made from; None only for the extension notice
    (延期办理告知函) of a case not yet answered (the notice is made from the case).
    """

    kind: DocKind
    name: str
    template: str
    reply: Reply | None
    proposer: Proposer | None = None
    feedback: Feedback | None = None

    @property
    def group(self) -> str:
        """``replies`` or ``forms``."""
        return "forms" if self.kind is DocKind.FORM else "replies"


def form_feedback(record: CaseRecord, proposer: Proposer, reply: Reply) -> Feedback | None:
    """The feedback of ``proposer`` on ``reply`` (the round of that reply: first, re-handling
    or follow-up; see :attr:`CaseRecord.rounds`)."""
    rnd = record.round_of(reply)
    if rnd is None:
        return None
    for fb in rnd.feedback:
        if fb.proposer == proposer.name:
            return fb
    return None


def _later_replies(record: CaseRecord, template: str) -> list[PlannedDocument]:
    """The re-handling and follow-up replies by date: ``建议096-重新办理答复.docx``,
    ``建议096-跟踪答复.docx``, ``建议096-跟踪答复2.docx`` …"""
    out: list[PlannedDocument] = []
    seen: Counter[DocKind] = Counter()
    for rnd in record.rounds[1:]:
        kind = DocKind.TRACKING if rnd.kind is Round.TRACKING else DocKind.REHANDLING
        seen[kind] += 1
        label = kind.value if seen[kind] == 1 else f"{kind.value}{seen[kind]}"
        out.append(PlannedDocument(kind, document_name(record.case, label), template, rnd.reply))
    return out


def case_documents(
    record: CaseRecord,
    what: Collection[str] = GROUPS,
    *,
    variant: Variant = "letter",
    filled: bool = True,
) -> list[PlannedDocument]:
    """The documents ``record`` yields, in order: the extension notice (延期办理告知函, when
    the case is extended, records the notice sent — ``case.extension_notice`` — and this unit
    answers the proposer; also before any reply), reply (or co-opinion), re-handling and
    follow-up replies, forms.

    A co-handler (协办) writes an opinion to the lead unit and sends no feedback form; the forms
    go with the latest reply, one per proposer, ticked from that round's feedback when
    ``filled``. Proposers of the same name get distinct file names
    (``提案008-张伟-征询意见表.docx``, ``提案008-张伟(2)-征询意见表.docx``).
    """
    out: list[PlannedDocument] = []
    case = record.case
    assisting = case.role is HandlingRole.ASSIST
    notice = case.extended_to is not None and case.extension_notice is not None
    if "replies" in what and notice and not assisting:  # 延期办理告知函, before the reply
        kind = DocKind.EXTENSION
        out.append(
            PlannedDocument(kind, document_name(case, kind), EXTENSION_TEMPLATE, record.reply)
        )
    if record.reply is None:
        return out
    template = reply_template_name(case, variant)
    if "replies" in what:
        kind = DocKind.CO_OPINION if assisting else DocKind.REPLY
        out.append(PlannedDocument(kind, document_name(case, kind), template, record.reply))
        out += _later_replies(record, template)
    if "forms" in what and not assisting:
        reply = record.rounds[-1].reply
        seen: Counter[str] = Counter()
        for p in case.proposers:
            seen[p.name] += 1  # 张伟、张伟: two people, two forms, two names
            out.append(
                PlannedDocument(
                    DocKind.FORM,
                    document_name(case, DocKind.FORM, person=p.name, occurrence=seen[p.name]),
                    FORM_TEMPLATE,
                    reply,
                    proposer=p,
                    feedback=form_feedback(record, p, reply) if filled else None,
                )
            )
    return out
