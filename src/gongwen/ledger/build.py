"""One ledger row → a CaseRecord, with every bad cell reported (not only the first)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from gongwen.errors import error_list
from gongwen.findings import Finding, Severity, Subject
from gongwen.ledger import cells
from gongwen.ledger.bodies import body_file_names, read_body_file
from gongwen.ledger.columns import BY_KEY, REQUIRED, column_for, ignored_header
from gongwen.ledger.numbering import NumberSlot
from gongwen.ledger.read import LedgerError
from gongwen.ledger.session import parse_session
from gongwen.models._base import GwModel
from gongwen.models.case import Case
from gongwen.models.config import DEFAULT_CONFIG, ClassScheme
from gongwen.models.docnumber import DocNumber
from gongwen.models.enums import (
    AssistKind,
    Body,
    CaseKind,
    ContactMethod,
    HandlingRole,
    Pertinence,
    Rating,
    Round,
    Signing,
)
from gongwen.models.feedback import Feedback
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Reply
from gongwen.models.session import Session
from gongwen.models.year import (
    CaseKey,
    CaseRecord,
    DuplicateCases,
    FollowUp,
    case_key,
    describe_key,
)

__all__ = [
    "CELL",
    "DUPLICATE",
    "DUPLICATE_COLUMN",
    "UNDATED_CONTACT",
    "UNKNOWN_COLUMN",
    "UNNAMED_COSIGNERS",
    "CaseKey",
    "RowBuilder",
    "case_key",
    "column_letter",
]

T = TypeVar("T")

# Codes of ledger findings (outside the rule registry: they come from reading, not rules).
CELL = "L101"  #: a cell that cannot be read, or a row that does not make a valid case
DUPLICATE = "L102"  #: the same 类型, 届次 and 案号 as an earlier row
UNNAMED_COSIGNERS = "L103"  #: ``张建国等3人``: co-signers counted but not named (a warning)
#: The rule "contact the proposer before replying": a ledger that cannot tell (no 沟通日期)
#: turns its error into a warning naming the missing column (:meth:`RowBuilder.contact_unknown`).
CONTACT_RULE = "GW401"
UNDATED_CONTACT = "L104"  #: a 沟通方式 without a 沟通日期: a contact on an unknown date (warning)
UNKNOWN_COLUMN = "L201"  #: a header the reader does not know (the column is ignored)
DUPLICATE_COLUMN = "L202"  #: a second column for the same field (ignored)


# Cells whose presence means the row has a reply.
_REPLY_TRIGGERS = (
    "doc_number",
    "reply_date",
    "body",
    "result_class",
    "reply_title",
    "co_opinions",
    "class_reason",
    "signer",
)
# Model paths → ledger column keys (longest prefix first).
_PATHS: tuple[tuple[str, str], ...] = (
    ("case.session.region", "region"),
    ("case.session", "session"),
    ("case.kind", "kind"),
    ("case.number", "number"),
    ("case.title", "title"),
    ("case.proposers", "proposers"),
    ("case.merged", "merged_numbers"),
    ("case.text", "case_text"),
    ("case.attachments", "case_attachments"),
    ("case.assist_kind", "role"),
    ("case.category", "category"),
    ("case.assigned_date", "assigned_date"),
    ("case.role", "role"),
    ("case.unit", "unit"),
    ("case.lead_unit", "lead_unit"),
    ("case.co_units", "co_units"),
    ("case.joint_units", "joint_units"),
    ("case.key", "key"),
    ("case.consent_publish", "consent_publish"),
    ("case.time_limit_months", "time_limit"),
    ("case.extended_to", "extended_to"),
    ("case.extension_reason", "extension_reason"),
    ("case.extension_notice.date", "notice_date"),
    ("case.extension_notice.doc_number", "notice_doc_number"),
    ("case.extension_notice", "notice_date"),
    ("reply.doc_number", "doc_number"),
    ("reply.result_class", "result_class"),
    ("reply.class_reason", "class_reason"),
    ("reply.disclosure_reason", "disclosure_reason"),
    ("reply.disclosure", "disclosure"),
    ("reply.signer", "signer"),
    ("reply.date", "reply_date"),
    ("reply.title", "reply_title"),
    ("reply.contact_person", "contact_person"),
    ("reply.contact_phone", "contact_phone"),
    ("reply.body", "body"),
    ("reply.co_opinions", "co_opinions"),
    ("reply.contacts", "contact_date"),
    ("reply.uploaded_on", "uploaded_on"),
    ("feedback", "attitude"),
    ("rehandling.doc_number", "re_doc_number"),
    ("rehandling.date", "re_date"),
    ("rehandling.result_class", "re_class"),
    ("rehandling.body", "re_body"),
    ("rehandling.contacts", "re_contact_date"),
    # the same columns when 后续答复类型 is 跟踪答复 (the row's follow-up reply)
    ("follow_ups[0].reply.doc_number", "re_doc_number"),
    ("follow_ups[0].reply.date", "re_date"),
    ("follow_ups[0].reply.result_class", "re_class"),
    ("follow_ups[0].reply.body", "re_body"),
    ("follow_ups[0].reply.contacts", "re_contact_date"),
    ("follow_ups[0].kind", "re_kind"),
)
# Ledger column keys → the model field a finding names (the first path of each key above).
_FIELDS: dict[str, str] = {
    **{key: path for path, key in reversed(_PATHS)},
    "contact_method": "reply.contacts",
    "re_contact_method": "rehandling.contacts",
    "result": "feedback",
    "pertinence": "feedback",
    "opinion": "feedback",
    "feedback_date": "feedback",
}
# Model-level (cross-field) messages → the column to blame, by a word in the message.
_MODEL_WORDS: tuple[tuple[str, str], ...] = (
    ("届次", "session"),
    ("承办单位", "unit"),
    ("会办单位", "joint_units"),
    ("主办单位", "lead_unit"),
    ("告知函", "notice_date"),
    ("延期", "extended_to"),
    ("并案", "merged_numbers"),
)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class RowBuilder:
    """Builds CaseRecords from the rows of one ledger (remembers 案号 seen, for duplicates)."""

    def __init__(
        self,
        headers: list[str | None],
        *,
        sheet: bool,
        header_row: int = 1,
        organisation: Organisation | None = None,
        bodies: Path | None = None,
    ) -> None:
        self.sheet = sheet
        self._header_row = header_row
        self.org = organisation
        self.scheme: ClassScheme = (
            organisation.config if organisation else DEFAULT_CONFIG
        ).class_scheme
        self.header_problems: list[Finding] = []
        self.index: dict[str, int] = {}
        self.headers = headers
        for i, h in enumerate(headers):
            if h is None or ignored_header(h):
                continue
            col = column_for(h)
            if col is None:
                self._header_warning(
                    UNKNOWN_COLUMN, i, h, f'不认识的列名"{h}"，该列已忽略（可用列名见文档）'
                )
            elif col.key in self.index:
                first = self.headers[self.index[col.key]]
                self._header_warning(DUPLICATE_COLUMN, i, h, f"与“{first}”列重复，该列已忽略")
            else:
                self.index[col.key] = i
        missing = [BY_KEY[k].header for k in sorted(REQUIRED) if k not in self.index]
        if missing:
            raise LedgerError("台账缺少必需的列：" + "、".join(missing) + "（列名及别名见文档）")
        self.seen = DuplicateCases()
        #: Numbers given to replies the ledger leaves unnumbered: row → slot → number text
        #: (see :mod:`gongwen.ledger.numbering`); a reply without one gets a blank number.
        self.numbers: dict[int, dict[str, str]] = {}
        self.body_files: dict[str, Path] = {}
        if bodies is not None:
            if not bodies.is_dir():
                raise LedgerError(f"正文文件夹不存在：{bodies}")
            self.body_files = {p.name: p for p in bodies.iterdir() if p.is_file()}

    def _letter(self, index: int) -> str | None:
        return column_letter(index + 1) if self.sheet else None

    def letter_of(self, index: int) -> str | None:
        """The column letter of the 0-based cell ``index`` (None for JSON/YAML rows)."""
        return self._letter(index)

    def index_of(self, letter: str) -> int | None:
        """The 0-based cell index of a column letter (None when not a column of this ledger)."""
        for i in range(len(self.headers)):
            if self._letter(i) == letter:
                return i
        return None

    def _header_warning(self, code: str, index: int, header: str, message: str) -> None:
        self.header_problems.append(
            Finding(
                code,
                Severity.WARNING,
                Subject.LEDGER,
                "",
                message,
                row=self._header_row if self.sheet else 0,
                column=self._letter(index),
                header=header,
                sheet=self.sheet,
            )
        )

    def problem(
        self,
        row: int,
        key: str | None,
        message: str,
        code: str = CELL,
        severity: Severity = Severity.ERROR,
    ) -> Finding:
        """An error (or ``severity``) at the cell of column ``key`` (row-level when None)."""
        column = header = None
        if key in self.index:
            i = self.index[key]
            column, header = self._letter(i), self.headers[i]
        elif key is not None:
            header = BY_KEY[key].header
        path = _FIELDS.get(key, "") if key is not None else ""
        return Finding(
            code,
            severity,
            Subject.LEDGER,
            path,
            ledger_words(message),
            row=row,
            column=column,
            header=header,
            sheet=self.sheet,
        )

    def _body_file(self, kind: CaseKind, number: int, suffix: str = "") -> Path | None:
        stems = (f"{kind.value}{number:03d}", f"{kind.value}{number}", f"{number:03d}", f"{number}")
        for name in body_file_names(stems, suffix):
            if name in self.body_files:
                return self.body_files[name]
        return None

    def locate(self, finding: Finding, row: int | None) -> Finding:
        """A check finding about this ledger's row: the row, the column whose cell it is about
        (its own header), and the message in the ledger's words (headers, not model fields)."""
        if row is None:
            return finding
        key = _key_for(finding.path, finding.message) if finding.path else None
        column = header = None
        if key is not None:
            if key in self.index:
                i = self.index[key]
                column, header = self._letter(i), self.headers[i]
            else:
                header = BY_KEY[key].header
        return replace(
            finding,
            row=row,
            column=finding.column or column,
            header=finding.header or header,
            sheet=self.sheet,
            message=ledger_words(finding.message, self._header_of),
        )

    def contact_unknown(self, finding: Finding, undated: set[str]) -> Finding:
        """The finding of the "contact before the reply" rule when the ledger cannot tell: a
        warning naming the missing column (the 沟通日期 of a 沟通方式 given without it, or a
        ledger with no 沟通 columns at all) instead of an error."""
        if finding.code != CONTACT_RULE or not finding.path.endswith(".contacts"):
            return finding
        again = finding.path.startswith(("rehandling", "follow_ups"))
        date_key = "re_contact_date" if again else "contact_date"
        method_key = "re_contact_method" if again else "contact_method"
        if finding.path in undated:
            note = (
                f"（「{self._header_of(method_key)}」已填写，但「{self._header_of(date_key)}」为空，"
                f"无法确认沟通在答复之前：请补填「{self._header_of(date_key)}」）"
            )
        elif date_key not in self.index and method_key not in self.index:
            note = (
                f"（台账没有「{BY_KEY[date_key].header}」列，无法确认答复前是否与提案人沟通："
                f"请增加「{BY_KEY[method_key].header}」「{BY_KEY[date_key].header}」两列）"
            )
        else:
            return finding
        return replace(finding, severity=Severity.WARNING, message=finding.message + note)

    def _header_of(self, key: str) -> str:
        if key in self.index:
            return self.headers[self.index[key]] or BY_KEY[key].header
        return BY_KEY[key].header

    def build(self, row: int, values: list[Any]) -> tuple[CaseRecord | None, list[Finding]]:
        """The record of one row, or None with the problems. A blank row gives ``(None, [])``.

        Rows must come in order: a 案号 seen in an earlier row is reported as a duplicate. With a
        record, the problems are warnings only (e.g. co-signers not named).
        """
        record, problems = self.make(row, values)
        if record is None:
            return None, problems
        dup = self.claim(row, case_key(record))
        return (None, [dup]) if dup is not None else (record, problems)

    def claim(self, row: int, key: CaseKey) -> Finding | None:
        """Remember a row's 案号 (see :func:`case_key`); the problem when an earlier row has it."""
        first = self.seen.claim(key, row)
        if first is None:
            return None
        return self.problem(
            row,
            "number",
            f"案号重复：与第{first}{'行' if self.sheet else '条'}同为{describe_key(key)}",
            DUPLICATE,
        )

    def _cell(self, values: list[Any], key: str) -> Any:
        """The stripped value of column ``key`` in a row, or None when absent or blank."""
        i = self.index.get(key)
        if i is None or i >= len(values) or cells.is_blank(values[i]):
            return None
        v = values[i]
        return v.strip() if isinstance(v, str) else v

    def number_slots(self, row: int, values: list[Any]) -> list[NumberSlot]:
        """The replies of a row with their series and serial, for numbering (a quick read of the
        few cells it needs; a row that cannot be read gives none, its problems come later)."""
        if self.org is None or all(cells.is_blank(v) for v in values):
            return []

        def raw(key: str) -> Any:
            return self._cell(values, key)

        def read(key: str, fn: Callable[[Any], T]) -> T | None:
            v = raw(key)
            try:
                return fn(v) if v is not None else None
            except ValueError:
                return None

        kind = read("kind", cells.to_kind)
        session = read("session", parse_session)
        number = read("number", cells.to_number)
        if session is None or number is None:
            return []
        if session["body"] is None and kind is not None:
            session["body"] = kind.body
        if kind is None and session["body"] is not None:
            kind = CaseKind.SUGGESTION if session["body"] is Body.NPC else CaseKind.PROPOSAL
        region = read("region", cells.to_text)
        if region:
            session["region"] = region
        try:
            display = Session.model_validate(session).display
        except ValueError:
            return []
        if kind is None:
            return []
        case = describe_key((kind.value, display, number))
        role = read("role", cells.to_role)
        assigned = read("assigned_date", cells.to_date)
        out: list[NumberSlot] = []
        has_body = raw("body") is not None or self._body_file(kind, number) is not None
        if has_body or any(raw(k) is not None for k in _REPLY_TRIGGERS):
            when = read("reply_date", cells.to_date) or assigned
            out += self._slot(row, case, "reply", raw("doc_number"), role, when)
        has_again = raw("re_body") is not None or self._body_file(kind, number, "-重新办理")
        if has_again or any(raw(k) is not None for k in ("re_doc_number", "re_date", "re_class")):
            when = read("re_date", cells.to_date)
            out += self._slot(row, case, "rehandling", raw("re_doc_number"), role, when)
        return out

    def _slot(
        self,
        row: int,
        case: str,
        slot: str,
        value: Any,
        role: HandlingRole | None,
        when: date | None,
    ) -> list[NumberSlot]:
        assert self.org is not None
        if value is None:
            if when is None:
                return []
            code = self.org.series_code(role is HandlingRole.ASSIST)
            return [NumberSlot(row, case, slot, code, when.year, None)]
        try:
            dn = DocNumber.parse(self._doc_number(value, role, when))
        except ValueError:
            return []
        return [NumberSlot(row, case, slot, dn.code, dn.year, dn.serial)]

    def make(self, row: int, values: list[Any]) -> tuple[CaseRecord | None, list[Finding]]:
        """The record of one row on its own (no duplicate check; safe in worker processes).

        With a record, the problems are the row's warnings (never an error).
        """
        if all(cells.is_blank(v) for v in values):
            return None, []
        problems: list[Finding] = []
        warnings: list[Finding] = []
        failed: set[str] = set()

        def raw(key: str) -> Any:
            return self._cell(values, key)

        def conv(key: str, fn: Callable[[Any], T]) -> T | None:
            v = raw(key)
            if v is None:
                return None
            try:
                return fn(v)
            except ValueError as exc:
                problems.append(self.problem(row, key, str(exc)))
                failed.add(key)
                return None

        def fail(key: str, message: str) -> None:
            problems.append(self.problem(row, key, message))
            failed.add(key)

        for key in sorted(REQUIRED, key=lambda k: self.index[k]):
            if raw(key) is None:
                fail(key, "不能为空")

        # ── case ──
        kind = conv("kind", cells.to_kind)
        session = conv("session", parse_session)
        if session is not None:
            region = conv("region", cells.to_text)
            if region:
                session["region"] = region
            if session["body"] is None:
                if kind is not None:
                    session["body"] = kind.body
                elif "kind" not in failed:
                    fail(
                        "session", "无法判断是建议还是提案：请填写“类型”列，或在届次中写明人大/政协"
                    )
                    failed.add("kind")
            if kind is None and session["body"] is not None and "kind" not in failed:
                kind = CaseKind.SUGGESTION if session["body"] is Body.NPC else CaseKind.PROPOSAL
        if kind is None and "kind" not in failed and "session" not in failed:
            fail("kind", "不能为空")
        number = conv("number", cells.to_number)
        signers = conv("proposers", cells.to_signers)
        proposers, unnamed = signers if signers is not None else (None, 0)
        if unnamed and proposers:
            proposers[-1]["unnamed_cosigners"] = unnamed
            lead = proposers[0]["name"]
            warnings.append(
                self.problem(
                    row,
                    "proposers",
                    f"只列出了“{'、'.join(p['name'] for p in proposers)}”，另外{unnamed}位联名人"
                    f"没有列出姓名：称谓写作“{lead}等{unnamed + len(proposers)}位……”，"
                    "征询意见表只发给列名的提案人（请在本列列出全部姓名）",
                    UNNAMED_COSIGNERS,
                    Severity.WARNING,
                )
            )
        seconders = conv("seconders", cells.to_proposers)
        if seconders and proposers is not None:
            proposers += [{**p, "signing": Signing.SECONDER} for p in seconders]
        role = conv("role", cells.to_role)
        role_text = raw("role")
        joint = isinstance(role_text, str) and role_text.replace(" ", "").startswith("会办")
        assigned = conv("assigned_date", cells.to_date)
        case: dict[str, Any] = {
            "kind": kind,
            "number": number,
            "title": conv("title", cells.to_text),
            "session": session if session is not None and session["body"] is not None else None,
            "proposers": proposers,
            "category": conv("category", cells.to_text),
            "assigned_date": assigned,
            "role": role,
            "unit": conv("unit", _unit_name),
            "lead_unit": conv("lead_unit", cells.to_text),
            "co_units": conv("co_units", cells.split_list),
            "joint_units": conv("joint_units", cells.split_list),
            "key": conv("key", cells.to_bool),
            "consent_publish": conv("consent_publish", cells.to_bool),
            "time_limit_months": conv("time_limit", cells.to_int),
            "extended_to": conv("extended_to", cells.to_date),
            "extension_reason": conv("extension_reason", cells.to_text),
            "extension_notice": self._notice(conv, raw, role, assigned),
            "assist_kind": AssistKind.JOINT if joint and role is HandlingRole.ASSIST else None,
            "merged": conv("merged_numbers", _numbers),
            "text": conv("case_text", cells.to_multiline),
            "attachments": conv("case_attachments", cells.split_list),
        }
        names = [p["name"] for p in proposers or []]

        # ── reply ──
        reply_date = conv("reply_date", cells.to_date)
        body = conv("body", cells.to_multiline)
        if body is None and "body" not in failed and kind is not None and number is not None:
            path = self._body_file(kind, number)
            if path is not None:
                try:
                    body = read_body_file(path)
                except (OSError, ValueError) as exc:
                    fail("body", str(exc))
        has_reply = body is not None or any(raw(k) is not None for k in _REPLY_TRIGGERS)
        reply: dict[str, Any] | None = None
        if has_reply:
            if body is None and "body" not in failed:
                label = f"{kind.value}{number:03d}" if kind and number else "案号"
                fail(
                    "body",
                    f"缺少答复正文（填写本列，或在正文文件夹中放 {label}.txt 或 {label}.docx）",
                )
            contact_method = conv(
                "contact_method", lambda v: cells.to_enum(ContactMethod, v, "沟通方式")
            )
            contacts: list[dict[str, Any]] = []
            contact_date = conv("contact_date", cells.to_date)
            if contact_date is not None:
                if contact_method is None and "contact_method" not in failed:
                    fail("contact_method", "填写沟通日期时须填写沟通方式")
                else:
                    contacts.append(
                        {"date": contact_date, "method": contact_method, "people": names}
                    )
            elif contact_method is not None and contact_method is not ContactMethod.NONE:
                warnings.append(self._undated(row, "contact_date", contact_method))
            doc_number: Any = conv(
                "doc_number", lambda v: self._doc_number(v, role, reply_date or assigned)
            )
            if doc_number is None and "doc_number" not in failed:
                doc_number = self._assigned(row, "reply", role, reply_date or assigned)
            reply = {
                "doc_number": doc_number,
                "date": reply_date,
                "result_class": conv("result_class", self._result_class),
                "class_reason": conv("class_reason", cells.to_text),
                "disclosure": conv("disclosure", self._disclosure),
                "disclosure_reason": conv("disclosure_reason", cells.to_text),
                "signer": conv("signer", cells.to_text),
                "title": conv("reply_title", cells.to_text),
                "contact_person": conv("contact_person", cells.to_text),
                "contact_phone": conv("contact_phone", cells.to_text),
                "body": body,
                "co_opinions": conv("co_opinions", _co_opinions),
                "contacts": contacts,
                "uploaded_on": conv("uploaded_on", cells.to_date),
            }
        else:
            contact_method = conv(
                "contact_method", lambda v: cells.to_enum(ContactMethod, v, "沟通方式")
            )

        # ── re-handling reply (重新办理) ──
        rehandling = self._rehandling(row, conv, fail, raw, kind, number, role, reply, warnings)

        # ── feedback ──
        feedback = self._feedback(row, conv, fail, names, contact_method)

        # Validate what was read even after a bad cell, so every other bad cell is reported too.
        # Each part is validated on its own so messages name the part's own fields.
        parts: list[tuple[str, type[GwModel], dict[str, Any]]] = [
            ("case", Case, {k: v for k, v in case.items() if v is not None}),
        ]
        if reply is not None:
            parts.append(("reply", Reply, {k: v for k, v in reply.items() if v is not None}))
        again_slot = "rehandling"
        if rehandling is not None:
            if rehandling["round"] is Round.TRACKING:
                again_slot = "follow_ups[0].reply"
            parts.append(
                (again_slot, Reply, {k: v for k, v in rehandling.items() if v is not None})
            )
        parts += [(f"feedback[{i}]", Feedback, fb) for i, fb in enumerate(feedback)]
        built: dict[str, Any] = {}
        for prefix, model, fields in parts:
            try:
                built[prefix] = model.model_validate(fields)
            except ValidationError as exc:
                for (where, message), err in zip(
                    error_list(exc, prefix), exc.errors(), strict=True
                ):
                    column = _key_for(where, message)
                    if column is not None and column in failed:
                        continue
                    if column is None and failed:
                        continue  # a consequence of a cell already reported
                    problems.append(
                        self.problem(row, column, _cell_message(column, err["type"], message))
                    )
        if problems:
            return None, problems
        record = CaseRecord(
            case=built["case"],
            reply=built.get("reply"),
            rehandling=built.get("rehandling"),
            follow_ups=(
                (FollowUp(kind=Round.TRACKING, reply=built[again_slot]),)
                if again_slot in built and again_slot != "rehandling"
                else ()
            ),
            feedback=tuple(v for k, v in built.items() if k.startswith("feedback")),
        )
        return record, [replace(w, case=record.case.label) for w in warnings]

    def _notice(
        self,
        conv: Callable[[str, Callable[[Any], Any]], Any],
        raw: Callable[[str], Any],
        role: HandlingRole | None,
        assigned: date | None,
    ) -> dict[str, Any] | None:
        """The extension notice sent (告知函日期, 告知函文号), or None when neither is given."""
        if raw("notice_date") is None and raw("notice_doc_number") is None:
            return None
        when = conv("notice_date", cells.to_date)
        number = conv("notice_doc_number", lambda v: self._doc_number(v, role, when or assigned))
        return {k: v for k, v in (("date", when), ("doc_number", number)) if v is not None}

    def _undated(self, row: int, key: str, method: ContactMethod) -> Finding:
        method_key = "contact_method" if key == "contact_date" else "re_contact_method"
        return self.problem(
            row,
            key,
            f"填写了{self._header_of(method_key)}“{method.value}”，但「{self._header_of(key)}」为空：按日期不明的沟通处理，"
            f"“答复前须与提案人沟通”的检查需要「{self._header_of(key)}」，请补填",
            UNDATED_CONTACT,
            Severity.WARNING,
        )

    def _assigned(
        self, row: int, slot: str, role: HandlingRole | None, when: date | None
    ) -> DocNumber | str | None:
        """The number given to a reply the ledger leaves unnumbered, or a blank one."""
        given = self.numbers.get(row, {}).get(slot)
        if given is not None:
            return given
        if when is None:
            return None  # the missing date is reported on its own
        code = self.org.series_code(role is HandlingRole.ASSIST) if self.org else ""
        return DocNumber.pending(code, when.year)

    def _rehandling(
        self,
        row: int,
        conv: Callable[[str, Callable[[Any], Any]], Any],
        fail: Callable[[str, str], None],
        raw: Callable[[str], Any],
        kind: CaseKind | None,
        number: int | None,
        role: HandlingRole | None,
        reply: dict[str, Any] | None,
        warnings: list[Finding],
    ) -> dict[str, Any] | None:
        body = conv("re_body", cells.to_multiline)
        if body is None and kind is not None and number is not None:
            path = self._body_file(kind, number, "-重新办理")
            if path is not None:
                try:
                    body = read_body_file(path)
                except (OSError, ValueError) as exc:
                    fail("re_body", str(exc))
        if body is None and all(raw(k) is None for k in ("re_doc_number", "re_date", "re_class")):
            conv("re_kind", _follow_up_kind)  # a bad 后续答复类型 is reported all the same
            return None
        kind_of = conv("re_kind", _follow_up_kind) or Round.AGAIN
        if body is None:
            fail(
                "re_body", f"缺少{'跟踪答复' if kind_of is Round.TRACKING else '重新办理答复'}正文"
            )
        when = conv("re_date", cells.to_date)
        contacts = []
        method = conv("re_contact_method", lambda v: cells.to_enum(ContactMethod, v, "沟通方式"))
        contact_date = conv("re_contact_date", cells.to_date)
        if contact_date is not None:
            if method is None:
                fail("re_contact_method", "填写沟通日期时须填写沟通方式")
            else:
                contacts.append({"date": contact_date, "method": method})
        elif method is not None and method is not ContactMethod.NONE:
            warnings.append(self._undated(row, "re_contact_date", method))
        doc_number: Any = conv("re_doc_number", lambda v: self._doc_number(v, role, when))
        if doc_number is None and raw("re_doc_number") is None:
            doc_number = self._assigned(row, "rehandling", role, when)
        return {
            "contacts": contacts,
            "doc_number": doc_number,
            "date": when,
            "result_class": conv("re_class", self._result_class),
            "disclosure": reply.get("disclosure") if reply else None,
            "body": body,
            "round": kind_of,
            "previous": reply.get("doc_number") if reply else None,
        }

    def _doc_number(self, value: Any, role: HandlingRole | None, when: date | None) -> str:
        text = cells.to_text(value)
        if not re.fullmatch(r"\d+", text):
            return text
        if self.org is None:
            raise ValueError(
                f'发文字号只写序号"{text}"时须提供承办单位配置（--org），或写全如"临经信函〔2024〕11号"'
            )
        code = self.org.reply_code
        if role is HandlingRole.ASSIST and self.org.opinion_code:
            code = self.org.opinion_code
        if when is None:
            raise ValueError(f'发文字号只写序号"{text}"时须填写答复日期')
        return f"{code}〔{when.year}〕{int(text)}号"

    def _disclosure(self, value: Any) -> str:
        """公开属性 as offices write it: the vocabulary's own words, or 公开/不公开/依申请 …"""
        text = cells.to_text(value)
        vocab = (self.org.config if self.org else DEFAULT_CONFIG).disclosure_vocabulary
        short = _DISCLOSURE_SHORT.get(text.replace(" ", ""))
        if short is None or text in vocab:
            return text
        return next((w for w in short if w in vocab), short[0])

    def _result_class(self, value: Any) -> str:
        text = cells.to_text(value)
        found = self.scheme.get(text)
        if found is None:
            raise ValueError(
                f"答复类别应为{'、'.join(self.scheme.codes)}之一（{self.scheme.name}方案），"
                f'而不是"{text}"'
            )
        return found.code

    def _feedback(
        self,
        row: int,
        conv: Callable[[str, Callable[[Any], Any]], Any],
        fail: Callable[[str, str], None],
        names: list[str],
        contact_method: ContactMethod | None,
    ) -> list[dict[str, Any]]:
        ratings: dict[str, list[tuple[str | None, Any]]] = {}
        scale = (self.org.config if self.org else DEFAULT_CONFIG).rating_scale.words
        for key, (what, enum) in (
            ("attitude", ("态度评价", Rating)),
            ("result", ("结果评价", Rating)),
            ("pertinence", ("针对性", Pertinence)),
        ):
            words = scale if enum is Rating else tuple(enum)
            got = conv(key, _ratings_reader(what, enum, words))
            if got:
                ratings[key] = got
        opinion = conv("opinion", cells.to_multiline)
        when = conv("feedback_date", cells.to_date)
        if not ratings and opinion is None and when is None:
            return []
        lead = names[0] if names else None
        forms: dict[str, dict[str, Any]] = {}
        for key, pairs in ratings.items():
            for name, value in pairs:
                who = name or lead
                if who is None:
                    continue
                if names and who not in names:
                    fail(key, f"“{who}”不是本件的提案人（{'、'.join(names)}）")
                    continue
                forms.setdefault(who, {"proposer": who})[key] = value
        if not forms and lead is not None:
            forms[lead] = {"proposer": lead}
        out = []
        for i, form in enumerate(forms.values()):
            if contact_method is not None:
                form["contact_method"] = contact_method
            if when is not None:
                form["date"] = when
            if opinion is not None and i == 0:
                form["opinion"] = opinion
            out.append(form)
        return out


#: Short disclosure words → the vocabulary words they mean, in order of preference.
_DISCLOSURE_SHORT: dict[str, tuple[str, ...]] = {
    "公开": ("全文公开", "主动公开"),
    "全文": ("全文公开",),
    "摘要": ("摘要公开",),
    "主动": ("主动公开",),
    "依申请": ("依申请公开",),
    "不公开": ("不予公开",),
    "不予": ("不予公开",),
    "否": ("不予公开",),
}


def _ratings_reader(
    what: str, enum: type[StrEnum], words: tuple[StrEnum, ...]
) -> Callable[[Any], list[tuple[str | None, Any]]]:
    """Ratings of a cell, refused (listing ``words``) unless one of ``words`` — for 态度评价
    and 结果评价 the words of the configured rating scale (``Config.rating_scale``)."""
    allowed = "、".join(w.value for w in words)

    def read(value: Any) -> list[tuple[str | None, Any]]:
        try:
            got = list(cells.to_ratings(value, what, enum))
        except ValueError as exc:
            raise ValueError(str(exc).replace("、".join(m.value for m in enum), allowed)) from None
        for _, v in got:
            if v not in words:
                raise ValueError(f'{what}应为以下之一：{allowed}，而不是"{v.value}"')
        return got

    return read


def _follow_up_kind(value: Any) -> Round:
    """后续答复类型: 重新办理 or 跟踪答复."""
    kind = cells.to_enum(Round, value, "后续答复类型")
    if kind is Round.FIRST:
        raise ValueError('后续答复类型应为“重新办理”或“跟踪答复”，而不是"初次办理"')
    return kind


def _unit_name(value: Any) -> str:
    """承办单位: one unit's name (a cell naming two units is refused)."""
    text = cells.to_text(value)
    if len(cells.split_list(text)) > 1 or "\n" in text:
        raise ValueError(f"承办单位只能写一个单位，而不是“{text}”（每个单位的案件各占一行）")
    return text


def _numbers(value: Any) -> list[int]:
    """并案案号: ``12、15`` (each as the 案号 column accepts it: 12号、第12号、012)."""
    return [cells.to_number(part) for part in cells.split_list(value)]


def _co_opinions(value: Any) -> list[dict[str, str]]:
    out = []
    for line in cells.to_multiline(value).split("\n"):
        if not line.strip():
            continue
        m = re.match(r"^\s*([^:：]+?)\s*[:：]\s*(.+)$", line)
        if not m:
            raise ValueError(f'协办意见应每行写作“单位：意见摘要”，而不是"{line.strip()}"')
        out.append({"unit": m.group(1), "summary": m.group(2).strip()})
    return out


_OUTER_TITLES = re.compile(r"^「(?:案件|答复|重新办理答复|征询意见|届次|提案人)」")


def _cell_message(key: str | None, etype: str, message: str) -> str:
    """Say the cell's own name (nested model errors carry the outer field's title)."""
    if key is None:
        return message
    if etype == "missing":
        return "不能为空"
    return _OUTER_TITLES.sub(f"「{BY_KEY[key].header}」", message)


def _key_for(path: str, message: str) -> str | None:
    for prefix, key in _PATHS:
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return key
    if path in ("case", "reply", "rehandling", "follow_ups[0].reply", ""):
        for word, key in _MODEL_WORDS:
            if word in message:
                return key
    return None


# Model field names that messages may mention, → the ledger column key they are read from.
_FIELD_WORDS: dict[str, str] = {
    **{path: key for path, key in _PATHS},
    **{path.rsplit(".", 1)[-1]: key for path, key in _PATHS if "." in path},
    **{key: key for key in BY_KEY},
    "time_limit_months": "time_limit",
    "rehandling": "re_body",
    "contacts": "contact_date",
}
_FIELD_WORDS.pop("date", None)  # ambiguous (reply, rehandling, feedback)
_FIELD_WORDS.pop("body", None)
_FIELD_WORDS["body"] = "body"
_FIELD_TOKEN = re.compile(
    r"(?P<titled>「[^」]*」)?(?P<open>[（(])?(?<![A-Za-z_.])"
    r"(?P<word>[a-z][a-z_]*(?:\.[a-z_]+)*)(?![A-Za-z_.])(?P<close>[）)])?"
)


def ledger_words(message: str, header_of: Callable[[str], str] | None = None) -> str:
    """``message`` with model field names (``class_reason``, ``rehandling``,
    ``「发文字号」(doc_number)``) said as the ledger's column headers."""
    name = header_of or (lambda k: BY_KEY[k].header)

    def sub(m: re.Match[str]) -> str:
        key = _FIELD_WORDS.get(m.group("word"))
        if key is None:
            return m.group(0)
        titled = m.group("titled") or ""
        paren = m.group("open") and m.group("close")
        header = name(key)
        said = (
            f"重新办理各列，如「{header}」"
            if m.group("word") == "rehandling"
            else f"「{header}」列"
        )
        if titled and paren:
            return f"「{header}」"
        if paren:
            return f"{titled}（{said}）"
        return f"{titled}{m.group('open') or ''}{said}{m.group('close') or ''}"

    return _FIELD_TOKEN.sub(sub, message)
