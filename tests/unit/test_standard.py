"""gongwen.standard against the literal numbers of GB/T 9704-2012, and the built templates.

Every expected value here is written out as the standard states it (docs/standard.md), never
computed from gongwen's own constants; the second half builds the templates with
``templates/build.py`` and reads page size, margins, grid and paragraph defaults back.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from gongwen import standard as gb
from gongwen.ooxml import qn
from tests.conftest import ROOT

MM_PER_PT = 25.4 / 72
TWIPS_PER_MM = 1440 / 25.4


# ---- units and sizes -------------------------------------------------------------------------
def test_units() -> None:
    assert gb.mm_to_twips(25.4) == 1440
    assert gb.pt_to_twips(16) == 320
    assert gb.mm_to_emu(1) == 36_000
    assert gb.twips_to_mm(1440) == pytest.approx(25.4)
    assert gb.mm_to_border_sz(0.35) == 8  # 1 pt
    assert gb.mm_to_border_sz(0.25) == 6  # 0.75 pt


def test_chinese_font_sizes() -> None:
    sizes = {s.name: s.pt for s in gb.FONT_SIZES}
    assert sizes == {
        "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
        "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9,
    }  # fmt: skip
    assert gb.SANHAO.sz == 32 and gb.ERHAO.sz == 44 and gb.SIHAO.sz == 28 and gb.WUHAO.sz == 21
    assert gb.SIZE_NAMES[32] == "三号" and gb.SIZE_NAMES[44] == "二号"


# ---- §5 page ---------------------------------------------------------------------------------
def test_paper_margins_and_text_area() -> None:
    assert (gb.PAGE_WIDTH_MM, gb.PAGE_HEIGHT_MM) == (210, 297)  # A4 (§5.1)
    assert gb.MARGIN_TOP_MM == 37  # 天头 (§5.2.1)
    assert gb.MARGIN_LEFT_MM == 28  # 订口
    assert gb.MARGIN_TOLERANCE_MM == 1
    assert gb.TEXT_WIDTH_MM == 156
    assert gb.TEXT_HEIGHT_MM == 225
    assert gb.MARGIN_RIGHT_MM == 26 and gb.MARGIN_BOTTOM_MM == 35
    assert gb.TEXT_BOTTOM_MM == 262
    # twips as Word writes them, each within one twip of the millimetres
    for twips, mm in (
        (gb.PAGE_WIDTH_TWIPS, 210), (gb.PAGE_HEIGHT_TWIPS, 297), (gb.MARGIN_TOP_TWIPS, 37),
        (gb.MARGIN_BOTTOM_TWIPS, 35), (gb.MARGIN_LEFT_TWIPS, 28), (gb.MARGIN_RIGHT_TWIPS, 26),
        (gb.TEXT_WIDTH_TWIPS, 156), (gb.TEXT_HEIGHT_TWIPS, 225),
    ):  # fmt: skip
        assert abs(twips - mm * TWIPS_PER_MM) < 1, mm
    assert (gb.PAGE_WIDTH_TWIPS, gb.PAGE_HEIGHT_TWIPS) == (11906, 16838)
    assert gb.TEXT_WIDTH_TWIPS == 8844 and gb.TEXT_HEIGHT_TWIPS == 12756
    assert {side: (m.mm, m.twips) for side, m in gb.MARGINS.items()} == {
        "top": (37, 2098), "bottom": (35, 1984), "left": (28, 1588), "right": (26, 1474),
    }  # fmt: skip


def test_22_lines_of_28_characters_fit_the_text_area() -> None:
    assert (gb.LINES_PER_PAGE, gb.CHARS_PER_LINE) == (22, 28)  # §5.2.3
    assert gb.BODY_SIZE.pt == 16 and gb.BODY_FONT == "仿宋_GB2312"  # 3号仿宋 (§5.2.2)
    assert gb.CHAR_TWIPS == 320  # 一字 = one 16 pt character (§3.1)
    # exact line spacing: 22 lines within 225 mm, and 28–28.95 pt as in practice
    pitch_pt = gb.LINE_PITCH_TWIPS / 20
    assert 22 * pitch_pt * MM_PER_PT <= 225
    assert 28 <= pitch_pt <= 28.95
    assert (gb.LINE_PITCH_MIN_TWIPS, gb.LINE_PITCH_MAX_TWIPS) == (560, 579)
    assert 22 * (gb.LINE_PITCH_MAX_TWIPS + 1) / 20 * MM_PER_PT > 225  # 579 is the largest
    # 一行 (§3.2): a 3号 character plus 7/8 of it = 30 pt; 22 of those would not fit
    assert gb.LINE_DEFINITION_PT == 30 and 22 * 30 * MM_PER_PT > 225
    # 28 characters of 16 pt are 158 mm: the character grid takes 0.207 pt off each cell
    assert 28 * 16 * MM_PER_PT > 156
    cell_pt = 16 + gb.DOC_GRID_CHAR_SPACE / 4096
    assert 28 * cell_pt * MM_PER_PT == pytest.approx(156, abs=0.01)
    assert gb.DOC_GRID_CHAR_SPACE == -848 and gb.DOC_GRID_TYPE == "linesAndChars"
    assert gb.OVERFLOW_PUNCTUATION is False  # nothing stands outside the 156 mm


def test_colours_and_faces() -> None:
    assert (gb.BLACK, gb.RED) == ("000000", "FF0000")  # §5.2.4; red mark and rules
    assert gb.ORG_MARK_COLOR == gb.SEPARATOR_COLOR == "FF0000"
    assert gb.ORG_MARK_FONT == gb.TITLE_FONT == "方正小标宋简体"
    for canonical, names in (
        (gb.FANGSONG, gb.FANGSONG_NAMES), (gb.KAITI, gb.KAITI_NAMES),
        (gb.HEITI, gb.HEITI_NAMES), (gb.SONGTI, gb.SONGTI_NAMES),
    ):  # fmt: skip
        assert canonical in names
    assert "仿宋" in gb.FANGSONG_NAMES and "FangSong" in gb.FANGSONG_NAMES


# ---- §7.2 – §7.5, §10.1 ----------------------------------------------------------------------
def test_header_numbers() -> None:
    assert gb.COPY_NUMBER_DIGITS == 6  # §7.2.1
    assert (gb.SECURITY_FONT, gb.SECURITY_SIZE.pt) == ("黑体", 16)  # §7.2.2, §7.2.3
    assert gb.FILE_MARK_BELOW_TEXT_TOP_MM == 35  # §7.2.4
    assert gb.DOC_NUMBER_BLANK_LINES == 2  # §7.2.5
    assert gb.UPWARD_DOC_NUMBER_INDENT_CHARS == gb.SIGNER_INDENT_CHARS == 1  # §7.2.5, §7.2.6
    assert (gb.SIGNER_LABEL_FONT, gb.SIGNER_NAME_FONT) == ("仿宋_GB2312", "楷体_GB2312")
    assert gb.SEPARATOR_BELOW_DOC_NUMBER_MM == 4 and gb.SEPARATOR_LENGTH_MM == 156  # §7.2.7


def test_body_numbers() -> None:
    assert gb.TITLE_SIZE.pt == 22 and gb.TITLE_BLANK_LINES == 2  # 2号小标宋 (§7.3.1)
    assert gb.SALUTATION_BLANK_LINES == 1  # §7.3.2
    assert (gb.BODY_INDENT_CHARS, gb.BODY_INDENT_TWIPS, gb.BODY_INDENT_HUNDREDTHS) == (2, 640, 200)
    assert gb.HEADING_NUMBERS == ("一、", "（一）", "1.", "（1）")  # §7.3.3
    assert dict(gb.HEADING_FONTS) == {
        1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312",
    }  # fmt: skip
    assert gb.HEADING_SIZE.pt == 16
    assert (gb.ATTACHMENT_NOTE_BLANK_LINES, gb.ATTACHMENT_NOTE_INDENT_CHARS) == (1, 2)  # §7.3.4
    assert gb.SEAL_DATE_RIGHT_INDENT_CHARS == 4  # §7.3.5.1
    assert (
        gb.NO_SEAL_BLANK_LINES, gb.NO_SEAL_NAME_RIGHT_INDENT_CHARS, gb.NO_SEAL_DATE_SHIFT_CHARS
    ) == (1, 2, 2)  # §7.3.5.2  # fmt: skip
    assert gb.NOTE_INDENT_CHARS == 2  # §7.3.6
    assert gb.ATTACHMENT_LABEL_FONT == "黑体"  # §7.3.7
    assert (gb.ATTACHMENT_LABEL_LINE, gb.ATTACHMENT_TITLE_LINE) == (1, 3)


def test_record_and_page_numbers() -> None:
    assert (gb.RECORD_FONT, gb.RECORD_SIZE.pt, gb.RECORD_INDENT_CHARS) == ("仿宋_GB2312", 14, 1)
    assert gb.RECORD_RULE_LENGTH_MM == 156  # §7.4.1
    assert (gb.RECORD_THICK_RULE_MM, gb.RECORD_THIN_RULE_MM) == (0.35, 0.25)
    assert (gb.RECORD_THICK_RULE_SZ, gb.RECORD_THIN_RULE_SZ) == (8, 6)
    assert (gb.PAGE_NUMBER_FONT, gb.PAGE_NUMBER_SIZE.pt) == ("宋体", 14)  # 4号 半角宋体 (§7.5)
    assert gb.PAGE_NUMBER_FORMAT.format(3) == "\u2014 3 \u2014"  # 一字线 each side
    assert gb.PAGE_NUMBER_BELOW_TEXT_MM == 7
    assert gb.PAGE_NUMBER_INDENT_CHARS == 1
    assert (gb.PAGE_NUMBER_ODD_SIDE, gb.PAGE_NUMBER_EVEN_SIDE) == ("right", "left")


def test_letter_format_numbers() -> None:
    assert gb.LETTER_MARK_TOP_MM == 30  # §10.1
    assert gb.LETTER_RULE_BELOW_MARK_MM == 4
    assert gb.LETTER_BOTTOM_RULE_ABOVE_EDGE_MM == 20
    assert gb.LETTER_RULE_LENGTH_MM == 170
    assert gb.LETTER_MARKS_BELOW_RULE_PT == 14  # 7/8 of a 3号 character
    assert gb.LETTER_TITLE_BLANK_LINES == 2
    assert gb.LETTER_FIRST_PAGE_NUMBERED is False and gb.LETTER_RECORD_HAS_IMPRINT is False


# ---- the templates the builder builds --------------------------------------------------------
NAMES = (
    "reply_letter.docx", "reply_file.docx", "co_opinion.docx", "feedback_form.docx",
    "annual_report.docx",
)  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, etree._Element]]:
    out = tmp_path_factory.mktemp("built")
    subprocess.run(
        [sys.executable, str(ROOT / "templates" / "build.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    parts: dict[str, dict[str, etree._Element]] = {}
    for name in NAMES:
        with zipfile.ZipFile(Path(out) / name) as z:
            parts[name] = {
                p: etree.fromstring(z.read(f"word/{p}.xml")) for p in ("document", "styles")
            }
    return parts


def _attr(el: etree._Element, name: str) -> int:
    return int(el.get(qn(f"w:{name}")))


@pytest.mark.parametrize("name", NAMES)
def test_built_templates_page_margins_and_grid(
    built: dict[str, dict[str, etree._Element]], name: str
) -> None:
    sections = list(built[name]["document"].iter(qn("w:sectPr")))
    portrait = sections[0]
    size = portrait.find(qn("w:pgSz"))
    assert (_attr(size, "w"), _attr(size, "h")) == (11906, 16838)
    mar = portrait.find(qn("w:pgMar"))
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(_attr(mar, side) - mm * TWIPS_PER_MM) <= TWIPS_PER_MM, side  # ± 1 mm
    assert _attr(mar, "left") + _attr(mar, "right") + 8844 == 11906  # 156 mm text width
    grid = portrait.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert 22 * _attr(grid, "linePitch") <= 16838 - _attr(mar, "top") - _attr(mar, "bottom")
    assert _attr(grid, "charSpace") == -848
    for landscape in sections[1:]:  # §8: tables turned a quarter keep the text area
        size = landscape.find(qn("w:pgSz"))
        if size.get(qn("w:orient")) != "landscape":  # a portrait page after them (版记)
            assert dict(landscape.find(qn("w:pgMar")).attrib) == dict(
                portrait.find(qn("w:pgMar")).attrib
            )
            continue
        assert (_attr(size, "w"), _attr(size, "h")) == (16838, 11906)
        mar = landscape.find(qn("w:pgMar"))
        width = 16838 - _attr(mar, "left") - _attr(mar, "right")
        height = 11906 - _attr(mar, "top") - _attr(mar, "bottom")
        assert abs(width - 225 * TWIPS_PER_MM) <= 2 and abs(height - 156 * TWIPS_PER_MM) <= 2


@pytest.mark.parametrize("name", NAMES)
def test_built_templates_turn_overflow_punctuation_off(
    built: dict[str, dict[str, etree._Element]], name: str
) -> None:
    styles = built[name]["styles"]
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    places = [("docDefaults", default)]
    places += [
        (s.get(qn("w:styleId")), s.find(qn("w:pPr")))
        for s in styles.iter(qn("w:style"))
        if s.get(qn("w:type")) == "paragraph"
    ]
    for where, ppr in places:
        assert ppr is not None, where
        punct = ppr.find(qn("w:overflowPunct"))
        assert punct is not None and punct.get(qn("w:val")) == "0", where
        # schema order (CT_PPrBase): after w:tabs, before w:snapToGrid / w:spacing / w:ind / w:jc
        tags = [etree.QName(c).localname for c in ppr]
        i = tags.index("overflowPunct")
        assert not {"pStyle", "keepNext", "pageBreakBefore", "pBdr", "tabs"} & set(tags[i + 1 :])
        assert not {"snapToGrid", "spacing", "ind", "jc", "outlineLvl"} & set(tags[:i])


@pytest.mark.parametrize("name", NAMES)
def test_built_templates_default_text_is_3hao_fangsong(
    built: dict[str, dict[str, etree._Element]], name: str
) -> None:
    styles = built[name]["styles"]
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rpr.find(qn("w:color")).get(qn("w:val")) == "000000"
