"""The annual handling report (办理工作总结): narrative parsing and the template context.

一、基本情况 is generated from :mod:`gongwen.stats`; the other sections come from the user's
narrative, split at its level-1 headings (markdown ``# 标题`` or ``二、标题``, or a line that is
just a known section name such as ``主要做法``). Sections keep the user's order and titles; a
section the user did not write is left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from gongwen.documents.attachments import attachment_blocks
from gongwen.documents.blocks import mark_anchor
from gongwen.documents.naming import safe_component
from gongwen.documents.reply import letterhead_context
from gongwen.models.enums import CaseKind, HandlingRole, Rating, Round
from gongwen.models.organisation import Organisation
from gongwen.models.reply import Attachment
from gongwen.models.wording import attachment_name
from gongwen.models.year import CaseRecord, HandlingYear
from gongwen.stats import (
    KindCount,
    YearStats,
    answers_proposer,
    compute_stats,
    contact_methods,
    final_reply,
    first_round_feedback,
)
from gongwen.summary import (
    SummaryWording,
    percent,
    rate_basis,
    summary_sentences,
)
from gongwen.text.body import Block, Heading, Paragraph, parse_body
from gongwen.text.dates import format_date
from gongwen.text.numerals import cn_number, heading_marker

#: Placeholders the report template must contain.
REQUIRED_PLACEHOLDERS = frozenset(
    {"org_mark", "doc_number", "title_lines", "body", "sign_org", "date", "case_rows"}
)

#: Known section names (key → names users write); ``basic`` merges into the generated section.
SECTION_ALIASES: dict[str, tuple[str, ...]] = {
    "basic": ("基本情况", "总体情况"),
    "practices": ("主要做法", "主要作法", "工作措施", "主要措施", "工作做法"),
    "results": ("办理成效", "工作成效", "取得成效", "主要成效"),
    "problems": ("存在问题", "存在的问题", "问题和不足", "存在不足"),
    "plans": ("下一步打算", "下一步工作", "今后打算", "工作打算", "下步打算"),
}
#: …and, with the office's own attachments, their pages (a custom template without them is
#: refused rather than dropping the attachments silently).
ATTACHMENT_PLACEHOLDERS = frozenset({"office_attachments"})
#: The generated attachments (附件1 统计表, 附件2 一览表); the office's own are numbered after them.
BUILT_IN_ATTACHMENTS = 2

_MAX_KNOWN_TITLE = 15  # longer headings are the user's own titles, never matched to a key


@dataclass(frozen=True)
class Section:
    """One level-1 section of the narrative: title (without number), run-in text, blocks."""

    title: str
    blocks: tuple[Block, ...]
    run_in: str = ""
    key: str | None = None


@dataclass(frozen=True)
class Narrative:
    """The parsed narrative: text before the first heading, and the sections in order."""

    preamble: tuple[Block, ...]
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        """The first section recognised as ``key`` (``practices`` …), or None."""
        return next((s for s in self.sections if s.key == key), None)


def section_key(title: str) -> str | None:
    """The known section a heading names (``主要做法`` → ``practices``), or None."""
    bare = re.sub(r"[\s。：:，,；;！!]+", "", title)
    if not bare or len(bare) > _MAX_KNOWN_TITLE:
        return None
    for key, names in SECTION_ALIASES.items():
        if any(name in bare for name in names):
            return key
    return None


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_LEADING_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])\s*"
)


def _markdown_to_body(text: str) -> list[tuple[str | None, str]]:
    """Split at markdown ``#`` headings; ``##``/``###`` become （一）/1. headings."""
    chunks: list[tuple[str | None, list[str]]] = [(None, [])]
    n2 = n3 = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _MD_HEADING.match(raw.strip())
        if m:
            level, title = len(m[1]), _LEADING_NUMBER.sub("", m[2]).strip()
            if level == 1:
                chunks.append((title, []))
                n2 = n3 = 0
            elif level == 2:
                n2, n3 = n2 + 1, 0
                chunks[-1][1].extend(["", heading_marker(2, n2) + title, ""])
            else:
                n3 += 1
                chunks[-1][1].extend(["", heading_marker(3, n3) + title, ""])
            continue
        line = _MD_EMPHASIS.sub(r"\2", _MD_BULLET.sub("", raw))
        chunks[-1][1].append(line)
    return [(title, "\n".join(lines)) for title, lines in chunks]


def _bare_section_name(block: Block) -> str | None:
    if isinstance(block, Paragraph):
        text = block.text.strip().rstrip("：:")
        if len(text) <= _MAX_KNOWN_TITLE and section_key(text) and not re.search(r"[。，；]", text):
            return text
    return None


def parse_narrative(text: str) -> Narrative:
    """Parse the narrative (markdown or plain text in the body-text convention)."""
    preamble: list[Block] = []
    found: list[tuple[str, str, list[Block]]] = []  # (title, run-in text, blocks)
    for md_title, chunk in _markdown_to_body(text):
        if md_title is not None:
            found.append((md_title, "", []))
        for block in parse_body(chunk):
            name = _bare_section_name(block)
            if isinstance(block, Heading) and block.level == 1:
                found.append((block.title, block.text, []))
            elif name is not None:
                found.append((name, "", []))
            elif found:
                found[-1][2].append(block)
            else:
                preamble.append(block)
    sections = tuple(
        Section(title, tuple(blocks), run_in, section_key(title)) for title, run_in, blocks in found
    )
    return Narrative(tuple(preamble), sections)


# --------------------------------------------------------------------------------------------
# Context
# --------------------------------------------------------------------------------------------
def kind_phrase(kinds: tuple[CaseKind, ...]) -> str:
    """``建议提案`` / ``人大代表建议`` / ``政协提案`` by the kinds handled."""
    if kinds == (CaseKind.SUGGESTION,):
        return "人大代表建议"
    if kinds == (CaseKind.PROPOSAL,):
        return "政协提案"
    return "建议提案"


def _kinds(year: HandlingYear) -> tuple[CaseKind, ...]:
    return tuple(k for k in CaseKind if any(r.case.kind is k for r in year.cases))


def report_title(year: HandlingYear, org: Organisation) -> str:
    """``东江市临湖区经济和信息化局2024年建议提案办理工作总结``."""
    return f"{org.name}{year.year}年{kind_phrase(_kinds(year))}办理工作总结"


def report_name(year: HandlingYear, org: Organisation) -> str:
    """File name: ``2024年建议提案办理工作总结.docx``."""
    return safe_component(f"{year.year}年{kind_phrase(_kinds(year))}办理工作总结", 60) + ".docx"


def _title_lines(year: HandlingYear, org: Organisation) -> list[str]:
    title = report_title(year, org)
    if len(title) <= 20:
        return [title]
    return [org.name, title[len(org.name) :]]


def _block(b: Block) -> dict[str, Any]:
    if isinstance(b, Heading):
        return {"kind": f"h{b.level}", "head": b.head, "text": b.text}
    return {"kind": "p", "head": "", "text": b.text}


def report_body(
    stats: YearStats, org: Organisation, narrative: Narrative, wording: SummaryWording | None = None
) -> list[dict[str, Any]]:
    """The body blocks: preamble, 一、基本情况 (generated + user text), the user's sections."""
    body = [_block(b) for b in narrative.preamble]
    body.append({"kind": "h1", "head": heading_marker(1, 1) + "基本情况", "text": ""})
    body.append({"kind": "p", "head": "", "text": "".join(summary_sentences(stats, org, wording))})
    basic = narrative.section("basic")
    if basic is not None:
        if basic.run_in:
            body.append({"kind": "p", "head": "", "text": basic.run_in})
        body.extend(_block(b) for b in basic.blocks)
    n = 1
    for sec in narrative.sections:
        if sec is basic:
            continue
        n += 1
        body.append({"kind": "h1", "head": heading_marker(1, n) + sec.title, "text": sec.run_in})
        body.extend(_block(b) for b in sec.blocks)
    return body


def _by_role(k: KindCount, role: HandlingRole) -> int:
    return k.by_role(role)


def _count_table(stats: YearStats) -> list[dict[str, Any]]:
    def cols(get: Callable[[KindCount], int]) -> list[int]:
        per = [next((get(k) for k in stats.by_kind if k.kind is kind), 0) for kind in CaseKind]
        return [*per, sum(per)]

    rows: list[tuple[str, Callable[[KindCount], int]]] = [("承办总数", lambda k: k.total)]
    for role in HandlingRole:
        label = f"其中：{role.value}" if role is HandlingRole.LEAD else f"　　　{role.value}"
        rows.append((label, partial(_by_role, role=role)))
    if stats.joint_assist:
        rows.insert(3, ("　　　（协办中会办）", lambda k: k.joint_assist))
    if stats.joint_led:
        rows.insert(2, ("　　　（有会办单位）", lambda k: k.joint_led))
    rows.append(("重点件", lambda k: k.key))
    # shown only when there are some (the table of a year without them is unchanged)
    extra: list[tuple[int, str, Callable[[KindCount], int]]] = [
        (stats.tracked, "跟踪答复件", lambda k: k.tracked),
        (stats.uploaded, "答复已上传平台", lambda k: k.uploaded),
        (stats.merged, "并案（不计入总数）", lambda k: k.merged),
    ]
    rows += [(label, get) for n, label, get in extra if n]
    return [{"label": label, "cols": cols(get)} for label, get in rows]


def _rate_rows(
    stats: YearStats, org: Organisation, wording: SummaryWording | None = None
) -> list[dict[str, Any]]:
    """The rate table: name (as the wording names it), basis (as configured), figures."""
    wd = wording or SummaryWording.from_config(org.config)
    d = org.config.decimals
    specs = [
        (wd.rate_name("replied"), rate_basis(stats, "replied"), stats.replied),
        (wd.rate_name("on_time"), rate_basis(stats, "on_time"), stats.on_time),
        (wd.rate_name("contact"), rate_basis(stats, "contact"), stats.contact),
        (wd.rate_name("face_to_face"), rate_basis(stats, "face_to_face"), stats.face_to_face),
        (
            wd.rate_name("feedback_return"),
            rate_basis(stats, "feedback_return"),
            stats.feedback_return,
        ),
    ]
    for item, label in (("attitude", "办理态度"), ("result", "办理结果")):
        for key in ("satisfied", "satisfied_or_basic"):
            specs.append(
                (
                    label + wd.rate_name(key),
                    rate_basis(stats, key),
                    stats.rates[f"{item}_{key}"],
                )
            )
    return [
        {
            "name": name,
            "basis": basis,
            "num": r.numerator,
            "den": r.denominator,
            "value": r.format(d),
        }
        for name, basis, r in specs
    ]


def _class_rows(stats: YearStats, org: Organisation) -> list[dict[str, Any]]:
    d = org.config.share_decimals
    rows = [
        {"code": c.code, "label": c.label, "count": c.count, "share": percent(c.share, d)}
        for c in stats.by_class
    ]
    rows.append({"code": "", "label": "合计", "count": stats.classed,
                 "share": "100%" if stats.classed else "—"})  # fmt: skip
    return rows


def _satisfaction(rec: CaseRecord) -> str:
    if not answers_proposer(rec.case):
        return "—"
    forms = first_round_feedback(rec)
    results = [f.result for f in forms if f.result is not None]
    if not results:
        text = "未反馈"
    elif len(set(results)) == 1:
        text = results[0].value if len(results) == 1 else f"{results[0].value}{len(results)}份"
    else:
        counts = Counter(results)
        text = "、".join(f"{r.value}{counts[r]}份" for r in Rating if counts[r])
    later = [(r.kind, f.result) for r in rec.rounds[1:] for f in r.feedback if f.result is not None]
    if later:
        kind, result = later[-1]
        text += f"；{'跟踪答复后' if kind is Round.TRACKING else '重办后'}{result.value}"
    return text


def _class_cell(rec: CaseRecord) -> str:
    if not answers_proposer(rec.case) or rec.reply is None:
        return "—"
    first = rec.reply.result_class or "—"
    last_reply = final_reply(rec)
    last = last_reply.result_class if last_reply is not None else None
    if len(rec.rounds) > 1 and last and last != first:
        return f"{first}→{last}"
    return first


def case_rows(year: HandlingYear) -> list[dict[str, Any]]:
    """The rows of the case list (一览表), by kind, session and number."""
    order = list(CaseKind)
    recs = sorted(
        year.cases, key=lambda r: (order.index(r.case.kind), r.case.session.display, r.case.number)
    )
    rows = []
    for i, rec in enumerate(recs, start=1):
        case = rec.case
        who = case.lead.name + (f"等{len(case.proposers)}人" if case.co_signed else "")
        role = case.role.value + ("（重点）" if case.key else "")
        methods = contact_methods(rec)
        contact = (
            "—" if not answers_proposer(case) else ("、".join(m.value for m in methods) or "未联系")
        )
        rows.append(
            {
                "no": i,
                "case_no": f"{case.kind.value}第{case.number}号",
                "title": case.title,
                "proposer": who,
                "role": role,
                "cls": _class_cell(rec),
                "date": format_date(rec.reply.date) if rec.reply else "未答复",
                "contact": contact,
                "satisfaction": _satisfaction(rec),
            }
        )
    return rows


def partial_sentence(left_out: int) -> str:
    """What a report made from an incomplete ledger says about it (empty when complete)."""
    if left_out <= 0:
        return ""
    return f"（注：台账中有{cn_number(left_out)}行因填写有误未能读取，未计入以上统计。）"


def _partial_note(body: list[dict[str, Any]], left_out: int) -> list[dict[str, Any]]:
    """The note on an incomplete ledger, right after the generated 基本情况 paragraph."""
    note = partial_sentence(left_out)
    if not note:
        return body
    for i, block in enumerate(body):
        if block.get("kind") == "h1":  # 一、基本情况, then its generated paragraph
            return [*body[: i + 2], {"kind": "p", "head": "", "text": note}, *body[i + 2 :]]
    return [*body, {"kind": "p", "head": "", "text": note}]


def office_attachments(attachments: Sequence[Attachment]) -> list[dict[str, Any]]:
    """The office's own attachments after the generated two: ``附件3``, ``附件4`` … each on its
    own page (§7.3.7), ``[{"label", "title", "body", "last"}]`` as the reply's attachment pages.

    Raises :class:`~gongwen.errors.DocumentError` (naming the attachment and its file) when a
    file is missing or cannot be attached.
    """
    count = len(attachments)
    return [
        {
            "label": f"附件{BUILT_IN_ATTACHMENTS + i}",
            "title": attachment_name(a),
            "body": mark_anchor(attachment_blocks(a)),
            "last": i == count,
        }
        for i, a in enumerate(attachments, start=1)
    ]


def report_context(
    year: HandlingYear,
    org: Organisation,
    narrative: str = "",
    *,
    doc_number: str | None = None,
    report_date: date,
    wording: SummaryWording | None = None,
    left_out: int = 0,
    attachments: Sequence[Attachment] = (),
) -> dict[str, Any]:
    """The template context of the report (``chart`` is added by the renderer).

    ``attachments``: the office's own, after 附件1 and 附件2 in the 附件说明 (``3.名称`` …) and
    each on its own page (key ``office_attachments``, see :func:`office_attachments`).

    ``left_out``: ledger rows that could not be read; the report then says so in 一、基本情况
    (key ``left_out``).

    The statistics are counted as of ``report_date`` (按时办结率 leaves out cases not yet due);
    ``wording`` defaults to the organisation's configured wording.
    """
    stats = compute_stats(year, org.config, as_of=report_date, own_unit=org.name)
    phrase = kind_phrase(stats.kinds)
    att1 = f"{year.year}年{phrase}办理情况统计表"
    att2 = f"{year.year}年{phrase}办理情况一览表"
    own = office_attachments(attachments)
    names = [att1, att2, *(a["title"] for a in own)]
    return {
        "org_mark": org.mark,
        "doc_number": doc_number or "",
        "title_lines": _title_lines(year, org),
        "body": _partial_note(
            report_body(stats, org, parse_narrative(narrative), wording), left_out
        ),
        "left_out": left_out,
        "attachments": [f"{i}.{name}" for i, name in enumerate(names, start=1)],
        "office_attachments": own,
        "sign_org": org.name,
        "date": format_date(report_date),
        "closing": "",
        "note": "",
        "att1_label": "附件1",
        "att1_title": att1,
        "att2_label": "附件2",
        "att2_title": att2,
        "kind_heads": [
            f"{'人大代表建议' if k is CaseKind.SUGGESTION else '政协提案'}" for k in CaseKind
        ],
        "count_rows": _count_table(stats),
        "class_rows": _class_rows(stats, org),
        "rate_rows": _rate_rows(stats, org, wording),
        "case_rows": case_rows(year),
        "year": year.year,
        "total_cn": cn_number(stats.total),
        # 版记 (GB/T 9704 §7.4): 抄送, 印发机关 and 印发日期 on the last page
        "copy_to": "，".join(org.copy_to) + "。" if org.copy_to else "",
        "issuer": org.issuing_office,
        "issue_date": format_date(report_date),
        **letterhead_context(org, format_date(report_date)),
    }
