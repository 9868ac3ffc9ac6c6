"""Rules GW3xx: the text that will be printed (title, salutation, body, closing, 附注, 抄送)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import (
    Letter,
    answers_proposer,
    letters,
    opening,
    opinion,
    paragraphs,
)
from gongwen.findings import Problem, Severity, Subject
from gongwen.models.enums import CaseKind, ProposerRole
from gongwen.models.wording import (
    document_kind_name,
    people_count,
    proposer_pronoun,
    reply_closing,
    reply_salutation,
    reply_title,
)
from gongwen.text.body import heading_problems
from gongwen.text.dates import find_dates, format_date, parse_date
from gongwen.text.punctuation import (
    ascii_punct_next_to_cjk,
    find_placeholders,
    fix_ascii_punct,
    unbalanced_pairs,
)

_TRAILING_PUNCT = "。，、；：！？.,;:!?…—-　 "
_COLONS = ":：　 "


def fix_date_formats(text: str) -> str:
    """Rewrite wrongly written dates (``2024-7-1``, ``2024年07月01日``) as ``2024年7月1日``."""
    wrong = {token for token, ok in find_dates(text) if not ok}
    for token in sorted(wrong, key=len, reverse=True):
        try:
            good = format_date(parse_date(token))
        except ValueError:
            continue  # not a real date: reported, but no safe fix
        text = re.sub(rf"(?<!\d){re.escape(token)}(?!\d)", good, text)
    return text


def fix_salutation(text: str) -> str:
    """End a salutation with exactly one full-width colon."""
    return text.rstrip(_COLONS) + "："


def fix_title(text: str) -> str:
    """Drop trailing punctuation from a title."""
    return text.rstrip(_TRAILING_PUNCT)


def _single_fields(ctx: CaseContext, lt: Letter) -> list[tuple[str, str, str]]:
    """``(path, label, printed text)`` of the letter's one-line fields."""
    case, reply = ctx.record.case, lt.reply
    fields = [
        (f"{lt.path}.title", "标题", reply_title(case, reply)),
        (f"{lt.path}.salutation", "称谓", reply_salutation(case, reply, ctx.org)),
        (f"{lt.path}.closing", "结束语", reply_closing(case, reply, ctx.org)),
    ]
    return [f for f in fields if f[2]]


def _all_texts(ctx: CaseContext) -> Iterator[tuple[str, str, str]]:
    yield "case.title", "案由", ctx.record.case.title
    for lt in letters(ctx):
        for path, label, text in _single_fields(ctx, lt):
            yield path, f"{lt.name}{label}", text
        for n, text in paragraphs(lt):
            yield f"{lt.path}.body", f"{lt.name}正文第{n}段", text


# GW301–GW303 run one after the other on the same context: the texts are made once for them.
_LAST_TEXTS: list[tuple[CaseContext, tuple[tuple[str, str, str], ...]]] = []


def _texts(ctx: CaseContext) -> tuple[tuple[str, str, str], ...]:
    """``(path, where, printed text)``: the case title, each letter's fields and paragraphs."""
    if _LAST_TEXTS and _LAST_TEXTS[0][0] is ctx:
        return _LAST_TEXTS[0][1]
    texts = tuple(_all_texts(ctx))
    _LAST_TEXTS[:] = [(ctx, texts)]
    return texts


# A text without any of these characters has nothing for find_placeholders, ascii_marks or
# unbalanced_pairs to report (each of their patterns needs one of them): the quick test first.
_MAYBE_PLACEHOLDER = re.compile(r"[Xx×Ｘｘ*＊某〇○{}%]|(?i:todo)")
_ASCII_MARKS = frozenset(",;:?!()")
_PAIR_MARKS = frozenset("《》“”（）‘’")


def _configured_copy_to(ctx: CaseContext, kind: str) -> list[tuple[str, str]]:
    """``(path, unit)`` of the 抄送 printed on a document of ``kind`` without a list of its own:
    the organisation's default, then ``config.copy_to`` for the case's body and for ``kind``
    (a unit printed once, at its first place — as :func:`copy_to_units` prints them)."""
    org, body = ctx.org, ctx.record.case.kind.body
    conf = org.config.copy_to
    found = [(f"organisation.copy_to[{i}]", u) for i, u in enumerate(org.copy_to)]
    found += [
        (f"organisation.config.copy_to.by_body.{body.value}[{i}]", u)
        for i, u in enumerate(conf.by_body.get(body, ()))
    ]
    found += [
        (f"organisation.config.copy_to.by_document.{kind}[{i}]", u)
        for i, u in enumerate(conf.by_document.get(kind, ()))
    ]
    printed: dict[str, str] = {}
    for path, unit in found:
        printed.setdefault(unit, path)
    return [(path, unit) for unit, path in printed.items()]


def _copy_to_items(ctx: CaseContext) -> Iterator[tuple[str, str, str]]:
    """``(path, document name, unit)`` of every 抄送 unit the case's documents print: each
    letter's own ``copy_to``, else the organisation's and the configured ones (by body and
    document kind, ``Config.copy_to``); the recorded extension notice's configured ones."""
    case = ctx.record.case
    for lt in letters(ctx):
        if lt.reply.copy_to is not None:
            for i, unit in enumerate(lt.reply.copy_to):
                yield f"{lt.path}.copy_to[{i}]", lt.name, unit
            continue
        for path, unit in _configured_copy_to(ctx, document_kind_name(case, lt.reply)):
            yield path, lt.name, unit
    if case.extension_notice is not None:
        for path, unit in _configured_copy_to(ctx, "延期办理告知函"):
            yield path, "延期办理告知函", unit


@rule("GW301", Severity.ERROR, Subject.REPLY, "残留占位符（XX、××、***、某某、TODO等）")
def placeholders(ctx: CaseContext) -> Iterator[Problem]:
    """Template leftovers must not be printed."""
    items = list(_texts(ctx))
    for lt in letters(ctx):
        reply = lt.reply
        person = reply.contact_person or ctx.org.contact_person
        phone = reply.contact_phone or ctx.org.contact_phone
        src = lt.path if reply.contact_person else "organisation"
        if person:
            items.append((f"{src}.contact_person", f"{lt.name}联系人", person))
        src = lt.path if reply.contact_phone else "organisation"
        if phone:
            items.append((f"{src}.contact_phone", f"{lt.name}联系电话", phone))
    for path, name, unit in _copy_to_items(ctx):
        items.append((path, f"{name}抄送单位", unit))
    seen: set[tuple[str, str]] = set()
    for path, where, text in items:
        if _MAYBE_PLACEHOLDER.search(text) is None:
            continue
        found = find_placeholders(text)
        key = (path, "" if path.startswith("organisation.") else where)
        if found and key not in seen:  # organisation fields once, not once per letter
            seen.add(key)
            yield Problem(path, f"{where}有未替换的占位符：{'、'.join(dict.fromkeys(found))}")


_URL_START = re.compile(r"(?:https?|ftp)://", re.ASCII)
_URL_CHAR = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]", re.ASCII)


def url_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each URL, a closing ``)`` included when the URL opened it
    (``https://example.cn/a_(1)``); trailing sentence punctuation is not part of the URL."""
    spans = []
    for m in _URL_START.finditer(text):
        end, depth, last = m.end(), 0, m.end()
        while end < len(text) and _URL_CHAR.match(text, end):
            ch = text[end]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
            if ch not in ".,;:!?'" and depth == 0:
                last = end
        spans.append((m.start(), last))
    return spans


def ascii_marks(text: str) -> list[tuple[int, str]]:
    """:func:`ascii_punct_next_to_cjk` without the marks inside URLs (a URL ending in ``)``)."""
    spans = url_spans(text)
    return [
        (i, ch) for i, ch in ascii_punct_next_to_cjk(text) if not any(a <= i < b for a, b in spans)
    ]


@rule("GW302", Severity.WARNING, Subject.REPLY, "中文中使用了半角标点")
def ascii_punctuation(ctx: CaseContext) -> Iterator[Problem]:
    """ASCII , ; : ? ! ( ) next to Chinese should be full-width (safe fix)."""
    for path, where, text in _texts(ctx):
        if _ASCII_MARKS.isdisjoint(text):
            continue
        hits = ascii_marks(text)
        if hits:
            marks = "".join(dict.fromkeys(ch for _, ch in hits))
            fixed = fix_ascii_punct(text) if not url_spans(text) else _replace_marks(text, hits)
            yield Problem(path, f"{where}使用了半角标点“{marks}”，应改为全角", fix=fixed)


def _replace_marks(text: str, hits: list[tuple[int, str]]) -> str:
    chars = list(text)
    for i, ch in hits:
        chars[i] = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}[ch]
    return "".join(chars)


@rule("GW303", Severity.ERROR, Subject.REPLY, "书名号、引号或括号不成对")
def unbalanced(ctx: CaseContext) -> Iterator[Problem]:
    """《》 “” （） ‘’ come in pairs within a paragraph."""
    for path, where, text in _texts(ctx):
        if _PAIR_MARKS.isdisjoint(text):
            continue
        for message in unbalanced_pairs(text):
            yield Problem(path, f"{where}：{message}")


@rule("GW304", Severity.ERROR, Subject.REPLY, "标题末尾有标点")
def title_punctuation(ctx: CaseContext) -> Iterator[Problem]:
    """A title has no trailing punctuation (GB/T 9704 §7.3.2)."""
    for lt in letters(ctx):
        title = reply_title(ctx.record.case, lt.reply)
        fixed = fix_title(title)
        if fixed != title:
            yield Problem(
                f"{lt.path}.title", f"标题“{title}”末尾不应有标点，应为“{fixed}”", fix=fixed
            )


@rule("GW305", Severity.ERROR, Subject.REPLY, "标题与案件不符（届次、案号、建议/提案）")
def title_matches_case(ctx: CaseContext) -> Iterator[Problem]:
    """A given title names this case: its session, its number and 建议/提案."""
    case = ctx.record.case
    kind = case.kind.value
    other = (CaseKind.PROPOSAL if case.kind is CaseKind.SUGGESTION else CaseKind.SUGGESTION).value
    number = f"第{case.number}号"
    sessions = (case.session.display, case.session.short, case.session.formal)
    for lt in letters(ctx):
        title = lt.reply.title
        if not title:
            continue  # the derived title always matches
        path = f"{lt.path}.title"
        cited = re.findall(r"第\s*(\d+)\s*号", title)
        if number not in title:
            if cited:
                yield Problem(path, f"标题中的案号为第{cited[0]}号，本案为{number}{kind}")
            else:
                yield Problem(path, f"标题未写明案号“{number}{kind}”")
        elif f"{number}{kind}" not in title:
            if f"{number}{other}" in title:
                yield Problem(path, f"本案为{kind}，标题却写作“{number}{other}”")
            else:
                yield Problem(path, f"标题应写明“{number}{kind}”")
        if not any(s in title for s in sessions):
            yield Problem(path, f"标题未写明届次“{case.session.display}”或与案件届次不符")


@rule("GW306", Severity.WARNING, Subject.REPLY, "标题的文种与本单位的办理类型不符")
def title_kind(ctx: CaseContext) -> Iterator[Problem]:
    """A co-handler writes an opinion (协办/会办意见); a lead or 分办 unit writes a reply."""
    for lt in letters(ctx):
        title = lt.reply.title
        if not title:
            continue
        if opinion(ctx) and "意见" not in title:
            yield Problem(
                f"{lt.path}.title", f"本单位为协办单位，标题应为“……的协办意见”，而不是“{title}”"
            )
        elif not opinion(ctx) and ("协办意见" in title or "会办意见" in title):
            yield Problem(
                f"{lt.path}.title",
                f"本单位{ctx.record.case.role.value}此件，标题应为“……的答复”，而不是“{title}”",
            )


@rule("GW307", Severity.ERROR, Subject.REPLY, "称谓末尾应为一个全角冒号")
def salutation_colon(ctx: CaseContext) -> Iterator[Problem]:
    """``张三委员：`` — exactly one full-width colon at the end."""
    for lt in letters(ctx):
        text = reply_salutation(ctx.record.case, lt.reply, ctx.org)
        fixed = fix_salutation(text)
        if fixed != text:
            yield Problem(
                f"{lt.path}.salutation",
                f"称谓“{text}”末尾应为一个全角冒号“：”，应为“{fixed}”",
                fix=fixed,
            )


@rule("GW308", Severity.ERROR, Subject.REPLY, "称谓与提案人或其身份不符")
def salutation_names(ctx: CaseContext) -> Iterator[Problem]:
    """Each proposer is named: ``张三委员`` (提案), ``李四代表`` (建议), a collective by name."""
    if opinion(ctx):
        return
    case = ctx.record.case
    for lt in letters(ctx):
        text = reply_salutation(case, lt.reply, ctx.org)
        path = f"{lt.path}.salutation"
        # "张建国等3位委员" / "张建国等委员" (config address.joint) names the persons by the lead
        lead = case.lead
        folded = not lead.collective and re.search(
            rf"{re.escape(lead.name)}等(?:\d+位)?(?:代表|委员)", text
        )
        for p in case.proposers:
            want = p.salutation_name(case.default_role)
            if want in text or (folded and not p.collective):
                continue
            if p.collective or p.name not in text:
                who = "集体提案人" if p.collective else "提案人"
                yield Problem(path, f"称谓“{text}”中缺少{who}“{want}”")
                continue
            after = text[text.index(p.name) + len(p.name) :]
            wrong = next((r.value for r in ProposerRole if after.startswith(r.value)), None)
            if wrong:
                yield Problem(path, f"本案为{case.kind.value}，“{p.name}{wrong}”应称“{want}”")
            else:
                yield Problem(path, f"称谓中应写作“{want}”")


@rule("GW309", Severity.ERROR, Subject.REPLY, "正文标题序号不连续或层级不当")
def headings(ctx: CaseContext) -> Iterator[Problem]:
    """一、→（一）→1.→（1）, numbered 1, 2, 3… under each parent (GB/T 9704 §7.3.3)."""
    for lt in letters(ctx):
        for index, message in heading_problems(lt.blocks):
            yield Problem(f"{lt.path}.body", f"{lt.name}正文第{index + 1}段：{message}")


def _date_advice(token: str) -> str:
    try:
        return f"“{token}”应写作“{format_date(parse_date(token))}”"
    except ValueError:
        return f"“{token}”不是有效日期"


@rule("GW310", Severity.WARNING, Subject.REPLY, "正文日期写法不规范")
def date_formats(ctx: CaseContext) -> Iterator[Problem]:
    """Dates are written ``2024年7月1日``, not ``2024-7-1`` or ``2024年07月01日``."""
    for lt in letters(ctx):
        for n, text in paragraphs(lt):
            wrong = list(dict.fromkeys(token for token, ok in find_dates(text) if not ok))
            if wrong:
                fixed = fix_date_formats(text)
                yield Problem(
                    f"{lt.path}.body",
                    f"{lt.name}正文第{n}段日期写法不规范：{'；'.join(map(_date_advice, wrong))}",
                    fix=fixed if fixed != text else None,
                )


_LANDLINE = re.compile(r"0\d{2,3}-\d{7,8}(?:(?:-|转)\d{1,6})?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"12\d{3}|[48]00-?\d{3}-?\d{4}")
_PHONE_SPLIT = re.compile(r"[、，,/；;]|\s+")


def phone_ok(number: str) -> bool:
    """Landline ``0574-87654321`` (extension allowed), 11-digit mobile, or 12345-style hotline."""
    return any(p.fullmatch(number) for p in (_LANDLINE, _MOBILE, _SERVICE))


@rule("GW311", Severity.WARNING, Subject.REPLY, "联系电话格式不规范")
def phone_format(ctx: CaseContext) -> Iterator[Problem]:
    """The phone in 附注: ``0574-87654321``, a mobile of 11 digits, or a hotline like 12345."""
    seen: set[str] = set()
    for lt in letters(ctx):
        phone = lt.reply.contact_phone or ctx.org.contact_phone
        if not phone:
            continue
        path = (
            f"{lt.path}.contact_phone" if lt.reply.contact_phone else "organisation.contact_phone"
        )
        bad = [n for n in _PHONE_SPLIT.split(phone) if n and not phone_ok(n)]
        if bad and path not in seen:
            seen.add(path)
            yield Problem(
                path,
                f"联系电话“{'、'.join(bad)}”格式不规范，固定电话应写作“0574-87654321”，"
                "手机为11位数字",
            )


@rule("GW312", Severity.WARNING, Subject.REPLY, "正文开头未写明所答复的案件")
def opening_names_case(ctx: CaseContext) -> Iterator[Problem]:
    """The first paragraph names the case: its title (with or without 《》) or ``第N号``."""
    case = ctx.record.case
    for lt in letters(ctx):
        first = opening(lt)
        title = case.title.rstrip(_TRAILING_PUNCT)
        if title not in first and f"第{case.number}号" not in first:
            yield Problem(
                f"{lt.path}.body",
                f"{lt.name}正文第1段未写明所答复的案件，宜写作“您提出的《{case.title}》"
                f"（第{case.number}号）收悉”",
            )


#: A case number cited in the opening: ``（第8号）`` right after the title, or ``第8号提案``;
#: never a document's number (``（市政府令第9号）``, ``〔2024〕第3号``).
_CITED_NUMBER = re.compile(
    r"(?:(?<=[（(])|(?<=》))\s*第\s*(\d+)\s*号(?=\s*[）)])|第\s*(\d+)\s*号(?=\s*(?:建议|提案))"
)
_CITED_TITLE = re.compile(r"《(关于[^《》]*?(?:建议|提案))》")


@rule("GW313", Severity.ERROR, Subject.REPLY, "正文开头引用了其他案号")
def opening_other_number(ctx: CaseContext) -> Iterator[Problem]:
    """A number cited in the opening (``（第8号）``, ``第8号提案``) is this case's number."""
    case = ctx.record.case
    for lt in letters(ctx):
        for m in _CITED_NUMBER.finditer(opening(lt)):
            cited = m.group(1) or m.group(2)
            if int(cited) not in case.numbers:  # this case's number or a merged one (并案)
                yield Problem(
                    f"{lt.path}.body",
                    f"{lt.name}正文第1段引用的是第{cited}号，本案为第{case.number}号",
                )


@rule("GW314", Severity.WARNING, Subject.REPLY, "正文开头引用的案由与案件不一致")
def opening_other_title(ctx: CaseContext) -> Iterator[Problem]:
    """A title cited in 《》 in the opening is this case's title."""
    case = ctx.record.case
    if any(m.title is None for m in case.merged):
        return  # a merged case's title is not known: a cited title may be its
    titles = {case.title, *(m.title for m in case.merged)}
    for lt in letters(ctx):
        for m in _CITED_TITLE.finditer(opening(lt)):
            if m.group(1) not in titles:
                yield Problem(
                    f"{lt.path}.body",
                    f"{lt.name}正文第1段引用的案由《{m.group(1)}》与案件案由《{case.title}》不一致",
                )


@rule("GW315", Severity.WARNING, Subject.REPLY, "附注缺少联系人或联系电话")
def contact_missing(ctx: CaseContext) -> Iterator[Problem]:
    """The 附注 gives a contact person and phone (from the reply or the organisation)."""
    for lt in letters(ctx):
        if not (lt.reply.contact_person or ctx.org.contact_person):
            yield Problem(f"{lt.path}.contact_person", "附注缺少联系人（答复或单位信息中均未填写）")
        if not (lt.reply.contact_phone or ctx.org.contact_phone):
            yield Problem(
                f"{lt.path}.contact_phone", "附注缺少联系电话（答复或单位信息中均未填写）"
            )


@rule("GW316", Severity.WARNING, Subject.REPLY, "抄送单位名称末尾有标点")
def copy_to_punctuation(ctx: CaseContext) -> Iterator[Problem]:
    """Units are joined with ，and the line ends with 。 automatically."""
    seen: set[str] = set()
    for path, _, unit in _copy_to_items(ctx):
        if unit and unit[-1] in _TRAILING_PUNCT and path not in seen:
            seen.add(path)
            yield Problem(path, f"抄送单位“{unit}”末尾不应有标点（抄送行末尾的句号会自动加上）")


@rule("GW317", Severity.WARNING, Subject.CASE, "案由末尾有标点")
def case_title_punctuation(ctx: CaseContext) -> Iterator[Problem]:
    """The 案由 is cited in 《》 and in titles: no trailing 。 or other punctuation."""
    title = ctx.record.case.title
    fixed = fix_title(title)
    if fixed != title:
        yield Problem("case.title", f"案由“{title}”末尾不应有标点，应为“{fixed}”", fix=fixed)


@rule("GW318", Severity.WARNING, Subject.REPLY, "正文对提案人的称呼与人数不符")
def body_pronoun(ctx: CaseContext) -> Iterator[Problem]:
    """The body says "you" as the generated closing does (:func:`proposer_pronoun`): ``你们`` to
    several proposers (联名件), ``您`` to one person, never ``您`` to a collective (贵委、贵会、
    贵单位) — the first paragraph that disagrees is reported. Replies with their own salutation
    (addressed to someone other than the proposers) are not judged."""
    case = ctx.record.case
    if not answers_proposer(case):
        return  # an opinion to the lead unit says 贵局
    you = proposer_pronoun(case, ctx.org)
    wrong = "你们" if you == "您" else "您"
    if you == "你们" and case.lead.collective and len(case.proposers) == 1:
        return  # a 界别 or group: 你们 or 您 both occur in published replies
    for lt in letters(ctx):
        if lt.reply.salutation:
            continue
        for i, text in paragraphs(lt):
            if wrong not in text:
                continue
            if you == "你们":
                who = f"提案人有{people_count(case)}位"
            elif you == "您":
                who = "提案人只有1位"
            else:
                who = f"提案者是集体（{case.lead.name}）"
            yield Problem(
                f"{lt.path}.body",
                f"{lt.name}正文第{i}段称“{wrong}”，而{who}，结束语称“{you}”；正文宜称“{you}”",
            )
            break
