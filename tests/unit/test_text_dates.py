from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongwen.text import DATE_CN_PATTERN, add_months, find_dates, format_date, parse_date


def test_format_date_no_padding() -> None:
    assert format_date(date(2024, 7, 1)) == "2024年7月1日"
    assert format_date(date(2024, 12, 31)) == "2024年12月31日"
    assert format_date(datetime(2023, 1, 9, 15, 30)) == "2023年1月9日"


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-15",
        "2024/3/15",
        "2024.3.15",
        "2024年3月15日",
        "2024年03月15日",
        " 2024-3-15\t",
        "\u30002024年3月15日\u3000",
        "２０２４年３月１５日",
        "２０２４－０３－１５",
        "2024/3/15 0:00",
        "2024-03-15 08:30:00",
        date(2024, 3, 15),
        datetime(2024, 3, 15, 23, 59),
        45366,
        45366.75,
    ],
)
def test_parse_date_accepts(value: str | date | int | float) -> None:
    assert parse_date(value) == date(2024, 3, 15)


def test_excel_serials_around_the_1900_leap_bug() -> None:
    assert parse_date(1) == date(1900, 1, 1)
    assert parse_date(59) == date(1900, 2, 28)
    assert parse_date(61) == date(1900, 3, 1)
    assert parse_date(45474) == date(2024, 7, 1)


@pytest.mark.parametrize(
    "value",
    [
        "2024.13.01",
        "2024-02-30",
        "2023年2月29日",
        "2024-3/15",
        "24-3-15",
        "2024年3月",
        "明天",
        "",
        0,
        -5,
        60,  # Excel's fictitious 1900-02-29
        float("nan"),
        True,
    ],
)
def test_parse_date_rejects(value: str | int | float) -> None:
    with pytest.raises(ValueError, match="无法识别的日期"):
        parse_date(value)


def test_parse_date_message_quotes_input() -> None:
    with pytest.raises(ValueError) as info:
        parse_date("2024.13.01")
    assert str(info.value) == '无法识别的日期"2024.13.01"'


@given(st.dates(min_value=date(1000, 1, 1)))
def test_format_then_parse_round_trip(d: date) -> None:
    text = format_date(d)
    assert DATE_CN_PATTERN.fullmatch(text)
    assert parse_date(text) == d


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_excel_serial_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 15), 12, date(2025, 5, 15)),
        (date(2024, 5, 15), 0, date(2024, 5, 15)),
        (date(2024, 1, 10), -13, date(2022, 12, 10)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_date_cn_pattern() -> None:
    assert DATE_CN_PATTERN.fullmatch("2024年7月1日")
    assert DATE_CN_PATTERN.fullmatch("2024年12月31日")
    for wrong in [
        "2024年07月01日",
        "2024年7月01日",
        "2024年13月1日",
        "2024年7月32日",
        "２０２４年7月1日",
    ]:
        assert not DATE_CN_PATTERN.fullmatch(wrong), wrong


def test_find_dates_in_free_text() -> None:
    text = (
        "我单位于2024年07月01日收到建议，2024-7-1召开座谈会，2024.7.1、2024/7/1走访，"
        "2024年7月1日答复；另有2024年2月30日。"
    )
    assert find_dates(text) == [
        ("2024年07月01日", False),
        ("2024-7-1", False),
        ("2024.7.1", False),
        ("2024/7/1", False),
        ("2024年7月1日", True),
        ("2024年2月30日", False),
    ]


def test_find_dates_ignores_numbers_that_are_not_dates() -> None:
    assert find_dates("共办理12345件，增长1.5%，版本v1.2024.7.1.3，电话0574-1234-5678。") == []
    assert find_dates("2024年7月，全年") == []
