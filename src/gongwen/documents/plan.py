"""What documents one case yields — decided here once, for the API, the batch and the archive.

>>> [d.name for d in case_documents(record)]        # doctest: +SKIP
['提案008-答复.docx', '提案008-王建国-征询意见表.docx', …]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

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
    CO_OPINION = "协办意见"
    FORM = "征询意见表"
    REPORT = "办理工作总结"
    MERGED = "合订本"


#: Groups of documents a caller can ask for (``gongwen batch --what``).
GROUPS = frozenset({"replies", "forms", "report"})


@dataclass(frozen=True)
class PlannedDocument:
    """One document a case yields: its kind, file name, template and what fills it."""

    kind: DocKind
    name: str
    template: str
    reply: Reply
    proposer: Proposer | None = None
    feedback: Feedback | None = None

    @property
    def group(self) -> str:
        """``replies`` or ``forms``."""
        return "forms" if self.kind is DocKind.FORM else "replies"


def form_feedback(record: CaseRecord, proposer: Proposer, reply: Reply) -> Feedback | None:
    """The feedback of ``proposer`` on ``reply`` (first round, or the re-handling round)."""
    wanted = Round.AGAIN if reply is record.rehandling else Round.FIRST
    for fb in record.feedback:
        if fb.proposer == proposer.name and fb.round is wanted:
            return fb
    return None


def case_documents(
    record: CaseRecord,
    what: Collection[str] = GROUPS,
    *,
    variant: Variant = "letter",
    filled: bool = True,
) -> list[PlannedDocument]:
    """The documents ``record`` yields, in order: reply (or co-opinion), re-handling reply, forms.

    A co-handler (协办) writes an opinion to the lead unit and sends no feedback form; the forms
    go with the latest reply, one per proposer, ticked from that round's feedback when
    ``filled``. Proposers of the same name get distinct file names
    (``提案008-张伟-征询意见表.docx``, ``提案008-张伟(2)-征询意见表.docx``).
    """
    out: list[PlannedDocument] = []
    case = record.case
    if record.reply is None:
        return out
    assisting = case.role is HandlingRole.ASSIST
    template = reply_template_name(case, variant)
    if "replies" in what:
        kind = DocKind.CO_OPINION if assisting else DocKind.REPLY
        out.append(PlannedDocument(kind, document_name(case, kind), template, record.reply))
        if record.rehandling is not None:
            out.append(
                PlannedDocument(
                    DocKind.REHANDLING,
                    document_name(case, DocKind.REHANDLING),
                    template,
                    record.rehandling,
                )
            )
    if "forms" in what and not assisting:
        reply = record.rehandling or record.reply
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
