"""Rules D1–D14: GB/T 9704-2012 layout of a produced .docx (ours or one typed by hand).

The standard's numbers come from :mod:`gongwen.standard`. The rules look at a
:class:`~gongwen.verify.document.DocxContext`; how paragraphs are classified (title, body,
headings, date …) is described in that module's docstring. Layout numbers (paper, margins, sizes,
spacing, indents) are errors; style niceties are warnings. Some rules grade single findings softer
than the rule itself (a 宋体 stand-in title, ``-`` for ``—`` around page numbers, theme fonts that
nothing uses); a configured severity override still applies to every finding of the rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree as ET

from gongwen import standard as gb
from gongwen.checks.core import Rule, rule
from gongwen.findings import Problem, Severity, Subject
from gongwen.ooxml import qn
from gongwen.ooxml.properties import FONT_SLOTS, THEME_ATTRS
from gongwen.ooxml.text import field_text, mm, on, w, wattr
from gongwen.text.dates import DATE_CN_PATTERN, format_date
from gongwen.text.numerals import cn_to_int
from gongwen.verify.document import (
    DocxContext,
    Kind,
    Para,
    Role,
    Run,
    excerpt,
    is_red,
    is_rule_text,
    section_label,
)

# ----------------------------------------------------------------------------- GB/T 9704 numbers

A4 = (gb.PAGE_WIDTH_TWIPS, gb.PAGE_HEIGHT_TWIPS)  # twips, 210 × 297 mm
TOLERANCE_MM = gb.MARGIN_TOLERANCE_MM
MARGINS = gb.MARGINS  # side → (label, mm, twips as Word writes them)
BODY_SIZE = gb.BODY_SIZE.sz  # 三号
TITLE_SIZE = gb.TITLE_SIZE.sz  # 二号
PAGE_NUMBER_SIZE = gb.PAGE_NUMBER_SIZE.sz  # 四号
LINE_MIN, LINE_MAX = gb.LINE_PITCH_MIN_TWIPS, gb.LINE_PITCH_MAX_TWIPS  # exact line spacing, twips
FIRST_LINE_CHARS = gb.BODY_INDENT_HUNDREDTHS
FIRST_LINE_TWIPS = gb.BODY_INDENT_TWIPS
FIRST_LINE_TOL = 40  # twips: an indent typed in centimetres (1.13 cm) still counts as two chars
MARK_MIN_SIZE = 36  # red text this large in the letterhead is the issuing-organ mark
SIZE_NAMES = gb.SIZE_NAMES


def _size_label(sz: int) -> str:
    """``三号（16磅）``: how messages name a size the standard asks for."""
    return f"{SIZE_NAMES[sz]}（{sz / 2:g}磅）"


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]", "", name).lower()


def _family(*names: str) -> frozenset[str]:
    return frozenset(_norm(n) for n in names)


FANGSONG = _family(*gb.FANGSONG_NAMES)
HEITI = _family(*gb.HEITI_NAMES)
KAITI = _family(*gb.KAITI_NAMES)
SONGTI = _family(*gb.SONGTI_NAMES)
# canonical face (gongwen.standard) → its family of usual names
_FAMILY_OF = {gb.FANGSONG: FANGSONG, gb.HEITI: HEITI, gb.KAITI: KAITI, gb.SONGTI: SONGTI}
FAMILY_LABELS = {
    FANGSONG: "仿宋（仿宋_GB2312/仿宋/FangSong）",
    HEITI: "黑体",
    KAITI: "楷体（楷体_GB2312/楷体）",
    SONGTI: "宋体",
}


def in_family(name: str | None, family: frozenset[str]) -> bool:
    """True when ``name`` is one of the family's usual names."""
    return name is not None and _norm(name) in family


def is_xiaobiaosong(name: str | None) -> bool:
    """方正小标宋简体, 方正小标宋_GBK, 小标宋, FZXiaoBiaoSong-B05S …"""
    return name is not None and ("小标宋" in name or "xiaobiaosong" in _norm(name))


def is_song_standin(name: str | None) -> bool:
    """A 宋-style face used in place of 小标宋 (宋体, 华文中宋, 思源宋体, Noto Serif CJK …)."""
    if name is None:
        return False
    n = _norm(name)
    return "宋" in name or n in SONGTI or "serif" in n or "simsun" in n or "songti" in n


# ----------------------------------------------------------------------------- graded findings


def docx_rule(
    code: str, severity: str, title: str
) -> Callable[[Callable[[DocxContext], Iterable[Problem]]], Rule[DocxContext]]:
    """Register a DOCX rule."""
    return rule(code, severity, Subject.DOCX, title)


def warning(path: str, message: str, fix: str | None = None) -> Problem:
    """A problem reported as a warning."""
    return Problem(path, message, fix, Severity.WARNING)


# ----------------------------------------------------------------------------- helpers

_CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d\u2026]"
)
TEXT_ROLES = (
    Role.BODY,
    Role.HEADING1,
    Role.HEADING2,
    Role.SALUTATION,
    Role.ATTACHMENT_NOTE,
    Role.SIGNATURE,
    Role.DATE,
    Role.NOTE,
)


def size_name(sz: int | None) -> str:
    """``三号（16磅）`` for sz 32; ``未设置`` for None."""
    if sz is None:
        return "未设置（默认10.5磅）"
    name = SIZE_NAMES.get(sz)
    return f"{name}（{sz / 2:g}磅）" if name else f"{sz / 2:g}磅"


def _which(paras: list[Para]) -> str:
    """``第4段“您提出的…”、第7段“2024年…”共2段``: the paragraphs in office words."""
    shown = [p.label for p in paras[:3]]
    more = f"等{len(paras)}段" if len(paras) > 3 else f"共{len(paras)}段"
    return "、".join(shown) + more


def _grouped(
    items: Iterable[tuple[str, Para]], message: Callable[[str, str], str]
) -> Iterator[Problem]:
    """One problem per distinct measured value, naming every paragraph that has it."""
    groups: dict[str, list[Para]] = {}
    for key, para in items:
        bucket = groups.setdefault(key, [])
        if not bucket or bucket[-1] is not para:
            bucket.append(para)
    for key, paras in groups.items():
        yield Problem(paras[0].path, message(key, _which(paras)))


def _excerpt(text: str, n: int = 16) -> str:
    return excerpt(text, n)


def body_runs(ctx: DocxContext) -> Iterator[tuple[Para, Run]]:
    """Visible runs of body-text paragraphs, excluding heading spans and super/subscripts."""
    for p in ctx.with_role(*TEXT_ROLES):
        for r in p.visible_runs():
            if p.heading_level and r.start < p.heading_end:
                continue
            if r.props.vert_align in ("superscript", "subscript"):
                continue
            yield p, r


def heading_runs(p: Para) -> list[Run]:
    """Visible runs that overlap a paragraph's heading span."""
    return [r for r in p.visible_runs() if r.start < p.heading_end]


def _char_twips(p: Para) -> int:
    return (p.max_size() or BODY_SIZE) * 10


# ----------------------------------------------------------------------------- D1–D2 page


def _tol_twips() -> float:
    return TOLERANCE_MM * gb.TWIPS_PER_MM


def _near(value: int, want: int) -> bool:
    return abs(value - want) <= _tol_twips()


@docx_rule("D1", "error", "纸张为A4")
def page_size(ctx: DocxContext) -> Iterator[Problem]:
    """Every section is A4, 210 × 297 mm ± 1 mm (a landscape A4 section for tables is fine)."""
    for s in ctx.sections:
        if s.page_w is None or s.page_h is None:
            yield Problem(
                s.path,
                f"{section_label(s.path)}未设置纸张大小，Word会按Letter纸排版；"
                f"应为A4（210×297毫米）",
            )
            continue
        portrait = _near(s.page_w, A4[0]) and _near(s.page_h, A4[1])
        landscape = _near(s.page_w, A4[1]) and _near(s.page_h, A4[0])
        if not (portrait or landscape):
            yield Problem(
                s.path,
                f"{section_label(s.path)}纸张为{mm(s.page_w):.1f}×{mm(s.page_h):.1f}毫米，"
                f"应为A4纸210×297毫米",
            )


# A landscape section (横排表格) keeps the portrait margins, turned a quarter either way.
_LANDSCAPE = (
    {"top": "left", "bottom": "right", "left": "top", "right": "bottom"},
    {"top": "right", "bottom": "left", "left": "bottom", "right": "top"},
)


@docx_rule("D2", "error", "页边距为上37、下35、左28、右26毫米")
def margins(ctx: DocxContext) -> Iterator[Problem]:
    """天头37、下35、订口28、右26 mm, ± 1 mm (the gutter counts toward the left margin)."""
    for s in ctx.sections:
        actual = {k: s.margins.get(k) for k in MARGINS}
        if actual["left"] is not None:
            actual["left"] = actual["left"] + (s.margins.get("gutter") or 0)
        maps = [{k: k for k in MARGINS}]
        if s.page_w and s.page_h and s.page_w > s.page_h:
            maps = list(_LANDSCAPE)
        best: list[Problem] | None = None
        for mapping in maps:
            problems: list[Problem] = []
            for side, spec_side in mapping.items():
                label = MARGINS[side].label
                want_mm, want = MARGINS[spec_side].mm, MARGINS[spec_side].twips
                value = actual[side]
                if value is None:
                    problems.append(
                        Problem(
                            s.path,
                            f"{section_label(s.path)}未设置{label}边距，应为{want_mm:g}毫米",
                        )
                    )
                elif not _near(abs(value), want):
                    problems.append(
                        Problem(
                            s.path,
                            f"{section_label(s.path)}{label}边距为{mm(abs(value)):.1f}毫米，"
                            f"应为{want_mm:g}毫米，允许±{TOLERANCE_MM:g}毫米",
                        )
                    )
            if best is None or len(problems) < len(best):
                best = problems
        yield from best or []


# ----------------------------------------------------------------------------- D3–D5 body


@docx_rule("D3", "error", "正文为三号仿宋")
def body_font(ctx: DocxContext) -> Iterator[Problem]:
    """Body text is sz 32 (三号) with a 仿宋-family east-Asian font."""
    sizes = ((size_name(r.props.size), p) for p, r in body_runs(ctx) if r.props.size != BODY_SIZE)
    yield from _grouped(
        sizes, lambda v, where: f"正文字号为{v}，应为{_size_label(BODY_SIZE)}：{where}"
    )
    fonts = (
        (r.props.east_asia or "", p)
        for p, r in body_runs(ctx)
        if _CJK.search(r.text)
        and r.props.east_asia is not None
        and not in_family(r.props.east_asia, FANGSONG)
    )
    yield from _grouped(
        fonts, lambda v, where: f"正文中文字体为“{v}”，应为{FAMILY_LABELS[FANGSONG]}：{where}"
    )


def _line_label(rule_: str | None, line: int | None) -> str:
    if line is None:
        return "单倍行距（未设置）"
    if rule_ == "exact":
        return f"固定值{line / 20:g}磅"
    if rule_ == "atLeast":
        return f"最小值{line / 20:g}磅"
    return f"{line / 240:g}倍行距"


_GRID_LABELS = {
    "default": "无网格",
    "lines": "只指定行网格",
    "linesAndChars": "指定行和字符网格",
    "snapToChars": "文字对齐字符网格",
}


@docx_rule("D4", "error", "正文固定行距28–28.95磅并设文档网格")
def line_spacing(ctx: DocxContext) -> Iterator[Problem]:
    """Exact line spacing 560–579 twips on body text; docGrid lines with the same pitch."""
    paras = [p for p in ctx.with_role(*TEXT_ROLES)]
    bad = (
        (_line_label(p.props.line_rule, p.props.line), p)
        for p in paras
        if not (
            p.props.line_rule == "exact"
            and p.props.line is not None
            and LINE_MIN <= p.props.line <= LINE_MAX
        )
    )
    yield from _grouped(
        bad,
        lambda v, where: (
            f"正文行距为{v}，应为固定值{LINE_MIN / 20:g}–{LINE_MAX / 20:g}磅"
            f"（每页{gb.LINES_PER_PAGE}行）：{where}"
        ),
    )
    lines = [p.props.line for p in paras if p.props.line_rule == "exact" and p.props.line]
    body_line = max(set(lines), key=lines.count) if lines else None
    for s in ctx.sections:
        if s.grid_type not in ("lines", "linesAndChars"):
            yield warning(
                s.path,
                f"{section_label(s.path)}的文档网格为"
                f"“{_GRID_LABELS.get(s.grid_type or '', '无网格')}”，"
                f"应在“页面设置—文档网格”中设为“指定行和字符网格”，并与行距一致",
            )
        elif (
            s.line_pitch is None
            or not LINE_MIN <= s.line_pitch <= LINE_MAX
            or (body_line is not None and abs(s.line_pitch - body_line) > 5)
        ):
            want = (
                f"{body_line / 20:g}磅（与正文行距一致）"
                if body_line
                else f"{LINE_MIN / 20:g}–{LINE_MAX / 20:g}磅"
            )
            shown = f"{s.line_pitch / 20:g}磅" if s.line_pitch else "未设置"
            yield warning(
                s.path, f"{section_label(s.path)}的文档网格行距（跨度）为{shown}，应为{want}"
            )


@docx_rule("D5", "error", "正文首行缩进两个字符")
def first_line_indent(ctx: DocxContext) -> Iterator[Problem]:
    """Body paragraphs: first-line indent 2 characters (firstLineChars=200 or 640 ± 40 twips)."""
    bad: list[tuple[str, Para]] = []
    left_bad: list[tuple[str, Para]] = []
    for p in ctx.with_role(Role.BODY):
        pp = p.props
        if pp.left_chars or (pp.left and abs(pp.left) > FIRST_LINE_TOL):
            value = (
                f"{pp.left_chars / 100:g}字符"
                if pp.left_chars
                else f"{(pp.left or 0) / _char_twips(p):.1f}字（{mm(pp.left or 0):.1f}毫米）"
            )
            left_bad.append((value, p))
        if pp.hanging_chars or pp.hanging:
            value = (
                f"悬挂缩进{(pp.hanging_chars or 0) / 100:g}字符"
                if pp.hanging_chars
                else f"悬挂缩进{(pp.hanging or 0) / _char_twips(p):.1f}字"
            )
            bad.append((value, p))
            continue
        if pp.first_line_chars:
            if pp.first_line_chars != FIRST_LINE_CHARS:
                bad.append((f"{pp.first_line_chars / 100:g}字符", p))
            continue
        twips = pp.first_line or 0
        if abs(twips - FIRST_LINE_TWIPS) <= FIRST_LINE_TOL:
            continue
        lead = p.text[: p.lead]
        if twips == 0 and (lead.count("\u3000") == 2 or lead == "    "):
            yield warning(p.path, f"{p.label}用空格代替首行缩进，应在“段落”中设首行缩进2字符")
            continue
        bad.append((f"{twips / (_char_twips(p)):.1f}字（{mm(twips):.1f}毫米）", p))
    yield from _grouped(
        bad,
        lambda v, where: f"正文首行缩进为{v}，应为2字符（{mm(FIRST_LINE_TWIPS):.1f}毫米）：{where}",
    )
    yield from _grouped(
        left_bad, lambda v, where: f"正文左缩进为{v}，回行应顶格（左缩进0）：{where}"
    )


# ----------------------------------------------------------------------------- D6–D7 headings


_HEADING_FONTS = {
    level: (_FAMILY_OF[face], face.removesuffix("_GB2312"))
    for level, face in gb.HEADING_FONTS.items()
}  # level → (family, label): 1 黑体 · 2 楷体 · 3, 4 仿宋
_LEVEL_NAMES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}


@docx_rule("D6", "error", "各级标题字体")
def heading_fonts(ctx: DocxContext) -> Iterator[Problem]:
    """一、黑体 · （一）楷体 · 1. 仿宋 · （1）仿宋, all 三号, on the heading span."""
    for p in ctx.paragraphs:
        if not p.heading_level or p.role not in (Role.HEADING1, Role.HEADING2, Role.BODY):
            continue
        family, label = _HEADING_FONTS[p.heading_level]
        what = f"{_LEVEL_NAMES[p.heading_level]}“{_excerpt(p.text[p.lead : p.heading_end])}”"
        runs = heading_runs(p)
        fonts = {r.props.east_asia for r in runs if _CJK.search(r.text)}
        wrong = sorted(f or "未设置" for f in fonts if not in_family(f, family))
        if wrong:
            yield Problem(p.path, f"{what}中文字体为“{'、'.join(wrong)}”，应为{label}")
        sizes = sorted({r.props.size or 0 for r in runs} - {BODY_SIZE})
        if sizes:
            shown = "、".join(size_name(s or None) for s in sizes)
            yield Problem(p.path, f"{what}字号为{shown}，应为{_size_label(BODY_SIZE)}")


@docx_rule("D7", "error", "标题为二号小标宋居中")
def title_format(ctx: DocxContext) -> Iterator[Problem]:
    """The title: centred, sz 44, 小标宋 family (宋 stand-ins are warnings), not bold."""
    titles = ctx.with_role(Role.TITLE)
    if not titles:
        yield Problem("document", "未找到标题：第一页顶部（版头之后）应有居中的二号小标宋标题")
        return
    for p in titles:
        what = f"标题“{_excerpt(p.stripped)}”"
        if not p.props.centred:
            yield Problem(p.path, f"{what}未居中（对齐方式为{p.props.align or '左对齐'}），应居中")
        runs = p.visible_runs()
        sizes = sorted({r.props.size or 0 for r in runs} - {TITLE_SIZE})
        if sizes:
            shown = "、".join(size_name(s or None) for s in sizes)
            yield Problem(p.path, f"{what}字号为{shown}，应为{_size_label(TITLE_SIZE)}")
        names = {r.props.east_asia for r in runs if _CJK.search(r.text)}
        proper = all(is_xiaobiaosong(n) for n in names)
        for name in sorted(n or "" for n in names):
            if is_xiaobiaosong(name):
                continue
            if is_song_standin(name):
                yield warning(
                    p.path, f"{what}字体为“{name}”，是小标宋的替代字体，应为{gb.TITLE_FONT}"
                )
            else:
                yield Problem(p.path, f"{what}字体为“{name or '未设置'}”，应为{gb.TITLE_FONT}")
        if proper and any(r.props.bold for r in runs):
            yield Problem(p.path, f"{what}加粗了，小标宋标题不应加粗")


# ----------------------------------------------------------------------------- D8 red


def _first_header_parts(ctx: DocxContext) -> set[str]:
    if not ctx.sections:
        return set()
    s = ctx.sections[0]
    typ = "first" if s.title_pg else "default"
    return {s.headers[typ]} if typ in s.headers else set()


@docx_rule("D8", "error", "红色仅用于发文机关标志和分隔线")
def red_text(ctx: DocxContext) -> Iterator[Problem]:
    """Red text only for the issuing-organ mark (large, top of page 1) and rule glyphs."""
    top_headers = _first_header_parts(ctx)

    def in_letterhead(p: Para) -> bool:
        if p.part == "document" and p.in_table:
            # a mark of several lines (联合行文) is a table in the letterhead
            return p.table_after > 0 and ctx.in_letterhead(p.table_after)
        if p.part == "document":
            return p.number > 0 and ctx.in_letterhead(p.number)
        return p.part in top_headers

    for p in ctx.all_paragraphs():
        red = [r for r in p.visible_runs() if is_red(r.props.color)]
        if not red:
            continue
        placed = p.props.centred or p.in_textbox or p.props.frame_x_align or p.in_table
        mark_ok = in_letterhead(p) and placed
        offending = [
            r
            for r in red
            if not is_rule_text(r.text) and not (mark_ok and (r.props.size or 0) >= MARK_MIN_SIZE)
        ]
        if offending:
            text = _excerpt("".join(r.text for r in offending))
            colours = "、".join(sorted({r.props.color or "" for r in offending}))
            yield Problem(
                p.path,
                f"{p.label}中有红色文字“{text}”（颜色{colours}）：红色只能用于版头的"
                f"发文机关标志和分隔线，其他文字应为黑色",
            )


# ----------------------------------------------------------------------------- D9–D10 footers


@dataclass
class _PageNumber:
    part: str
    typ: str
    para: Para | None
    text: str
    runs: list[Run]


def _page_numbers(ctx: DocxContext) -> tuple[list[_PageNumber], list[tuple[str, str]]]:
    """Footers that must carry page numbers, and (path, type) of those that are missing."""
    found: dict[str, _PageNumber] = {}
    missing: list[tuple[str, str]] = []
    types = ["default", "even"] if ctx.even_and_odd_headers else ["default"]
    for s in ctx.sections:
        for typ in types:
            name = s.footers.get(typ)
            if name is None or name not in ctx.parts:
                missing.append((f"{s.path}.footerReference[{typ}]", typ))
                continue
            if name in found:
                continue
            for para in ctx.parts[name].paras:
                text, has_page, page_els = field_text(para.element)
                if has_page:
                    runs = [r for r in para.runs if r.text.strip() or r.element in page_els]
                    found[name] = _PageNumber(name, typ, para, text, runs)
                    break
            else:
                found[name] = _PageNumber(name, typ, None, "", [])
    return list(found.values()), missing


def _estimated_lines(ctx: DocxContext) -> int:
    """Rough count of 3号 lines (28 characters each; Latin half width) plus the letterhead."""
    per_line = gb.CHARS_PER_LINE
    total = 4 if ctx.letterhead_end else 0
    for p in ctx.paragraphs + ctx.table_paragraphs:
        width = sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in p.stripped)
        total += max(1, -int(-width // per_line))
    return total


_PAGE_NUMBER = gb.PAGE_NUMBER_FORMAT.format("n")  # "— n —"
_TYPE_LABEL = {"default": "奇数页（默认）", "even": "偶数页", "first": "首页"}


@docx_rule("D9", "error", "页码为四号宋体“— n —”")
def page_number_format(ctx: DocxContext) -> Iterator[Problem]:
    """Footers carry a PAGE field shown as ``— n —`` in 4号 宋体."""
    if ctx.kind is Kind.FORM:
        return  # a table form (征询意见表) is one sheet: no page numbers
    numbers, missing = _page_numbers(ctx)
    one_page = _estimated_lines(ctx) <= gb.LINES_PER_PAGE
    make: Callable[[str, str], Problem] = warning if one_page else Problem
    hint = "（文档似为单页；超过一页时须加页码）" if one_page else ""
    for path, typ in missing:
        yield make(path, f"{_TYPE_LABEL[typ]}没有页脚，缺少页码{hint}")
    for pn in numbers:
        if pn.para is None:
            yield make(pn.part, f"{_TYPE_LABEL[pn.typ]}页脚中没有页码（页码域PAGE）{hint}")
            continue
        shown = re.sub(r"[\s\u3000]+", " ", pn.text).strip()
        compact = shown.replace(" ", "")
        if compact == _PAGE_NUMBER.replace(" ", ""):
            pass
        elif re.fullmatch(r"[-－–―—]{1,2}n[-－–―—]{1,2}", compact):
            yield warning(
                pn.para.path,
                f"页码为“{shown}”，两侧应各为一字线“—”（U+2014）：{_PAGE_NUMBER}",
                fix=_PAGE_NUMBER,
            )
        else:
            yield Problem(
                pn.para.path,
                f"页码为“{shown}”，应为“{_PAGE_NUMBER}”（一字线、半角阿拉伯数字）",
                fix=_PAGE_NUMBER,
            )
        sizes = sorted({r.props.size or 0 for r in pn.runs} - {PAGE_NUMBER_SIZE})
        if sizes:
            shown_sizes = "、".join(size_name(s or None) for s in sizes)
            yield Problem(
                pn.para.path, f"页码字号为{shown_sizes}，应为{_size_label(PAGE_NUMBER_SIZE)}"
            )
        fonts = sorted(
            {
                r.props.east_asia or "未设置"
                for r in pn.runs
                if not in_family(r.props.east_asia, SONGTI)
            }
        )
        if fonts:
            yield warning(pn.para.path, f"页码字体为“{'、'.join(fonts)}”，应为宋体")


def _one_char_in(p: Para, side: str) -> bool:
    pp = p.props
    chars, twips = (pp.right_chars, pp.right) if side == "right" else (pp.left_chars, pp.left)
    if (chars or 0) >= 50 or (twips or 0) >= 140:
        return True
    text = p.text.rstrip("\r\n") if side == "right" else p.text
    edge = text[-1:] if side == "right" else text[:1]
    return edge in ("\u3000", " ", "\u00a0")


@docx_rule("D10", "error", "页码单页居右、双页居左")
def page_number_placement(ctx: DocxContext) -> Iterator[Problem]:
    """evenAndOddHeaders on; odd-page number right, even-page number left, one character in."""
    numbers, _ = _page_numbers(ctx)
    placed = [pn for pn in numbers if pn.para is not None]
    if not placed:
        return
    outside = all(pn.para.props.frame_x_align == "outside" for pn in placed if pn.para)
    if not ctx.even_and_odd_headers and not outside:
        yield Problem(
            "settings.xml",
            "未启用“奇偶页不同”（页面设置—版式），页码无法单页居右、双页居左",
        )
    for pn in placed:
        assert pn.para is not None
        pp = pn.para.props
        if pp.frame_x_align == "outside":
            continue
        want_right = pn.typ == "default"
        if pp.frame_x_align in ("left", "right", "center", "inside"):
            where = {"left": "left", "right": "right", "center": "center"}.get(
                pp.frame_x_align, "left"
            )
        else:
            where = "right" if pp.right_aligned else "center" if pp.centred else "left"
        label = {"left": "居左", "right": "居右", "center": "居中"}[where]
        if want_right and where != "right":
            yield Problem(pn.para.path, f"{_TYPE_LABEL[pn.typ]}页码{label}，单页码应居右空一字")
        elif not want_right and where != "left":
            yield Problem(pn.para.path, f"偶数页页码{label}，双页码应居左空一字")
        elif not _one_char_in(pn.para, where):
            side = "右" if where == "right" else "左"
            yield warning(
                pn.para.path,
                f"页码紧贴版心{side}边，应{side}空一字（缩进一个字符或加一个全角空格）",
            )


# ----------------------------------------------------------------------------- D11 theme fonts


@docx_rule("D11", "error", "不使用主题字体")
def theme_fonts(ctx: DocxContext) -> Iterator[Problem]:
    """No asciiTheme/eastAsiaTheme/hAnsiTheme/cstheme where they decide the font of text."""
    effective: dict[str, set[str]] = {}
    for p in ctx.all_paragraphs():
        for r in p.visible_runs():
            for slot, fs in r.props.fonts.items():
                if fs.theme:
                    effective.setdefault(fs.origin, set()).add(slot)
    places: list[tuple[str, str, ET.Element]] = []  # (path, office words, rPr)
    if ctx.styles.default_rpr is not None:
        places.append(("styles.xml docDefaults", "文档默认字体", ctx.styles.default_rpr))
    for sid, s in ctx.styles.by_id.items():
        rpr = s.find(w("rPr"))
        if rpr is not None:
            places.append((f"styles.xml style[{sid}]", f"样式“{sid}”", rpr))
    for p in ctx.all_paragraphs():
        for r in p.runs:
            rpr = r.element.find(w("rPr"))
            if rpr is not None:
                places.append((r.path, f"{p.label}中的文字“{_excerpt(r.text, 8)}”", rpr))
    used = ctx.used_styles
    for origin, label, rpr in places:
        rf = rpr.find(w("rFonts"))
        if rf is None:
            continue
        attrs = [
            (slot, v) for slot in FONT_SLOTS if (v := wattr(rf, THEME_ATTRS[slot])) is not None
        ]
        if not attrs:
            continue
        shown = "、".join(
            f"w:{THEME_ATTRS[slot]}={v}" + (f"（{ctx.theme_font(v)}）" if ctx.theme_font(v) else "")
            for slot, v in attrs
        )
        hit = effective.get(origin, set()) & {"ascii", "hAnsi", "eastAsia"}
        if hit:
            yield Problem(
                origin,
                f"{label}使用主题字体（{shown}），覆盖了写明的字体名，文字实际使用主题字体；"
                f"应删除主题字体属性并写明字体",
            )
        else:
            style_id = (
                origin[len("styles.xml style[") : -1]
                if origin.startswith("styles.xml style[")
                else None
            )
            why = "（未使用的样式）" if style_id is not None and style_id not in used else ""
            yield warning(
                origin,
                f"{label}{why}含主题字体（{shown}），目前未决定文字字体，"
                f"但新插入的文字可能继承；建议删除",
            )


# ----------------------------------------------------------------------------- D12 date


_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT.update({"○": "0", "零": "0", "Ｏ": "0", "O": "0"})


def _corrected_date(text: str) -> str | None:
    t = unicodedata.normalize("NFKC", text).replace(" ", "")
    m = re.fullmatch(r"(.{2,4})年(.{1,3})月(.{1,3})日", t)
    if not m:
        return None
    try:
        year_s = "".join(_CN_DIGIT.get(c, c) for c in m.group(1))
        year = int(year_s)
        month, day = (
            int(g) if g.isdigit() else cn_to_int(g.replace("〇", "零"))
            for g in (m.group(2), m.group(3))
        )
        return format_date(date(year, month, day))
    except ValueError:
        return None


@docx_rule("D12", "error", "成文日期用阿拉伯数字且不补零")
def date_line(ctx: DocxContext) -> Iterator[Problem]:
    """成文日期 ``2024年7月1日``: Arabic numerals, year in full, no zero padding, a real date."""
    for p in ctx.with_role(Role.DATE):
        text = p.stripped
        fixed = _corrected_date(text)
        if DATE_CN_PATTERN.fullmatch(text) and fixed == text:
            continue
        if fixed is None:
            yield Problem(p.path, f"成文日期“{text}”不是有效日期，应写作如“2024年7月1日”")
        elif re.search(r"[〇○零Ｏ一二三四五六七八九十]", text):
            yield Problem(p.path, f"成文日期“{text}”应使用阿拉伯数字：{fixed}", fix=fixed)
        else:
            yield Problem(
                p.path,
                f"成文日期“{text}”应写作“{fixed}”（半角数字，月、日不补零，不加空格）",
                fix=fixed,
            )


# ----------------------------------------------------------------------------- D13 east-Asian font


@docx_rule("D13", "error", "正文设置了中文字体")
def east_asian_font_set(ctx: DocxContext) -> Iterator[Problem]:
    """Body text has an explicit ``w:eastAsia`` font somewhere in its style chain."""

    def cause(r: Run) -> str:
        slot = r.props.fonts.get("eastAsia")
        if slot is not None and slot.theme:
            face = ctx.theme_font(slot.theme)
            return f"主题字体{slot.theme}" + (f"（{face}）" if face else "")
        latin = r.props.fonts.get("ascii")
        if latin is not None and latin.name:
            return f"默认字体（西文字体为“{latin.name}”）"
        return "默认字体"

    missing = (
        (cause(r), p)
        for p, r in body_runs(ctx)
        if _CJK.search(r.text) and r.props.east_asia is None
    )
    yield from _grouped(
        missing,
        lambda v, where: f"正文未设置中文字体，将回落到{v}；应在样式或文字上写明仿宋：{where}",
    )


# ----------------------------------------------------------------------------- D14 punctuation

# Full-width marks that Word, WPS and LibreOffice hang past the right edge at the end of a line.
_HANGING_MARKS = re.compile(r"[，。、；：！？）》」』】〕〉”’．]")


def _overflow_punctuation(ctx: DocxContext, p: Para) -> tuple[bool, str]:
    """Whether ``p`` allows overflow punctuation, and the level that decides it.

    Effective value: direct ``w:pPr`` → paragraph style chain → ``docDefaults``; an absent
    ``w:overflowPunct`` everywhere means allowed (the default of Word, WPS and LibreOffice).
    """
    levels: list[tuple[str, ET.Element | None]] = [("文档默认段落格式", ctx.styles.default_ppr)]
    levels += [
        (f"样式“{sid}”", s.find(qn("w:pPr"))) for sid, s in ctx.styles.chain(p.props.style_id)
    ]
    levels.append(("段落格式", p.element.find(qn("w:pPr"))))
    allowed, origin = True, "未设置（默认允许）"
    for label, ppr in levels:
        value = on(ppr.find(qn("w:overflowPunct")) if ppr is not None else None)
        if value is not None:
            allowed, origin = value, label
    return allowed, origin


@docx_rule("D14", "warning", "关闭“允许标点溢出边界”")
def overflow_punctuation(ctx: DocxContext) -> Iterator[Problem]:
    """Punctuation may not hang past the text area (版心 156 mm, §5.2.1; 28 characters fill the
    line, §5.2.3): paragraphs with full-width punctuation must have ``w:overflowPunct`` off."""
    if gb.OVERFLOW_PUNCTUATION:
        return
    hanging = []
    for p in ctx.all_paragraphs():
        if not _HANGING_MARKS.search(p.text):
            continue
        allowed, origin = _overflow_punctuation(ctx, p)
        if allowed:
            hanging.append((origin, p))
    yield from _grouped(
        hanging,
        lambda origin, where: (
            f"标点可能悬挂在版心之外：未关闭“允许标点溢出边界”（{origin}），"
            f"行末的“，”“。”等会伸出版心右边缘；应在“段落—中文版式”中取消勾选该项：{where}"
        ),
    )


__all__ = [
    "FANGSONG",
    "HEITI",
    "KAITI",
    "SONGTI",
    "in_family",
    "is_song_standin",
    "is_xiaobiaosong",
    "size_name",
]
