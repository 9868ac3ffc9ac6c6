"""The extension notice (延期办理告知函): the written notice to the proposer that a case is
extended (``case.extended_to``, ``case.extension_reason``), in the reply's letter format.

The notice says which case it is, when it was due, why it cannot be answered in time, that the
extension was agreed with the assigning office, the new date, an apology and thanks; it carries
the 发文字号 (on the letter's marks line), the signature, 附注 and 抄送 like the reply.

The notice sent is recorded with the case (``case.extension_notice``: date, 发文字号, optional
text); the batch and the archive make the recorded one (:func:`planned_notice`). Its rules —
dated after the original deadline (GW290), not before the new date (GW291), not recorded once
the original deadline has passed (GW292) — are case rules (``checks/rules/dates.py``).

>>> ctx = extension_context(case, ExtensionNotice(date(2024, 6, 10)), org)   # doctest: +SKIP
>>> ctx["title"]                                                             # doctest: +SKIP
'关于区政协十二届三次会议第8号提案\\n延期办理的告知函'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from gongwen.documents.blocks import body_blocks, mark_anchor
from gongwen.documents.reply import letterhead_context, mark_rows_context
from gongwen.errors import ArgumentError, DocumentError, error_list
from gongwen.models.case import Case, RecordedNotice
from gongwen.models.config import Config
from gongwen.models.docnumber import BLANK_SERIAL, DOC_NUMBER_HINT, DocNumber
from gongwen.models.enums import Body
from gongwen.models.organisation import Organisation
from gongwen.models.wording import case_ref, proposer_pronoun, proposer_salutation
from gongwen.text.dates import format_date
from gongwen.text.titles import split_title

__all__ = [
    "EXTENSION_TEMPLATE",
    "MULTILINE_KEYS",
    "REQUIRED_ANY",
    "REQUIRED_PLACEHOLDERS",
    "ExtensionNotice",
    "approving_office",
    "extension_body",
    "extension_closing",
    "extension_context",
    "extension_title",
    "notice_copy_to",
    "notice_doc_number",
    "planned_notice",
    "with_notice",
]

EXTENSION_TEMPLATE = "extension_notice.docx"
#: Context keys whose value holds several lines (kept through sanitising).
MULTILINE_KEYS = frozenset({"title"})
#: Placeholders every extension-notice template must contain (custom templates are checked).
REQUIRED_PLACEHOLDERS = frozenset({"org_mark", "title", "salutation", "body", "sign_org", "date"})
#: …and the 发文字号 in one of the letter's mark slots.
REQUIRED_ANY = (frozenset({"doc_number", "mark_left", "mark_right"}),)


@dataclass(frozen=True)
class ExtensionNotice:
    """The letter's own particulars (the case holds the new date and the reason).

    ``doc_number`` None: the organisation's reply code and the notice's year with the serial
    left blank to write in (``海经函〔2024〕  号``). ``body`` replaces the generated text (the
    body-text convention: blank lines between paragraphs). ``contact_person``/``contact_phone``
    default to the organisation's; ``copy_to`` None uses the organisation's list.
    """

    date: date
    doc_number: DocNumber | str | None = None
    body: str | None = None
    closing: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    copy_to: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if isinstance(self.date, datetime) or not isinstance(self.date, date):
            raise ArgumentError(
                f"告知函日期应为日期（date），收到 {type(self.date).__name__}", argument="date"
            )
        if isinstance(self.doc_number, str):
            try:
                number = DocNumber.parse(self.doc_number)
            except ValidationError:
                raise ArgumentError(
                    f"{DOC_NUMBER_HINT}，而不是“{self.doc_number}”", argument="doc_number"
                ) from None
            object.__setattr__(self, "doc_number", number)

    @classmethod
    def of(cls, recorded: RecordedNotice) -> ExtensionNotice:
        """The notice recorded with a case (``case.extension_notice``)."""
        return cls(
            date=recorded.date,
            doc_number=recorded.doc_number,
            body=recorded.body,
            closing=recorded.closing,
        )

    def recorded(self) -> RecordedNotice:
        """The notice as the case records it (date, 发文字号, own text; not the contact and
        抄送 overrides, which are the letter's own)."""
        number = self.doc_number if isinstance(self.doc_number, DocNumber) else None
        try:
            return RecordedNotice(
                date=self.date, doc_number=number, body=self.body or None, closing=self.closing
            )
        except ValidationError as exc:
            field, message = error_list(exc)[0]
            raise ArgumentError(f"{field}：{message}", argument=field) from None


def notice_doc_number(notice: ExtensionNotice, org: Organisation) -> str:
    """The 发文字号 printed on the notice (normalised; blank serial when not given)."""
    if notice.doc_number is None:
        return f"{org.reply_code}〔{notice.date.year}〕{BLANK_SERIAL}号"
    return str(notice.doc_number)  # a str was parsed into a DocNumber on construction


def extension_title(case: Case) -> str:
    """``关于区政协十二届三次会议第8号提案延期办理的告知函``."""
    return f"关于{case_ref(case)}延期办理的告知函"


def approving_office(case: Case) -> str:
    """Who agrees to an extension: ``区政协提案委员会`` for 提案, ``区人大常委会`` for 建议."""
    level = case.session.level.value
    if case.session.body is Body.CPPCC:
        return f"{level}政协提案委员会"
    return f"{level}人大常委会"


def _reason(text: str) -> str:
    return text.strip().rstrip("。.；;，,")


def extension_body(case: Case, org: Organisation) -> str:
    """The generated text: the case (its session is in the title), the original deadline, the
    reason, who agreed, the new date, that the unit keeps at it, an apology — one short
    paragraph, so that with a short case title the notice, its closing, signature, 附注 and
    抄送 keep to one page."""
    config: Config = org.config
    you = proposer_pronoun(case, org)
    title = case.title.strip().strip("《》")
    new_date = format_date(case.extended_to) if case.extended_to else "（延期日期）"
    reason = _reason(case.extension_reason or "")
    because = f"因{reason.removeprefix('由于').removeprefix('因')}，" if reason else ""
    return (
        f"{you}提出的《{title}》（第{case.number}号）原定于{format_date(case.deadline(config))}"
        f"前答复。{because}经商{approving_office(case)}同意，延期至{new_date}前答复。"
        f"{org.self_name}将抓紧办理，不便之处，敬请谅解。"
    )


def extension_closing(case: Case, org: Organisation) -> str:
    """``感谢您对我局工作的理解和支持。`` (你们, 贵委… as the reply says: proposer_pronoun)."""
    return f"感谢{proposer_pronoun(case, org)}对{org.self_name}工作的理解和支持。"


def _note(notice: ExtensionNotice, org: Organisation) -> str:
    person = notice.contact_person or org.contact_person
    phone = notice.contact_phone or org.contact_phone
    parts = [f"联系人：{person}"] if person else []
    if phone:
        parts.append(f"联系电话：{phone}")
    return f"（{'，'.join(parts)}）" if parts else ""


def notice_copy_to(case: Case, notice: ExtensionNotice, org: Organisation) -> tuple[str, ...]:
    """抄送: the notice's own list, else the organisation's default and what the configuration
    adds for the case's body and for 延期办理告知函 (``config.copy_to``)."""
    if notice.copy_to is not None:
        return notice.copy_to
    extra = org.config.copy_to.units(case.kind.body, "延期办理告知函")
    return tuple(dict.fromkeys((*org.copy_to, *extra)))


def extension_context(case: Case, notice: ExtensionNotice, org: Organisation) -> dict[str, Any]:
    """The template context of the notice (the reply letter's keys)."""
    doc_number = notice_doc_number(notice, org)
    units = notice_copy_to(case, notice, org)
    dated = format_date(notice.date)
    return {
        "org_mark": org.mark,
        "doc_number": doc_number,
        "marks": "",
        # the letter's marks line (§10.1): the 发文字号 at the right under the double rule; a
        # notice has no class or disclosure marks (left, or top right of page 1)
        "mark_left": "",
        "mark_right": doc_number,
        "mark_top": "",
        "marks_right": False,
        "signer": "",
        "title": "\n".join(split_title(extension_title(case))),
        "salutation": proposer_salutation(case, org),
        "body": mark_anchor(body_blocks(notice.body or extension_body(case, org))),
        "closing": notice.closing if notice.closing is not None else extension_closing(case, org),
        "sign_org": org.name,
        "date": dated,
        "note": _note(notice, org),
        "copy_to": "，".join(units) + "。" if units else "",
        "issuer": org.issuing_office,
        "issue_date": dated,
        "is_opinion": False,
        # the letter's 附件说明 and attachments: a notice has none
        "attachment_notes": [],
        "attachments": [],
        **letterhead_context(org, dated),
        # a two-line mark or 联合行文 (organisation config), as in the reply letter
        **mark_rows_context(org),
    }


def with_notice(case: Case, notice: ExtensionNotice) -> Case:
    """``case`` with ``notice`` as its recorded notice (``case.extension_notice``), so that the
    case rules on the notice (GW290, GW291) check the letter about to be made."""
    return case.model_copy(update={"extension_notice": notice.recorded()})


def planned_notice(case: Case, org: Organisation) -> ExtensionNotice:
    """The notice a batch or an archive writes: the one recorded with the case (its date,
    发文字号 — blank serial when not given — and any text of its own). The plan yields a
    notice only for a case that records one."""
    recorded = case.extension_notice
    if recorded is None:
        raise DocumentError(
            f"{case.label}未录入延期办理告知函（case.extension_notice：告知函日期、告知函文号），"
            "不能生成延期办理告知函"
        )
    return ExtensionNotice.of(recorded)
