"""Two-line marks and joint letterheads (联合行文, issue #12 deliverable 2) as organisation
configuration: the model, the size every line shares (numbers from ``gongwen.standard``), the
context the templates apply, the rendered XML, and the GW601 warning when they cannot fit."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pydantic import ValidationError

from gongwen import check_record, render_reply
from gongwen import standard as gb
from gongwen.documents.reply import mark_rows_context, reply_context
from gongwen.models.organisation import Organisation, rows_fit
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()
RECORD = next(r for r in load_example_year().cases if r.case.label == "建议072")
assert RECORD.reply is not None
REPLY = RECORD.reply
_WORDS = "东江市临湖区经济和信息化发展改革规划建设管理委员会办公室人力资源"


def _name(length: int) -> str:
    return _WORDS[: length - 1] + "局"


def _org(**update: object) -> Organisation:
    return Organisation.model_validate({**ORG.model_dump(), **update})


def _width(text: str, fit: gb.LineFit) -> float:
    return gb.text_ems(text) * fit.size.twips * fit.scale / 100


def test_rows_main_organ_first() -> None:
    joint = _org(joint_letterheads=["东江市临湖区财政局", "东江市临湖区商务局"])
    assert joint.mark_rows == (ORG.mark, "东江市临湖区财政局", "东江市临湖区商务局")
    two = _org(letterhead=None, letterhead_lines=["东江市临湖区人力资源", "和社会保障局"])
    assert two.mark_rows == ("东江市临湖区人力资源", "和社会保障局")
    assert two.mark == "东江市临湖区人力资源和社会保障局"
    assert ORG.mark_rows == (ORG.mark,)


@pytest.mark.parametrize(
    "update",
    [
        {"letterhead_lines": ["只有一行"]},
        {"letterhead_lines": ["一", "二", "三"]},
        {"joint_letterheads": ["东江市临湖区财政局", " "]},
    ],
)
def test_bad_rows_are_refused(update: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        _org(**update)


@pytest.mark.parametrize("lengths", [(6, 6), (13, 9), (15, 24), (18, 18, 18), (24, 6, 12, 16)])
@pytest.mark.parametrize("file_format", [False, True])
def test_every_row_fits_at_one_size(lengths: tuple[int, ...], file_format: bool) -> None:
    rows = tuple(_name(n) for n in lengths)
    fit = rows_fit(rows, file_format=file_format)
    assert fit is not None and fit.size in gb.MARK_SIZES and fit.scale >= gb.MARK_MIN_SCALE
    for row in rows:
        if file_format:
            assert _width(row + "文件", fit) <= gb.FILE_MARK_WIDTH_TWIPS
            assert fit.scale <= gb.FILE_MARK_MAX_SCALE
        else:
            assert _width(row, fit) <= gb.LETTER_MARK_WIDTH_TWIPS
            assert fit.scale <= gb.LETTER_MARK_MAX_SCALE


@pytest.mark.parametrize("count", [1, 2, 3, 4])
@pytest.mark.parametrize("length", [6, 13, 18, 24])
def test_context_lays_out_rows(count: int, length: int) -> None:
    org = _org(joint_letterheads=[_name(length)] * count)
    ctx = mark_rows_context(org)
    assert (
        ctx["mark_rows"] == list(org.mark_rows) and ctx["org_mark"].split("\n") == ctx["mark_rows"]
    )
    # one 小初 mark line (its exact line height) per further line
    assert ctx["letter_rows_twips"] == count * gb.XIAOCHU.twips
    assert ctx["letter_rows_emu"] == count * round(gb.XIAOCHU.pt * gb.EMU_PER_PT)
    total = ctx["file_names_w"] + ctx["file_gap_w"] + ctx["file_word_w"]
    assert total <= gb.TEXT_WIDTH_TWIPS
    fit = rows_fit(org.mark_rows, file_format=True)
    assert fit is not None
    longest = max(org.mark_rows, key=gb.text_ems)
    assert ctx["file_names_w"] >= _width(longest, fit)
    assert ctx["file_word_w"] >= _width("文件", fit)


def test_one_line_mark_keeps_its_layout() -> None:
    ctx = reply_context(RECORD.case, REPLY, ORG)
    assert ctx["org_mark"] == ORG.mark and ctx["mark_rows"] == [ORG.mark]
    assert ctx["letter_rows_twips"] == ctx["letter_rows_emu"] == 0


def _document(org: Organisation, variant: str) -> str:
    doc = render_reply(
        RECORD.case, REPLY, org, today=TODAY, check=False,
        variant=variant,  # type: ignore[arg-type]
    )  # fmt: skip
    return zipfile.ZipFile(io.BytesIO(doc.data)).read("word/document.xml").decode()


def _offsets(xml: str) -> list[int]:
    return [int(v) for v in re.findall(r"posOffset>(\d+)<", xml)]


def test_rendered_letter_stacks_the_rows_above_the_moved_rule() -> None:
    org = _org(joint_letterheads=["东江市临湖区财政局"])
    one, two = _document(ORG, "letter"), _document(org, "letter")
    assert two.count("<w:br/>") == one.count("<w:br/>") + 1  # the second mark line
    assert "东江市临湖区财政局" in two
    shift = round(gb.XIAOCHU.pt * gb.EMU_PER_PT)
    moved = [b - a for a, b in zip(_offsets(one), _offsets(two), strict=True) if b != a]
    assert moved == [shift, shift]  # the upper double rule's two lines, nothing else


def test_rendered_file_format_is_a_table_with_one_word() -> None:
    org = _org(joint_letterheads=["东江市临湖区财政局", "东江市临湖区商务局"])
    xml = _document(org, "file")
    assert xml.count("<w:tbl>") == 1 and xml.count(">文件<") == 1
    assert 'w:val="distribute"' not in _document(ORG, "file")  # one line: as before
    for name in org.mark_rows:
        assert name in xml


def test_gw601_warns_when_a_row_cannot_fit() -> None:
    too_long = "东江市临湖区" * 8
    org = _org(joint_letterheads=[too_long])
    found = [f for f in check_record(RECORD, org, today=TODAY) if f.code == "GW601"]
    assert found and found[0].path == "organisation.joint_letterheads[0]"
    assert "联合行文" in found[0].message and too_long in found[0].message
    ok = _org(joint_letterheads=["东江市临湖区财政局", "东江市临湖区人力资源和社会保障局"])
    assert not [f for f in check_record(RECORD, ok, today=TODAY) if f.code == "GW601"]
    two = _org(letterhead=None, letterhead_lines=["东江市临湖区" * 8, "局"])
    found = [f for f in check_record(RECORD, two, today=TODAY) if f.code == "GW601"]
    assert found and found[0].path == "organisation.letterhead_lines[0]"
