"""Run-in headings (issue #12): only the heading phrase of a numbered paragraph is in the level's
heading font (GB/T 9704 §7.3.3: 一、黑体, （一）楷体); the phrase is defined in
``gongwen.documents.blocks`` and the docx verifier (D6) reads the same span."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from gongwen import render_reply
from gongwen import standard as gb
from gongwen.documents.blocks import FIRST_LINE_EMS, body_blocks, heading_phrase
from gongwen.verify import verify
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()
RECORD = next(r for r in load_example_year().cases if r.case.label == "建议072")
MARKERS = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
CLAUSE = "加大财政扶持力度"
REST = "我局会同区财政局修订出台专项资金管理办法并将单个项目补助上限提高"


def test_first_line_is_the_standard_line_less_the_indent() -> None:
    assert FIRST_LINE_EMS == gb.CHARS_PER_LINE - gb.BODY_INDENT_CHARS


@pytest.mark.parametrize("level", [1, 2, 3, 4])
@pytest.mark.parametrize("rest_len", [0, 4, 12, 30])
@pytest.mark.parametrize("clause_end", ["，", "；"])
@pytest.mark.parametrize("end", ["。", "！"])
def test_one_sentence_items(level: int, rest_len: int, clause_end: str, end: str) -> None:
    marker = MARKERS[level]
    sentence = f"{marker}{CLAUSE}{clause_end}{REST[:rest_len]}{end}" if rest_len else ""
    if not rest_len:
        sentence = f"{marker}{CLAUSE}{end}"
    [block] = body_blocks(sentence)
    assert block["kind"] == f"h{level}"
    assert block["head"] + block["text"] == sentence  # nothing lost or added
    if gb.text_ems(sentence) <= FIRST_LINE_EMS:
        # a heading sentence on one line: wholly in the heading font
        assert (block["head"], block["text"]) == (sentence, "")
    else:
        assert block["head"] == f"{marker}{CLAUSE}{clause_end}"
        assert block["text"] == f"{REST[:rest_len]}{end}"


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("一、关于扶持政策", "一、关于扶持政策"),  # on its own line
        ("一、加强组织领导。成立工作专班，明确责任分工。", "一、加强组织领导。"),  # up to 。
        (
            "（一）加强领导：成立工作专班，明确责任分工和时间节点，定期督查通报进展。",
            "（一）加强领导：",
        ),
        # one long sentence without a clause mark, or whose first clause is no phrase: the
        # number alone is in the heading font
        ("一、" + "落实" * 20 + "。", "一、"),
        ("二、2024年，我局将安排工业园区“腾笼换鸟”专项资金800万元，支持园区企业技术改造。", "二、"),
        # the first clause that makes a phrase of 4 characters or more
        (
            "二、今年，加大财政扶持力度，我局会同区财政局修订出台办法并提高补助上限。",
            "二、今年，加大财政扶持力度，",
        ),
        ("（1）" + "加强领导" * 7 + "，落实责任，" + "落实" * 10 + "。", "（1）"),  # past line 1
    ],
)
def test_heading_phrase_examples(text: str, head: str) -> None:
    [block] = body_blocks(text)
    assert block["head"] == head
    assert block["head"] + block["text"] == text


def test_heading_phrase_keeps_given_run_in_text() -> None:
    assert heading_phrase("一、加强领导。", "成立专班。") == ("一、加强领导。", "成立专班。")


def _runs(data: bytes, start: str) -> list[tuple[str, str]]:
    """``(style or font, text)`` of the runs of the paragraph starting with ``start``."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        texts = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)
        if "".join(texts).startswith(start):
            out = []
            for r in re.findall(r"<w:r>.*?</w:r>|<w:r .*?</w:r>", p, re.S):
                style = re.search(r'<w:rStyle w:val="([^"]+)"', r)
                text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", r))
                out.append((style.group(1) if style else "", text))
            return out
    raise AssertionError(start)


@pytest.mark.parametrize("level", [1, 2])
def test_rendered_run_in_heading_and_d6(level: int) -> None:
    assert RECORD.reply is not None
    marker = MARKERS[level]
    top = "" if level == 1 else "一、总体情况\n\n"
    sentence = f"{marker}{CLAUSE}，{REST}。"
    body = f"您提出的建议收悉。现答复如下：\n\n{top}{sentence}\n\n我局将继续努力。"
    reply = RECORD.reply.model_copy(update={"body": body})
    data = render_reply(RECORD.case, reply, ORG, today=TODAY).data
    runs = _runs(data, marker)
    assert runs[0] == ("", f"{marker}{CLAUSE}，")  # the paragraph style's heading font
    assert runs[1] == ("GwRunIn", f"{REST}。")  # 仿宋
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    para = next(p for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S) if CLAUSE in p)
    assert f'<w:pStyle w:val="Heading{level}"/>' in para
    assert '<w:keepNext w:val="0"/>' in para  # run-in: body text, does not chain
    assert not [f for f in verify(data) if f.code == "D6"]
