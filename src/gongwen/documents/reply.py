"""The reply letter (答复函) and the co-handler's opinion letter (协办意见): template contexts."""

from __future__ import annotations

import math
from typing import Any, Literal

from gongwen import standard as gb
from gongwen.documents.attachments import attachment_blocks
from gongwen.documents.blocks import body_blocks, mark_anchor
from gongwen.models.case import Case
from gongwen.models.organisation import Organisation, rows_fit
from gongwen.models.reply import Reply
from gongwen.models.wording import (
    attachment_label,
    attachment_name,
    contact_note,
    copy_to_line,
    is_opinion,
    reply_closing,
    reply_salutation,
    reply_title,
)
from gongwen.text.dates import format_date
from gongwen.text.titles import split_title

#: Context keys whose value holds several lines (kept through sanitising): the title, and the
#: organ mark of several lines (two-line mark, 联合行文) in the letter format.
MULTILINE_KEYS = frozenset({"title", "org_mark"})

Variant = Literal["letter", "file"]

#: Placeholders every reply/opinion template must contain (custom templates are checked).
REQUIRED_PLACEHOLDERS = frozenset({"org_mark", "title", "salutation", "body", "sign_org", "date"})
#: …and at least one placeholder of each group (the doc number sits in mark_left/right in letters).
REQUIRED_ANY = (frozenset({"doc_number", "mark_left", "mark_right"}),)
#: …and, when the reply has attachments, the 附件说明 and the attachment pages (§7.3.4, §7.3.7):
#: a custom template without them is refused rather than dropping the attachments silently.
ATTACHMENT_PLACEHOLDERS = frozenset({"attachment_notes", "attachments"})


#: What a template needs to set a mark of several lines (two-line mark, 联合行文): the letter
#: format moves its double rule down, the file format stacks the names beside one “文件”.
MARK_ROWS_PLACEHOLDERS = {
    "letter": frozenset({"letter_rows_emu", "letter_rows_twips"}),
    "file": frozenset({"mark_rows", "file_names_w", "file_word_w"}),
}


def required_placeholders(
    reply: Reply, org: Organisation | None = None, variant: str = "letter"
) -> tuple[frozenset[str], str]:
    """The placeholders a template must contain to render ``reply`` (for ``org``'s letterhead,
    in ``variant``), and what the document is called in the refusal (``TemplateError``:
    模板 … 不能用于{what}：缺少占位符 …) — attachments and a multi-line mark are never dropped
    silently (a template saved by LibreOffice loses the mark's layout placeholders)."""
    required, what = REQUIRED_PLACEHOLDERS, "答复函"
    if reply.attachments:
        required, what = required | ATTACHMENT_PLACEHOLDERS, "带附件的答复函（附件说明和附件页）"
    if org is not None and len(org.mark_rows) > 1:
        required |= MARK_ROWS_PLACEHOLDERS.get(variant, frozenset())
        what += "（多行发文机关标志或联合行文）"
    return required, what


def class_marks(reply: Reply, org: Organisation) -> str:
    """The result class and disclosure marks, e.g. ``A　全文公开`` ("" when neither applies)."""
    parts = [p for p in (reply.result_class, reply.disclosure) if p]
    return "　".join(parts)


def _mark_keys(prefix: str, fit: gb.LineFit | None) -> dict[str, int]:
    # a mark that cannot fit (warned by GW601) is set at the smallest size and scale
    fit = fit or gb.LineFit(gb.MARK_SIZES[-1], gb.MARK_MIN_SCALE)
    return {f"{prefix}_sz": fit.sz, f"{prefix}_w": fit.scale}


def letterhead_context(org: Organisation, issue_date: str = "") -> dict[str, Any]:
    """Size (``w:sz``) and character scale (``w:w``) of the organ mark in both formats, and the
    scale of the signature and 印发机关 lines, so that each prints on one line (GB/T 9704 §7.2.4,
    §10.1; computed from the text's length, applied by the templates).

    A mark of several lines (a two-line mark, or 联合行文 with 主办机关 first) is set at one size
    and scale for all its lines: the longest fits (:func:`mark_rows_context`)."""
    rows = org.mark_rows
    return {
        **_mark_keys("letter_mark", rows_fit(rows, file_format=False)),
        **_mark_keys("file_mark", rows_fit(rows, file_format=True)),
        "sign_org_w": gb.sign_org_scale(org.name) or gb.LINE_MIN_SCALE,
        "issuer_w": gb.issuer_scale(org.issuing_office, issue_date) or gb.LINE_MIN_SCALE,
    }


def mark_rows_context(org: Organisation) -> dict[str, Any]:
    """The organ mark's lines (``mark_rows``; ``org_mark`` with line breaks between them) and
    their layout: the letter format moves its upper double rule and the text under it down by
    one mark line per further line (``letter_rows_twips``/``letter_rows_emu``), the file format
    stacks the names with one “文件” at their right (``file_names_w``, ``file_gap_w``,
    ``file_word_w``: column widths in twips)."""
    rows = org.mark_rows
    ctx: dict[str, Any] = {
        "org_mark": "\n".join(rows),
        "mark_rows": list(rows),
        # the letter's mark line is an exact line of 小初 (its text box grows by one per line)
        "letter_rows_twips": (len(rows) - 1) * gb.XIAOCHU.twips,
        "letter_rows_emu": (len(rows) - 1) * round(gb.XIAOCHU.pt * gb.EMU_PER_PT),
    }
    fit = rows_fit(rows, file_format=True) or gb.LineFit(gb.MARK_SIZES[-1], gb.MARK_MIN_SCALE)
    em = fit.size.twips * fit.scale / 100
    names = math.ceil(max(gb.text_ems(r) for r in rows) * em)
    word = math.ceil(2 * em)
    gap = max(0, min(round(em / 2), gb.TEXT_WIDTH_TWIPS - names - word))
    ctx.update(file_names_w=names, file_word_w=word, file_gap_w=gap)
    return ctx


def attachments_context(reply: Reply) -> dict[str, list[dict[str, Any]]]:
    """``attachment_notes`` (the 附件说明 under the body, §7.3.4) and ``attachments`` (each on
    its own page after the closing block, §7.3.7), the content read from the files named.

    Raises :class:`~gongwen.errors.DocumentError` when a file is missing or cannot be attached.
    """
    atts = reply.attachments
    count = len(atts)
    return {
        "attachment_notes": [
            {"number": f"{i}." if count > 1 else "", "name": attachment_name(a)}
            for i, a in enumerate(atts, start=1)
        ],
        "attachments": [
            {
                "label": attachment_label(i, count),
                "title": attachment_name(a),
                "body": mark_anchor(attachment_blocks(a)),
                "last": i == count,
            }
            for i, a in enumerate(atts, start=1)
        ],
    }


def reply_context(case: Case, reply: Reply, org: Organisation) -> dict[str, Any]:
    """The template context of a reply (or, for a co-handled case, the opinion letter)."""
    marks = class_marks(reply, org)
    doc_number = str(reply.doc_number)
    # the 发文字号 always at the right under the double rule (§10.1); the class marks at its left
    # or (class_mark_side: right) at the top right of page 1 (file format: of line 1)
    right = org.config.class_mark_side == "right"
    mark_left, mark_top = ("", marks) if right else (marks, "")
    return {
        "org_mark": org.mark,
        "doc_number": doc_number,
        "marks": marks,
        "mark_left": mark_left,
        "mark_right": doc_number,
        "mark_top": mark_top,
        "marks_right": right,
        "signer": reply.signer or "",
        # broken into lines by meaning (GB/T 9704 §7.3.1); rendered as line breaks
        "title": "\n".join(split_title(reply_title(case, reply))),
        "salutation": reply_salutation(case, reply, org),
        "body": mark_anchor(body_blocks(reply.body)),
        "closing": reply_closing(case, reply, org),
        "sign_org": org.name,
        "date": format_date(reply.date),
        "note": contact_note(reply, org),
        "copy_to": copy_to_line(reply, org, case),
        "issuer": org.issuing_office,
        "issue_date": format_date(reply.date),
        "is_opinion": is_opinion(case),
        **attachments_context(reply),
        **letterhead_context(org, format_date(reply.date)),
        **mark_rows_context(org),
    }


def reply_template_name(case: Case, variant: Variant) -> str:
    """Which bundled template a reply uses. A co-handler's opinion (协办意见) is a letter
    (``co_opinion.docx``) or, with ``variant="file"``, a 文件格式 document with 版记 like a reply
    (the same template: title ``…的协办意见``, addressed to the lead unit, no closing sentence)."""
    if variant == "file":
        return "reply_file.docx"
    return "co_opinion.docx" if is_opinion(case) else "reply_letter.docx"
