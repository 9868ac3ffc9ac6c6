"""Long titles break by meaning (GB/T 9704 §7.3.1), never next to a number or mid-word."""

from __future__ import annotations

import pytest

from gongwen.text.titles import split_title, text_width


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于区政协十二届三次会议第8号提案的答复", ["关于区政协十二届三次会议第8号提案的答复"]),
        (
            "关于区政协十二届三次会议第15号提案的答复",
            ["关于区政协十二届三次会议", "第15号提案的答复"],
        ),
        (
            "关于区十六届人大三次会议第103号建议的协办意见",
            ["关于区十六届人大三次会议", "第103号建议的协办意见"],
        ),
        (
            "关于对市政协五届四次会议第117号提案答复的函",
            ["关于对市政协五届四次会议", "第117号提案答复的函"],
        ),
    ],
)
def test_split_title(title: str, lines: list[str]) -> None:
    assert split_title(title) == lines


def test_every_line_fits_and_upper_line_is_not_shorter() -> None:
    title = "关于进一步加强全区老旧工业区有机更新和产业园区提档升级工作的提案的答复"
    lines = split_title(title)
    assert "".join(lines) == title
    assert all(text_width(line) <= 19.5 for line in lines)
    assert text_width(lines[0]) >= text_width(lines[1])
