"""The case page's edit form: form fields → a :class:`CaseRecord`, and findings → form fields.

The form edits one reply of a case, named by a *target*: ``reply`` (the first reply),
``rehandling`` (the older single re-handling slot) or ``follow-1``, ``follow-2`` … (the
follow-ups, ``follow_ups[0]`` …). Fields the form does not show (办理轮次、前次答复文号 …) are
kept from the stored reply. A value the
model refuses becomes a finding on that field, like a rule's finding, so the page shows both the
same way beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from gongwen.errors import InputError, error_list
from gongwen.findings import Finding, Severity, Subject
from gongwen.models.enums import Round
from gongwen.models.reply import Reply
from gongwen.models.year import FOLLOW_UP_KINDS, CaseRecord

#: The replies of a record the form can edit besides its follow-ups (``follow-1`` …).
TARGETS = ("reply", "rehandling")
#: Prefix of a follow-up's target: ``follow-1`` is ``follow_ups[0]``.
FOLLOW_PREFIX = "follow-"
#: Code of a finding made from a value the model refuses (not a rule of the registry).
INVALID = "输入"

#: Single-value text fields of the form, in page order, with their Chinese labels.
TEXT_FIELDS: dict[str, str] = {
    "doc_number": "发文字号",
    "date": "成文日期",
    "result_class": "答复类别",
    "class_reason": "暂不能解决的原因",
    "disclosure": "公开属性",
    "disclosure_reason": "不予公开理由",
    "signer": "签发人",
    "title": "标题",
    "salutation": "称谓",
    "body": "正文",
    "closing": "结束语",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
}
#: Repeated groups of the form: group → its sub-fields.
GROUPS: dict[str, tuple[str, ...]] = {
    "contacts": ("date", "method", "people", "note"),
    "co_opinions": ("unit", "summary", "date"),
    "attachments": ("title", "file"),
}
#: Fields shown on the page (beside which findings appear); others go to "其他问题".
FORM_FIELDS = (*TEXT_FIELDS, "copy_to", *GROUPS)
#: Blank rows offered after the filled ones in each repeated group.
SPARE_ROWS = 2
#: Most rows of one group accepted from a form (a bigger form is refused, not cut).
MAX_ROWS = 200


def follow_target(index: int) -> str:
    """The target of ``follow_ups[index]``: ``follow-1`` for index 0."""
    return f"{FOLLOW_PREFIX}{index + 1}"


def follow_index(target: str) -> int | None:
    """``follow-1`` → 0; None for a target that is not a follow-up."""
    number = target.removeprefix(FOLLOW_PREFIX)
    if number == target or not number.isdigit() or int(number) < 1:
        return None
    return int(number) - 1


def is_target(value: str) -> bool:
    """True for ``reply``, ``rehandling`` and ``follow-N``."""
    return value in TARGETS or follow_index(value) is not None


def reply_path(target: str) -> str:
    """The field path of the target's reply: ``reply``, ``follow_ups[0].reply``."""
    n = follow_index(target)
    return f"follow_ups[{n}].reply" if n is not None else target


def target_reply(record: CaseRecord, target: str) -> Reply | None:
    """The reply ``target`` names in ``record`` (None when there is no such reply yet)."""
    n = follow_index(target)
    if n is not None:
        return record.follow_ups[n].reply if n < len(record.follow_ups) else None
    reply: Reply | None = getattr(record, target)
    return reply


def target_of(path: str) -> str:
    """The target of a round's reply path (:attr:`HandlingRound.path`): ``follow_ups[0].reply``
    → ``follow-1``."""
    if path.startswith("follow_ups["):
        return follow_target(int(path.removeprefix("follow_ups[").split("]", 1)[0]))
    return path


@dataclass(frozen=True)
class Tab:
    """One reply of a case as a tab of the case page."""

    target: str
    label: str


def tabs(record: CaseRecord) -> list[Tab]:
    """Every reply of the record by date, labelled as the staff call them: 首次答复,
    重新办理答复, 跟踪答复, 跟踪答复2 … (numbered as the documents are)."""
    out: list[Tab] = []
    seen: dict[Round, int] = {}
    for rnd in record.rounds:
        seen[rnd.kind] = seen.get(rnd.kind, 0) + 1
        if rnd.kind is Round.FIRST:
            label = "首次答复"
        else:
            label = rnd.name if seen[rnd.kind] == 1 else f"{rnd.name}{seen[rnd.kind]}"
        out.append(Tab(target_of(rnd.path), label))
    return out


@dataclass
class ReplyForm:
    """The values of the edit form as the user typed them (strings), ready to show again."""

    target: str = "reply"
    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    copy_to: str = ""

    @classmethod
    def of(cls, record: CaseRecord, target: str = "reply") -> ReplyForm:
        """The form filled from the stored reply (empty when the case has none yet)."""
        reply = target_reply(record, target)
        form = cls(target=target)
        data: dict[str, Any] = reply.model_dump(mode="json") if reply is not None else {}
        for name in TEXT_FIELDS:
            value = data.get(name)
            form.values[name] = "" if value is None else str(value)
        if reply is None:
            form.values["disclosure"] = "全文公开"
        for group, subs in GROUPS.items():
            form.rows[group] = [
                {s: _text(item.get(s)) for s in subs} for item in data.get(group) or ()
            ]
        form.copy_to = "\n".join(data.get("copy_to") or ())
        return form

    @classmethod
    def parse(cls, data: Mapping[str, str]) -> ReplyForm:
        """Read a submitted form (``request.form()`` with string values)."""
        target = data.get("target", "reply")
        if not is_target(target):
            raise InputError(
                f"无法识别要修改的答复“{target}”（应为 reply、rehandling 或 follow-序号）"
            )
        form = cls(target=target)
        for name in TEXT_FIELDS:
            form.values[name] = str(data.get(name, "")).strip()
        for group, subs in GROUPS.items():
            rows: dict[int, dict[str, str]] = {}
            for key, value in data.items():
                head, _, rest = key.partition("-")
                if head != group:
                    continue
                index, _, sub = rest.partition("-")
                if not index.isdigit() or sub not in subs:
                    raise InputError(f"无法识别的表单字段“{key}”")
                if int(index) >= MAX_ROWS:
                    raise InputError(f"{group} 超过{MAX_ROWS}行，请分次录入")
                rows.setdefault(int(index), {s: "" for s in subs})[sub] = str(value).strip()
            form.rows[group] = [rows[i] for i in sorted(rows)]
        form.copy_to = str(data.get("copy_to", ""))
        return form

    def shown_rows(self, group: str) -> list[dict[str, str]]:
        """The filled rows of ``group`` and :data:`SPARE_ROWS` blank ones to add more."""
        blank = {s: "" for s in GROUPS[group]}
        filled = [r for r in self.rows.get(group, []) if _filled(group, r)]
        return filled + [dict(blank) for _ in range(SPARE_ROWS)]

    def record(self, stored: CaseRecord) -> tuple[CaseRecord | None, list[Finding]]:
        """The stored record with this form's reply, or None and a finding per refused value."""
        n = follow_index(self.target)
        if n is not None and n >= len(stored.follow_ups):
            gone = f"此案件没有第{n + 1}次后续答复（可能已被别人删除），请刷新页面"
            return None, [_invalid_at(reply_path(self.target), gone)]
        base = target_reply(stored, self.target)
        reply: dict[str, Any] = base.model_dump(mode="json") if base is not None else {}
        for name in TEXT_FIELDS:
            value = self.values.get(name, "")
            reply[name] = value or None
        if not reply.get("disclosure"):
            reply.pop("disclosure", None)
        for group in GROUPS:
            reply[group] = [_row(group, r) for r in self.rows.get(group, []) if _filled(group, r)]
        lines = [line.strip() for line in self.copy_to.splitlines() if line.strip()]
        if lines or reply.get("copy_to") is not None:
            reply["copy_to"] = lines or None
        data = stored.model_dump(mode="json")
        if n is not None:
            data["follow_ups"][n]["reply"] = reply
        else:
            data[self.target] = reply
        try:
            return CaseRecord.model_validate(data), []
        except ValidationError as exc:
            return None, [_invalid_at(path, message) for path, message in error_list(exc)]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _filled(group: str, row: dict[str, str]) -> bool:
    """A row the user filled in; an attachment whose title was cleared is removed."""
    if group == "attachments":
        return bool(row.get("title"))
    return any(row.values())


def _row(group: str, row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {k: (v or None) for k, v in row.items()}
    if group == "contacts":
        people = (out.get("people") or "").replace("，", "、").replace(",", "、")
        out["people"] = [p.strip() for p in people.split("、") if p.strip()]
    return out


def _invalid_at(path: str, message: str) -> Finding:
    return Finding(INVALID, Severity.ERROR, Subject.REPLY, path, message)


def field_of(path: str, target: str) -> str | None:
    """The form field a finding's path names (``reply.contacts[0].date`` → ``contacts``;
    ``follow_ups[0].reply.body`` → ``body`` when ``target`` is ``follow-1``)."""
    prefix = reply_path(target) + "."
    if not path.startswith(prefix):
        return None
    rest = path.removeprefix(prefix)
    name = rest.split(".", 1)[0].split("[", 1)[0]
    return name if name in FORM_FIELDS else None


def by_field(findings: Iterable[Finding], target: str) -> dict[str, list[Finding]]:
    """Findings grouped by the form field they concern; the rest under ``""`` except the
    recorded extension notice's (shown beside the notice's own fields, :func:`notice_boxes`)."""
    out: dict[str, list[Finding]] = {name: [] for name in (*FORM_FIELDS, "")}
    for f in findings:
        name = field_of(f.path, target)
        if name is None and (f.path == NOTICE_PATH or f.path.startswith(NOTICE_PATH + ".")):
            continue
        out[name or ""].append(f)
    return out


#: Fields of the “新增后续答复” form, in page order, with their Chinese labels.
NEW_FOLLOW_FIELDS: dict[str, str] = {
    "kind": "类型",
    "date": "成文日期",
    "doc_number": "发文字号",
    "result_class": "答复类别",
    "body": "正文",
}


def new_follow_up(
    stored: CaseRecord, values: Mapping[str, str]
) -> tuple[CaseRecord | None, list[Finding]]:
    """The stored record with one more follow-up (a 跟踪答复 or 重新办理 reply) made from the
    “新增后续答复” form, or None and a finding per refused value (paths
    ``follow_ups[n].reply.date`` …, ``follow_ups[n].kind``).

    The new reply keeps the latest reply's 公开属性 and names its 发文字号 as 前次答复文号.
    """
    n = len(stored.follow_ups)
    where = f"follow_ups[{n}]"
    latest = stored.final_reply
    if latest is None:
        return None, [_invalid_at(f"{where}.kind", "请先录入并保存首次答复，再新增后续答复")]
    kind = values.get("kind", "").strip()
    if kind not in {k.value for k in FOLLOW_UP_KINDS}:
        allowed = "或".join(k.value for k in FOLLOW_UP_KINDS)
        return None, [_invalid_at(f"{where}.kind", f"后续答复类型应为{allowed}")]
    reply: dict[str, Any] = {
        name: (values.get(name, "").strip() or None) for name in NEW_FOLLOW_FIELDS if name != "kind"
    }
    reply["body"] = (values.get("body", "").replace("\r\n", "\n").strip()) or None
    reply["round"] = kind
    reply["disclosure"] = latest.disclosure
    reply["disclosure_reason"] = latest.disclosure_reason
    reply["previous"] = str(latest.doc_number)
    data = stored.model_dump(mode="json")
    data["follow_ups"] = [*data.get("follow_ups", []), {"kind": kind, "reply": reply}]
    try:
        return CaseRecord.model_validate(data), []
    except ValidationError as exc:
        return None, [_invalid_at(path, message) for path, message in error_list(exc)]


def new_follow_boxes(findings: Iterable[Finding], index: int) -> dict[str, list[Finding]]:
    """Findings of the “新增后续答复” form by its field (``kind``, ``date`` …); the rest under
    ``""``."""
    out: dict[str, list[Finding]] = {name: [] for name in (*NEW_FOLLOW_FIELDS, "")}
    reply = f"follow_ups[{index}].reply."
    for f in findings:
        name = ""
        if f.path.startswith(reply):
            name = f.path.removeprefix(reply).split(".", 1)[0].split("[", 1)[0]
        elif f.path == f"follow_ups[{index}].kind":
            name = "kind"
        out[name if name in out else ""].append(f)
    return out


#: The recorded extension notice (``case.extension_notice``) and its fields on the case page.
NOTICE_PATH = "case.extension_notice"
NOTICE_FIELDS: dict[str, str] = {"date": "告知函日期", "doc_number": "告知函文号"}


def notice_values(record: CaseRecord) -> dict[str, str]:
    """The notice's date and 文号 as the form shows them (empty when none is recorded)."""
    notice = record.case.extension_notice
    if notice is None:
        return {name: "" for name in NOTICE_FIELDS}
    data = notice.model_dump(mode="json")
    return {name: _text(data.get(name)) for name in NOTICE_FIELDS}


def with_notice(
    stored: CaseRecord, values: Mapping[str, str]
) -> tuple[CaseRecord | None, list[Finding]]:
    """The stored record with the notice's date and 文号 from the form (its own text, if any,
    kept); both left empty removes the recorded notice. None and findings when refused."""
    typed = {name: values.get(name, "").strip() for name in NOTICE_FIELDS}
    data = stored.model_dump(mode="json")
    if not any(typed.values()):
        data["case"]["extension_notice"] = None
    else:
        notice = dict(data["case"].get("extension_notice") or {})
        notice.update({name: value or None for name, value in typed.items()})
        data["case"]["extension_notice"] = notice
    try:
        return CaseRecord.model_validate(data), []
    except ValidationError as exc:
        return None, [_invalid_at(path, message) for path, message in error_list(exc)]


def notice_boxes(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings on the notice by its field (``date``, ``doc_number``); the rest of the notice's
    and the extension's findings under ``""``."""
    out: dict[str, list[Finding]] = {name: [] for name in (*NOTICE_FIELDS, "")}
    for f in findings:
        if f.path.startswith(NOTICE_PATH + "."):
            name = f.path.removeprefix(NOTICE_PATH + ".").split(".", 1)[0]
            out[name if name in out else ""].append(f)
        elif f.path == NOTICE_PATH or f.path.startswith("case.extended_to"):
            out[""].append(f)
    return out


#: Field names in words for the history (修改记录): a path segment → its Chinese name.
_SEGMENT_NAMES: dict[str, str] = {
    **TEXT_FIELDS,
    "reply": "首次答复",
    "rehandling": "重新办理答复",
    "follow_ups": "后续答复",
    "feedback": "征询意见表",
    "case": "案件",
    "kind": "类型",
    "copy_to": "抄送",
    "contacts": "沟通记录",
    "co_opinions": "协办单位意见",
    "attachments": "附件",
    "round": "办理轮次",
    "previous": "前次答复文号",
    "uploaded_on": "平台上传日期",
    "method": "方式",
    "people": "参加人员",
    "note": "情况记录",
    "unit": "单位",
    "summary": "意见摘要",
    "file": "文件",
    "extended_to": "延期至",
    "extension_reason": "延期理由",
    "extension_notice": "延期办理告知函",
    "proposer": "提案人",
    "attitude": "办理态度",
    "result": "办理结果",
    "opinion": "意见",
}
_SEGMENT = re.compile(r"^([A-Za-z_]+)(?:\[(\d+)\])?$")


def field_name(path: str) -> str:
    """A field path in words: ``follow_ups[0].reply.body`` → ``第1次后续答复·正文``,
    ``reply.contacts[1].date`` → ``首次答复·沟通记录第2行·日期``; unknown parts stay as
    they are."""
    words: list[str] = []
    for part in path.split("."):
        m = _SEGMENT.match(part)
        if m is None:
            words.append(part)
            continue
        name = _SEGMENT_NAMES.get(m.group(1), m.group(1))
        if m.group(1) == "date":
            name = "日期"
        if m.group(2) is None:
            words.append(name)
        elif m.group(1) == "follow_ups":
            words.append(f"第{int(m.group(2)) + 1}次{name}")
        elif m.group(1) == "feedback":
            words.append(f"第{int(m.group(2)) + 1}张{name}")
        else:
            words.append(f"{name}第{int(m.group(2)) + 1}行")
    if len(words) > 1 and words[0].endswith("后续答复") and words[1] == "首次答复":
        del words[1]  # follow_ups[0].reply is the follow-up's own reply, not the first one
    return "·".join(words)
