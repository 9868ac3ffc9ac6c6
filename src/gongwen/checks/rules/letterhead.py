"""Rules GW6xx: what the letterhead and the one-line fields need to print on one line.

The templates set the organ mark, the organ's name under the date and the 印发机关 on one line by
narrowing the characters (``w:w``) and, for the mark, stepping the size down
(``gongwen.standard.fit_line``); a text too long even at the smallest allowed size and scale
would wrap across the red rules or the 版记, so it is reported before anything is rendered.
"""

from __future__ import annotations

from collections.abc import Iterator

from gongwen import standard as gb
from gongwen.checks.context import CaseContext
from gongwen.checks.core import rule
from gongwen.checks.rules._helpers import letters
from gongwen.findings import Problem, Severity, Subject
from gongwen.models.organisation import Organisation, rows_fit
from gongwen.text.dates import format_date

_SMALLEST = f"{gb.MARK_SIZES[-1].name}、字宽{gb.MARK_MIN_SCALE}%"


@rule("GW601", Severity.WARNING, Subject.REPLY, "发文机关标志、署名或印发机关过长，无法排在一行")
def letterhead_fits(ctx: CaseContext) -> Iterator[Problem]:
    """The organ mark inside the letter's 170 mm rules and, with "文件", the 156 mm text width;
    the organ name (署名) and the 印发机关 each on one line."""
    org = ctx.org
    dates = {format_date(lt.reply.date) for lt in letters(ctx)}
    # The same organisation for every case of a batch: its answer is worked out once.
    key = (org.mark_rows, org.mark, org.name, org.issuing_office, min(dates) if dates else None)
    found = _FITS.get(key)
    if found is None:
        found = tuple(_fits(org, dates))
        if len(_FITS) > 64:
            _FITS.clear()
        _FITS[key] = found
    yield from found


_FITS: dict[tuple[object, ...], tuple[Problem, ...]] = {}


def _rows_fit(org: Organisation) -> Iterator[Problem]:
    """A mark of several lines (two-line mark, 联合行文): its longest line, at the size and
    scale all lines share, inside the 170 mm rules and, with "文件" at its right, 156 mm."""
    rows = org.mark_rows
    longest = max(rows, key=gb.text_ems)
    if longest in org.joint_letterheads:
        where = f"organisation.joint_letterheads[{org.joint_letterheads.index(longest)}]"
    elif org.letterhead_lines:
        where = f"organisation.letterhead_lines[{org.letterhead_lines.index(longest)}]"
    else:
        where = "organisation.letterhead" if org.letterhead else "organisation.name"
    what = "联合行文的发文机关标志" if org.joint_letterheads else "两行发文机关标志"
    if rows_fit(rows, file_format=False) is None:
        yield Problem(
            where,
            f"{what}中“{longest}”共{len(longest)}字，缩到{_SMALLEST}仍超出信函格式的"
            f"{gb.LETTER_RULE_LENGTH_MM:g}毫米红线，请改用规范化简称或分两行",
        )
    elif rows_fit(rows, file_format=True) is None:
        yield Problem(
            where,
            f"{what}中“{longest}”与右侧的“文件”缩到{_SMALLEST}仍超出"
            f"{gb.TEXT_WIDTH_MM:g}毫米版心，文件格式无法排下，请改用规范化简称或分两行",
        )


def _fits(org: Organisation, dates: set[str]) -> Iterator[Problem]:
    where = "organisation.letterhead" if org.letterhead else "organisation.name"
    mark = org.mark
    if len(org.mark_rows) > 1:
        yield from _rows_fit(org)
    elif gb.letter_mark_fit(mark) is None:
        yield Problem(
            where,
            f"发文机关标志“{mark}”共{len(mark)}字，缩到{_SMALLEST}仍超出信函格式的"
            f"{gb.LETTER_RULE_LENGTH_MM:g}毫米红线，请设置规范化简称（letterhead）",
        )
    elif gb.file_mark_fit(mark) is None:
        yield Problem(
            where,
            f"发文机关标志“{mark}文件”缩到{_SMALLEST}仍超出{gb.TEXT_WIDTH_MM:g}毫米版心，"
            "文件格式无法排在一行，请设置规范化简称（letterhead）",
        )
    if gb.sign_org_scale(org.name) is None:
        yield Problem(
            "organisation.name",
            f"发文机关署名“{org.name}”共{len(org.name)}字，字宽缩到{gb.LINE_MIN_SCALE}%"
            "仍无法在成文日期上方排成一行",
        )
    for date in sorted(dates)[:1]:
        if gb.issuer_scale(org.issuing_office, date) is None:
            yield Problem(
                "organisation.issuer",
                f"印发机关“{org.issuing_office}”过长，字宽缩到{gb.LINE_MIN_SCALE}%"
                "仍无法与印发日期排在一行",
            )
