"""GB/T 9704-2012《党政机关公文格式》 in code: every layout number gongwen uses, named once.

The docx templates (``templates/builder``) and the verifier (:mod:`gongwen.verify.rules`) import
their numbers from here; ``docs/standard.md`` writes the same numbers out in Chinese, clause by
clause. Each name carries the clause (§) of the standard it comes from. Where the standard leaves
a value open, the docstring says "practice" (惯例) and gives what real documents use.

Naming: ``*_MM`` millimetres, ``*_PT`` points, ``*_TWIPS`` twentieths of a point (the length unit
of WordprocessingML), ``*_CHARS`` characters (一字, §3.1), ``*_LINES`` lines (一行, §3.2). Font
sizes are :class:`FontSize` values: ``SANHAO.pt == 16``, ``SANHAO.sz == 32`` (``w:sz`` counts
half-points). Paragraph-border widths (``w:pBdr``/``w:tblBorders`` ``w:sz``) are eighths of a
point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

# =============================================================================== units

MM_PER_INCH: Final = 25.4
PT_PER_INCH: Final = 72
TWIPS_PER_PT: Final = 20
"""A twip is 1/20 pt; WordprocessingML page sizes, margins, indents and spacing are in twips."""
TWIPS_PER_MM: Final = PT_PER_INCH * TWIPS_PER_PT / MM_PER_INCH
"""56.693 twips a millimetre."""
MM_PER_PT: Final = MM_PER_INCH / PT_PER_INCH
"""0.3528 mm a point."""
EMU_PER_MM: Final = 36_000
"""DrawingML lengths (anchored shapes, text boxes) are in EMU."""
EMU_PER_PT: Final = 12_700
BORDER_UNITS_PER_PT: Final = 8
"""``w:sz`` of paragraph and table borders counts eighths of a point."""


def mm_to_twips(value: float) -> int:
    """Millimetres → twips, rounded."""
    return round(value * TWIPS_PER_MM)


def twips_to_mm(value: float) -> float:
    """Twips → millimetres."""
    return value / TWIPS_PER_MM


def pt_to_twips(value: float) -> int:
    """Points → twips, rounded."""
    return round(value * TWIPS_PER_PT)


def mm_to_emu(value: float) -> int:
    """Millimetres → EMU, rounded."""
    return round(value * EMU_PER_MM)


def mm_to_border_sz(value: float) -> int:
    """A rule's thickness in millimetres → border ``w:sz`` (eighths of a point), rounded."""
    return round(value / MM_PER_PT * BORDER_UNITS_PER_PT)


# =============================================================================== font sizes


@dataclass(frozen=True)
class FontSize:
    """A Chinese type size (号): its name and size in points."""

    name: str
    pt: float

    @property
    def sz(self) -> int:
        """The ``w:sz`` value (half-points): 三号 → 32."""
        return round(self.pt * 2)

    @property
    def twips(self) -> int:
        """The size in twips: 三号 → 320, the width of one character (一字)."""
        return pt_to_twips(self.pt)

    @property
    def mm(self) -> float:
        """The size in millimetres (the em box): 三号 → 5.64 mm."""
        return self.pt * MM_PER_PT


CHUHAO: Final = FontSize("初号", 42)
XIAOCHU: Final = FontSize("小初", 36)
YIHAO: Final = FontSize("一号", 26)
XIAOYI: Final = FontSize("小一", 24)
ERHAO: Final = FontSize("二号", 22)
XIAOER: Final = FontSize("小二", 18)
SANHAO: Final = FontSize("三号", 16)
XIAOSAN: Final = FontSize("小三", 15)
SIHAO: Final = FontSize("四号", 14)
XIAOSI: Final = FontSize("小四", 12)
WUHAO: Final = FontSize("五号", 10.5)
XIAOWU: Final = FontSize("小五", 9)
FONT_SIZES: Final = (
    CHUHAO, XIAOCHU, YIHAO, XIAOYI, ERHAO, XIAOER, SANHAO, XIAOSAN, SIHAO, XIAOSI, WUHAO, XIAOWU,
)  # fmt: skip
"""The Chinese sizes from 初号 down to 小五."""
SIZE_NAMES: Final[Mapping[int, str]] = MappingProxyType({s.sz: s.name for s in FONT_SIZES})
"""``w:sz`` → name of the size: ``SIZE_NAMES[32] == "三号"``."""

# =============================================================================== fonts, colours

FANGSONG: Final = "仿宋_GB2312"
"""仿宋: the default face of every element (§5.2.2), the body text (§7.3.3)."""
KAITI: Final = "楷体_GB2312"
"""楷体: second-level headings (§7.3.3), the signer's name (§7.2.6)."""
HEITI: Final = "黑体"
"""黑体: first-level headings (§7.3.3), 密级/紧急程度 (§7.2.2, §7.2.3), "附件" labels (§7.3.7)."""
XIAOBIAOSONG: Final = "方正小标宋简体"
"""小标宋: the issuing-organ mark (§7.2.4, recommended) and the title (§7.3.1)."""
SONGTI: Final = "宋体"
"""宋体: page numbers (§7.5)."""

# The usual names of each family in documents typed by hand (a checker accepts all of them).
FANGSONG_NAMES: Final = (
    "仿宋", "仿宋_GB2312", "FangSong", "仿宋体", "FangSong_GB2312", "方正仿宋_GBK", "方正仿宋简体",
    "华文仿宋", "STFangsong",
)  # fmt: skip
KAITI_NAMES: Final = (
    "楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "楷体_GBK", "方正楷体_GBK", "方正楷体简体",
    "华文楷体", "STKaiti",
)  # fmt: skip
HEITI_NAMES: Final = (
    "黑体", "SimHei", "黑体_GB2312", "方正黑体_GBK", "方正黑体简体", "华文黑体", "STHeiti",
)  # fmt: skip
SONGTI_NAMES: Final = (
    "宋体", "SimSun", "新宋体", "NSimSun", "宋体_GB2312", "华文宋体", "STSong", "方正书宋_GBK",
    "方正书宋简体", "中易宋体",
)  # fmt: skip

BLACK: Final = "000000"
"""All text is black unless stated otherwise (§5.2.4)."""
RED: Final = "FF0000"
"""Red: only the issuing-organ mark (§7.2.4, §10.1) and the red rules (§7.2.7, §10.1)."""

# =============================================================================== §5 page


@dataclass(frozen=True)
class Margin:
    """One page margin: the side's Chinese label, millimetres, twips (as Word writes them)."""

    label: str
    mm: float
    twips: int


PAGE_WIDTH_MM: Final = 210.0
"""A4 (§5.1): 210 × 297 mm."""
PAGE_HEIGHT_MM: Final = 297.0
PAGE_WIDTH_TWIPS: Final = 11906
"""A4 width as Word writes it (210 mm = 11905.5 twips)."""
PAGE_HEIGHT_TWIPS: Final = 16838
MARGIN_TOP_MM: Final = 37.0
"""天头 (top margin) 37 mm ± 1 mm (§5.2.1)."""
MARGIN_LEFT_MM: Final = 28.0
"""订口 (binding / left margin) 28 mm ± 1 mm (§5.2.1)."""
TEXT_WIDTH_MM: Final = 156.0
"""版心 (text area) 156 × 225 mm (§5.2.1)."""
TEXT_HEIGHT_MM: Final = 225.0
MARGIN_RIGHT_MM: Final = PAGE_WIDTH_MM - MARGIN_LEFT_MM - TEXT_WIDTH_MM
"""26 mm: what the text area leaves on the right."""
MARGIN_BOTTOM_MM: Final = PAGE_HEIGHT_MM - MARGIN_TOP_MM - TEXT_HEIGHT_MM
"""35 mm: what the text area leaves at the bottom."""
MARGIN_TOLERANCE_MM: Final = 1.0
"""± 1 mm on the margins (§5.2.1)."""
MARGIN_TOP_TWIPS: Final = 2098
MARGIN_BOTTOM_TWIPS: Final = 1984
MARGIN_RIGHT_TWIPS: Final = 1474
MARGIN_LEFT_TWIPS: Final = 1588
"""28 mm is 1587.4 twips; 1588 makes the text width exactly 8844 twips (156 mm)."""
TEXT_WIDTH_TWIPS: Final = PAGE_WIDTH_TWIPS - MARGIN_LEFT_TWIPS - MARGIN_RIGHT_TWIPS
"""8844 twips."""
TEXT_HEIGHT_TWIPS: Final = PAGE_HEIGHT_TWIPS - MARGIN_TOP_TWIPS - MARGIN_BOTTOM_TWIPS
"""12756 twips."""
TEXT_BOTTOM_MM: Final = MARGIN_TOP_MM + TEXT_HEIGHT_MM
"""262 mm: the bottom edge of the text area, from the top of the paper."""
MARGINS: Final[Mapping[str, Margin]] = MappingProxyType(
    {
        "top": Margin("上", MARGIN_TOP_MM, MARGIN_TOP_TWIPS),
        "bottom": Margin("下", MARGIN_BOTTOM_MM, MARGIN_BOTTOM_TWIPS),
        "left": Margin("左", MARGIN_LEFT_MM, MARGIN_LEFT_TWIPS),
        "right": Margin("右", MARGIN_RIGHT_MM, MARGIN_RIGHT_TWIPS),
    }
)
"""The four margins by OOXML side name (``w:pgMar`` attributes)."""

BODY_FONT: Final = FANGSONG
"""Every element defaults to 3号仿宋 (§5.2.2)."""
BODY_SIZE: Final = SANHAO
CHAR_TWIPS: Final = BODY_SIZE.twips
"""一字 (§3.1): the width of one body character, 16 pt = 320 twips; the unit of every indent."""
LINES_PER_PAGE: Final = 22
"""22 lines a page (§5.2.3)."""
CHARS_PER_LINE: Final = 28
"""28 characters a line, filling the text width (撑满版心, §5.2.3)."""
LINE_DEFINITION_PT: Final = SANHAO.pt * (1 + 7 / 8)
"""一行 (§3.2): one character height plus 7/8 of a 3号 character (30 pt). 22 such lines do not fit
225 mm, so the line pitch below is what §5.2.3 leaves (text height / 22)."""
LINE_PITCH_MAX_TWIPS: Final = TEXT_HEIGHT_TWIPS // LINES_PER_PAGE
"""579 twips (28.95 pt): the largest exact line spacing that puts 22 lines in 225 mm."""
LINE_PITCH_MIN_TWIPS: Final = 560
"""28 pt: the smallest line spacing seen in practice."""
LINE_PITCH_TWIPS: Final = LINE_PITCH_MAX_TWIPS
"""The exact line spacing (and ``w:docGrid w:linePitch``) gongwen writes: 22 lines fill the page."""
DOC_GRID_TYPE: Final = "linesAndChars"
"""``w:docGrid w:type``: 指定行和字符网格 (22 lines × 28 characters)."""
DOC_GRID_CHAR_SPACE: Final = round(
    (TEXT_WIDTH_MM / MM_PER_PT / CHARS_PER_LINE - BODY_SIZE.pt) * 4096
)
"""``w:docGrid w:charSpace`` (−848): 1/4096 pt added to each 16 pt cell so that 28 fill 156 mm."""
OVERFLOW_PUNCTUATION: Final = False
"""Punctuation does not hang past the text area: the 28 characters of a line fill the 156 mm
(§5.2.1, §5.2.3), nothing stands outside it. Word, WPS and LibreOffice hang a line-end
"，。、" into the margin by default (“允许标点溢出边界”, ``w:overflowPunct``); gongwen's
documents turn it off (``w:overflowPunct w:val="0"``) so that the line is compressed instead."""

# ======================================================================== §7.2 版头 (file format)

COPY_NUMBER_DIGITS: Final = 6
"""份号: six Arabic digits, flush left on line 1 (§7.2.1)."""
SECURITY_FONT: Final = HEITI
"""密级和保密期限, 紧急程度: 3号黑体, flush left, below the 份号 (§7.2.2, §7.2.3)."""
SECURITY_SIZE: Final = SANHAO
ORG_MARK_FONT: Final = XIAOBIAOSONG
"""发文机关标志: 小标宋 recommended, red, centred (§7.2.4)."""
ORG_MARK_COLOR: Final = RED
FILE_MARK_BELOW_TEXT_TOP_MM: Final = 35.0
"""Top edge of the 发文机关标志 35 mm below the top edge of the text area (§7.2.4)."""
DOC_NUMBER_BLANK_LINES: Final = 2
"""发文字号: centred, two blank lines below the mark (§7.2.5)."""
UPWARD_DOC_NUMBER_INDENT_CHARS: Final = 1
"""In an upward document the 发文字号 is one character in from the left (§7.2.5)."""
SIGNER_INDENT_CHARS: Final = 1
"""签发人 one character in from the right (§7.2.6)."""
SIGNER_LABEL_FONT: Final = FANGSONG
"""“签发人：” in 3号仿宋, the name in 3号楷体 (§7.2.6)."""
SIGNER_NAME_FONT: Final = KAITI
SEPARATOR_BELOW_DOC_NUMBER_MM: Final = 4.0
"""The red separator: 4 mm below the 发文字号, as wide as the text area (§7.2.7)."""
SEPARATOR_LENGTH_MM: Final = TEXT_WIDTH_MM
SEPARATOR_COLOR: Final = RED
SEPARATOR_THICKNESS_MM: Final = (0.35, 0.5)
"""Practice: the separator is 0.35–0.5 mm thick (the standard names no thickness)."""

# =============================================================================== §7.3 主体

TITLE_FONT: Final = XIAOBIAOSONG
"""标题: 2号小标宋, centred, not bold, no trailing punctuation (§7.3.1)."""
TITLE_SIZE: Final = ERHAO
TITLE_BLANK_LINES: Final = 2
"""The title two blank lines below the red separator (§7.3.1)."""
SALUTATION_BLANK_LINES: Final = 1
"""主送机关: one blank line below the title, flush left, ends with "：" (§7.3.2)."""
BODY_INDENT_CHARS: Final = 2
"""正文: every paragraph two characters in, wrapped lines flush left (§7.3.3)."""
BODY_INDENT_TWIPS: Final = BODY_INDENT_CHARS * CHAR_TWIPS
"""640 twips (``w:firstLine``)."""
BODY_INDENT_HUNDREDTHS: Final = BODY_INDENT_CHARS * 100
"""200 (``w:firstLineChars``, hundredths of a character)."""
HEADING_NUMBERS: Final = ("一、", "（一）", "1.", "（1）")
"""The numbers of the four heading levels, in order (§7.3.3)."""
HEADING_FONTS: Final[Mapping[int, str]] = MappingProxyType(
    {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}
)
"""Heading level → face: 一、黑体 · （一）楷体 · 1. 仿宋 · （1）仿宋 (§7.3.3)."""
HEADING_SIZE: Final = SANHAO
"""All heading levels are 3号 (§5.2.2)."""
ATTACHMENT_NOTE_BLANK_LINES: Final = 1
"""附件说明: one blank line below the body, two characters in (§7.3.4)."""
ATTACHMENT_NOTE_INDENT_CHARS: Final = 2
SEAL_DATE_RIGHT_INDENT_CHARS: Final = 4
"""With a seal: the 成文日期 four characters in from the right, the organ's name centred on the
date above it (§7.3.5.1)."""
NO_SEAL_BLANK_LINES: Final = 1
"""Without a seal: one blank line, the name two characters in from the right, the date on the
next line starting two characters further right (§7.3.5.2)."""
NO_SEAL_NAME_RIGHT_INDENT_CHARS: Final = 2
NO_SEAL_DATE_SHIFT_CHARS: Final = 2
NOTE_INDENT_CHARS: Final = 2
"""附注: on the line after the date, two characters in, inside （） (§7.3.6)."""
ATTACHMENT_LABEL_FONT: Final = HEITI
"""附件: a new page; "附件" + number 3号黑体 flush left on line 1, title centred on line 3
(§7.3.7)."""
ATTACHMENT_LABEL_LINE: Final = 1
ATTACHMENT_TITLE_LINE: Final = 3

# =============================================================================== §7.4 版记

RECORD_FONT: Final = FANGSONG
"""抄送, 印发机关和印发日期: 4号仿宋 (§7.4.2, §7.4.3)."""
RECORD_SIZE: Final = SIHAO
RECORD_INDENT_CHARS: Final = 1
"""抄送 one character in on each side; 印发机关 one in from the left, 印发日期 one in from the right
(§7.4.2, §7.4.3)."""
RECORD_RULE_LENGTH_MM: Final = TEXT_WIDTH_MM
"""版记 rules as wide as the text area; the last on the bottom edge of the last page's text area
(§7.4.1)."""
RECORD_THICK_RULE_MM: Final = 0.35
"""First and last rule: thick, 0.35 mm recommended (§7.4.1)."""
RECORD_THIN_RULE_MM: Final = 0.25
"""Middle rules: thin, 0.25 mm recommended (§7.4.1)."""
RECORD_THICK_RULE_SZ: Final = mm_to_border_sz(RECORD_THICK_RULE_MM)
"""8 (1 pt ≈ 0.35 mm) as a border ``w:sz``."""
RECORD_THIN_RULE_SZ: Final = mm_to_border_sz(RECORD_THIN_RULE_MM)
"""6 (0.75 pt ≈ 0.26 mm) as a border ``w:sz``."""

# =============================================================================== §7.5 页码

PAGE_NUMBER_FONT: Final = SONGTI
"""Page numbers: 4号 半角宋体 Arabic numerals (§7.5)."""
PAGE_NUMBER_SIZE: Final = SIHAO
PAGE_NUMBER_DASH: Final = "\u2014"
"""一字线 “—” on each side of the number: ``— 1 —`` (§7.5)."""
PAGE_NUMBER_FORMAT: Final = f"{PAGE_NUMBER_DASH} {{}} {PAGE_NUMBER_DASH}"
"""``PAGE_NUMBER_FORMAT.format(1) == "— 1 —"``."""
PAGE_NUMBER_BELOW_TEXT_MM: Final = 7.0
"""The 一字线 7 mm below the bottom edge of the text area (§7.5)."""
PAGE_NUMBER_INDENT_CHARS: Final = 1
"""Odd pages: right, one character in; even pages: left, one character in (§7.5)."""
PAGE_NUMBER_ODD_SIDE: Final = "right"
PAGE_NUMBER_EVEN_SIDE: Final = "left"

# =============================================================================== §10.1 信函格式

LETTER_MARK_TOP_MM: Final = 30.0
"""The issuing-organ mark's top edge 30 mm from the top of the paper, red, centred (§10.1)."""
LETTER_RULE_BELOW_MARK_MM: Final = 4.0
"""A red double rule (thick over thin) 4 mm below the mark (§10.1)."""
LETTER_BOTTOM_RULE_ABOVE_EDGE_MM: Final = 20.0
"""A red double rule (thin over thick) 20 mm above the bottom edge of the paper (§10.1)."""
LETTER_RULE_LENGTH_MM: Final = 170.0
"""Both double rules 170 mm long, centred on the paper (§10.1)."""
LETTER_MARKS_BELOW_RULE_PT: Final = SANHAO.pt * 7 / 8
"""份号/密级/紧急程度 (left) and 发文字号 (right) 7/8 of a 3号 character (14 pt) under the first
double rule (§10.1)."""
LETTER_TITLE_BLANK_LINES: Final = 2
"""The title two lines below the last element above it (§10.1)."""
LETTER_FIRST_PAGE_NUMBERED: Final = False
"""Page 1 of a letter shows no page number (§10.1)."""
LETTER_RECORD_HAS_IMPRINT: Final = False
"""A letter's 版记 keeps 抄送 but has no 印发机关/印发日期 and no rules (§10.1)."""

# =============================================================================== fitting one line

MARK_SIZES: Final = (XIAOCHU, YIHAO, XIAOYI, ERHAO)
"""发文机关标志 sizes, largest first (practice: 小初 down to 二号; §7.2.4 leaves the size open,
"醒目、美观、庄重"). The mark keeps the largest size at which it fits one line with a character
scale of at least :data:`MARK_MIN_SCALE`."""
MARK_MIN_SCALE: Final = 50
"""Narrowest character scale (``w:w``, percent) of the organ mark (practice: 长宋 narrowing)."""
LETTER_MARK_MAX_SCALE: Final = 100
"""The letter-format mark is not narrowed while it fits the 170 mm rules (§10.1)."""
FILE_MARK_MAX_SCALE: Final = 75
"""The file-format mark ("…文件") is narrowed to 75 % at most (practice)."""
LINE_MIN_SCALE: Final = 60
"""Narrowest character scale of a one-line field (发文机关署名, 印发机关) that would wrap."""
FIT_SAFETY: Final = 0.97
"""Share of the available width a fitted line may fill (glyph spacing differs between faces)."""


@dataclass(frozen=True)
class LineFit:
    """How one line of text is set: its size (``w:sz``) and character scale (``w:w``, percent)."""

    size: FontSize
    scale: int

    @property
    def sz(self) -> int:
        return self.size.sz


def text_ems(text: str) -> float:
    """Width of ``text`` in ems: ASCII (digits, Latin) ½, everything else 1 — Chinese faces set
    "×", "·", "—" and the like full width (the "××市" of a letterhead placeholder)."""
    return sum(0.5 if ord(c) < 0x80 else 1.0 for c in text)


def fit_line(
    text: str,
    width_twips: float,
    sizes: tuple[FontSize, ...],
    *,
    max_scale: int = 100,
    min_scale: int,
    spacing_twips: int = 0,
) -> LineFit | None:
    """The largest size of ``sizes`` (then the widest scale ≤ ``max_scale``) at which ``text``
    fits ``width_twips`` on one line; None when it does not fit even at the smallest size and
    ``min_scale``. ``spacing_twips`` is the character spacing (``w:spacing``) of each character."""
    ems = text_ems(text)
    if ems <= 0:
        return LineFit(sizes[0], max_scale)
    room = width_twips * FIT_SAFETY
    for size in sizes:
        per_char = room / ems - spacing_twips
        scale = min(max_scale, int(100 * per_char / size.twips))
        if scale >= min_scale:
            return LineFit(size, scale)
    return None


SEAL_TYPICAL_DATE_CHARS: Final = 7
"""Width of a typical 成文日期 ("2024年12月18日": six half-width digits and 年月日) in characters;
the organ name above it is centred on this width (§7.3.5.1)."""
SEAL_SIGN_WIDTH_TWIPS: Final = (2 * SEAL_DATE_RIGHT_INDENT_CHARS + SEAL_TYPICAL_DATE_CHARS) * (
    CHAR_TWIPS
)
"""Room for the 发文机关署名 centred on the date (4800 twips, 15 characters); a longer name is
narrowed (``w:w``) instead of wrapping."""
LETTER_MARK_WIDTH_TWIPS: Final = mm_to_twips(LETTER_RULE_LENGTH_MM)
"""The letter-format mark stays within the 170 mm double rules (§10.1)."""
FILE_MARK_WIDTH_TWIPS: Final = TEXT_WIDTH_TWIPS
"""The file-format mark ("…文件") stays within the 156 mm text width (§7.2.4)."""
RECORD_IMPRINT_GAP_CHARS: Final = 1
"""At least one 4号 character between 印发机关 and 印发日期 on their line (§7.4.3)."""


def letter_mark_fit(mark: str) -> LineFit | None:
    """The letter-format mark on one line inside the 170 mm rules (None: it cannot fit)."""
    return fit_line(
        mark, LETTER_MARK_WIDTH_TWIPS, MARK_SIZES, max_scale=LETTER_MARK_MAX_SCALE,
        min_scale=MARK_MIN_SCALE,
    )  # fmt: skip


def file_mark_fit(mark: str) -> LineFit | None:
    """The file-format mark with "文件" on one line inside the text width (None: it cannot)."""
    return fit_line(
        mark + "文件", FILE_MARK_WIDTH_TWIPS, MARK_SIZES, max_scale=FILE_MARK_MAX_SCALE,
        min_scale=MARK_MIN_SCALE,
    )  # fmt: skip


def sign_org_scale(name: str) -> int | None:
    """Character scale of the 发文机关署名 on one line (100 when it fits; None: it cannot)."""
    fit = fit_line(name, SEAL_SIGN_WIDTH_TWIPS, (BODY_SIZE,), min_scale=LINE_MIN_SCALE)
    return None if fit is None else fit.scale


def issuer_scale(issuer: str, issue_date: str) -> int | None:
    """Character scale of the 印发机关 so that "印发机关 … 印发日期印发" is one line."""
    width = (
        TEXT_WIDTH_TWIPS
        - 2 * RECORD_INDENT_CHARS * CHAR_TWIPS
        - (text_ems(issue_date + "印发") + RECORD_IMPRINT_GAP_CHARS) * RECORD_SIZE.twips
    )
    fit = fit_line(issuer, width, (RECORD_SIZE,), min_scale=LINE_MIN_SCALE)
    return None if fit is None else fit.scale
