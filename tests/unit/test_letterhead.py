"""Letterheads and one-line fields that fit (issue #12): the fitting numbers, the context keys
the templates apply, and rule GW601 (a text too long even at the smallest size)."""

from __future__ import annotations

import pytest

from gongwen import check_record
from gongwen import standard as gb
from gongwen.documents.reply import letterhead_context
from tests.conftest import TODAY, load_example_org, load_example_year

ORG = load_example_org()


def _width(text: str, fit: gb.LineFit) -> float:
    return gb.text_ems(text) * fit.size.twips * fit.scale / 100


@pytest.mark.parametrize("length", [6, 13, 15, 18, 24, 30, 36])
def test_marks_fit_their_rules_at_the_largest_size_possible(length: int) -> None:
    mark = "区" * length
    letter, file = gb.letter_mark_fit(mark), gb.file_mark_fit(mark)
    assert letter is not None and file is not None
    assert _width(mark, letter) <= gb.LETTER_MARK_WIDTH_TWIPS
    assert _width(mark + "文件", file) <= gb.FILE_MARK_WIDTH_TWIPS
    assert letter.scale >= gb.MARK_MIN_SCALE and file.scale >= gb.MARK_MIN_SCALE
    if length <= 13:  # 13 characters of 小初 fit 170 mm unnarrowed
        assert letter.size == gb.XIAOCHU and letter.scale >= 99
    if length <= 24:  # up to 24 characters the letter mark stays 小初, only narrowed
        assert letter.size == gb.XIAOCHU


def test_placeholder_crosses_count_full_width() -> None:
    name = "××市××区人力资源和社会保障局"
    assert gb.text_ems(name) == len(name) == 16
    assert gb.text_ems("2024年5月16日") == 3 + 3.5  # 7 digits half width


def test_too_long_texts_do_not_fit() -> None:
    assert gb.letter_mark_fit("区" * 60) is None
    assert gb.sign_org_scale("区" * 30) is None
    assert gb.sign_org_scale("东江市临湖区经济和信息化局") == 100
    assert gb.issuer_scale("区" * 40, "2024年12月18日") is None


def test_context_sets_sizes_and_scales() -> None:
    ctx = letterhead_context(ORG, "2024年5月16日")
    assert ctx["letter_mark_sz"] == gb.XIAOCHU.sz and ctx["file_mark_sz"] == gb.XIAOCHU.sz
    assert ctx["file_mark_w"] == gb.FILE_MARK_MAX_SCALE and ctx["sign_org_w"] == 100
    long = ORG.model_copy(update={"name": "××市××区人力资源和社会保障局", "letterhead": None})
    ctx = letterhead_context(long, "2024年5月16日")
    assert ctx["letter_mark_w"] < 100 and ctx["file_mark_w"] < gb.FILE_MARK_MAX_SCALE


def test_gw601_warns_only_when_nothing_fits() -> None:
    rec = load_example_year().cases[0]
    assert "GW601" not in {f.code for f in check_record(rec, ORG, today=TODAY)}
    long = ORG.model_copy(update={"letterhead": "区" * 60, "name": "区" * 30})
    found = [f for f in check_record(rec, long, today=TODAY) if f.code == "GW601"]
    # the issuer defaults to the name + 办公室: too long as well
    assert {f.path for f in found} == {
        "organisation.letterhead", "organisation.name", "organisation.issuer"
    }  # fmt: skip
    assert all(f.severity.value == "warning" for f in found)
