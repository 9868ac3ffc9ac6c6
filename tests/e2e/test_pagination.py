"""Printed pages of replies (issue #12): a sweep over body lengths and organisation names, and
every demo letter, converted by one warm LibreOffice and checked page by page
(:mod:`tests.e2e.pages`): body text on every page, the closing block whole on the last page,
抄送 whole at the bottom of the letter's last page, the 版记's last rule on the bottom edge of the
text area, page 1 filled, the organ mark on one line inside its rules, nothing outside 156 mm.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gongwen import Converter, HandlingYear, Organisation, render_reply
from gongwen.documents.reply import Variant, reply_context
from gongwen.models.case import Case
from gongwen.models.reply import Reply
from tests.conftest import TODAY
from tests.e2e.pages import Expected, page_problems, squash

pytestmark = pytest.mark.libreoffice

_SENTENCE = "我局高度重视这件建议的办理工作，认真研究落实，取得阶段性成效。" * 10
_ORG_WORDS = "东江市临湖区经济和信息化发展改革规划建设管理委员会办公室"


def body_text(length: int) -> str:
    """About ``length`` characters of body: paragraphs of 40–130 characters, every third one a
    run-in heading ("一、…。…"), and headings on a line of their own ("（一）落实情况") before a
    paragraph that moves with the length, so that one lands at the foot of a page."""
    paras: list[str] = []
    total, i = 0, 0
    own_line = 3 + (length // 110) % 9
    while total < length:
        i += 1
        n = min((40, 90, 130, 60)[i % 4], length - total)
        text = _SENTENCE[:n].rstrip("，") + "。"
        if i % 3 == 1:
            text = "一二三四五六七八九十"[(i // 3) % 10] + "、" + text
        if i % 9 == own_line % 9:
            paras.append("（一）落实情况")
        paras.append(text)
        total += len(text)
    return "\n\n".join(paras)


def org_named(org: Organisation, length: int) -> Organisation:
    """``org`` renamed to a ``length``-character name ending in 局 (the letterhead is the name);
    16 characters: the issue's "××市××区人力资源和社会保障局" (× is set full width)."""
    name = "××市××区人力资源和社会保障局" if length == 16 else _ORG_WORDS[: length - 1] + "局"
    return org.model_copy(update={"name": name, "letterhead": None})


def expected(case: Case, reply: Reply, org: Organisation, *, file_format: bool) -> Expected:
    """What the printed letter must show, from the template context."""
    ctx = reply_context(case, reply, org)
    blocks = "".join(b["head"] + b["text"] for b in ctx["body"])
    return Expected(
        body=squash(ctx["title"] + ctx["salutation"] + blocks + ctx["closing"]),
        closing_block=tuple(squash(x) for x in (ctx["sign_org"], ctx["date"], ctx["note"]) if x),
        copy_to="抄送：" + ctx["copy_to"] if ctx["copy_to"] else "",
        mark=squash(ctx["org_mark"] + ("文件" if file_format else "")),
        file_format=file_format,
        headings=tuple(
            squash(b["head"])
            for b in ctx["body"]
            if b["kind"] != "p" and not b["text"] and b["head"][-1:] not in "。；！？"
        ),
    )


# Body lengths crossing every page boundary up to five pages (one page holds ≈ 600 characters,
# page 1 less); names of 6 to 24 characters rotate through them, both formats, 签发人 every other.
LENGTHS = list(range(50, 3001, 110))
NAMES = (6, 13, 15, 16, 18, 24)


def _sweep() -> Iterator[tuple[int, int, bool, bool]]:
    for i, length in enumerate(LENGTHS):
        for file_format in (False, True):
            yield length, NAMES[(i + file_format) % len(NAMES)], file_format, i % 2 == 0


def test_sweep_of_lengths_names_and_formats(
    example_year: HandlingYear, example_org: Organisation, converter: Converter
) -> None:
    rec = next(r for r in example_year.cases if r.case.label == "建议072")
    assert rec.reply is not None
    failures = []
    for length, name_len, file_format, signer in _sweep():
        org = org_named(example_org, name_len)
        reply = rec.reply.model_copy(
            update={"body": body_text(length), "signer": "王明" if signer else None}
        )
        variant: Variant = "file" if file_format else "letter"
        doc = render_reply(rec.case, reply, org, variant=variant, today=TODAY, check=False)
        pdf = converter.to_pdf(doc.data)
        problems = page_problems(pdf, expected(rec.case, reply, org, file_format=file_format))
        if problems:
            failures.append(f"{length}字 {variant} 机关名{name_len}字：{'；'.join(problems)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("variant", ["letter", "file"])
def test_demo_letters(
    example_year: HandlingYear, example_org: Organisation, converter: Converter, variant: Variant
) -> None:
    failures = []
    for rec in example_year.cases:
        for reply in (rec.reply, rec.rehandling):
            if reply is None:
                continue
            doc = render_reply(rec.case, reply, example_org, variant=variant, today=TODAY,
                               check=False)  # fmt: skip
            file_format = variant == "file"  # opinions too (issue #12: co-opinion file format)
            pdf = converter.to_pdf(doc.data)
            problems = page_problems(
                pdf, expected(rec.case, reply, example_org, file_format=file_format)
            )
            if problems:
                failures.append(f"{rec.case.label}：{'；'.join(problems)}")
    assert not failures, "\n".join(failures)


def test_sweep_without_closing_sentence(
    example_year: HandlingYear, example_org: Organisation, converter: Converter
) -> None:
    """A co-handler's opinion (协办意见) has no closing sentence: its last body paragraph keeps
    with the signature (提案057: the last item, a run-in "二、…。" of two lines, moves to page 2
    with the closing block and the 抄送). Lengths crossing the first page boundaries, both
    formats: every letter passes, page 1 leaving only the slots the kept-together end needs."""
    rec = next(r for r in example_year.cases if r.case.label == "提案057")
    assert (
        rec.reply is not None and reply_context(rec.case, rec.reply, example_org)["closing"] == ""
    )
    failures = []
    for length in range(50, 1400, 45):
        reply = rec.reply.model_copy(update={"body": body_text(length)})
        for variant in ("letter", "file"):
            v: Variant = "file" if variant == "file" else "letter"
            doc = render_reply(rec.case, reply, example_org, variant=v, today=TODAY, check=False)
            pdf = converter.to_pdf(doc.data)
            exp = expected(rec.case, reply, example_org, file_format=v == "file")
            problems = page_problems(pdf, exp)
            if problems:
                failures.append(f"{length}字 {variant}：{'；'.join(problems)}")
    assert not failures, "\n".join(failures)
