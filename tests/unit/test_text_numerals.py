import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongwen.text import cn_number, cn_to_int, heading_marker


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (3, "三"),
        (10, "十"),
        (16, "十六"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
    ],
)
def test_cn_number(n: int, text: str) -> None:
    assert cn_number(n) == text
    assert cn_to_int(text) == n


def test_session_name_built_from_cn_number() -> None:
    assert f"{cn_number(3)}届{cn_number(1)}次" == "三届一次"
    assert f"{cn_number(16)}届人大{cn_number(3)}次会议" == "十六届人大三次会议"


def test_cn_to_int_accepts_yi_shi() -> None:
    assert cn_to_int("一十六") == 16
    assert cn_to_int(" 十 ") == 10


@pytest.mark.parametrize("text", ["", "16", "abc", "十十", "一点五", "负三", "三个"])
def test_cn_to_int_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="不是中文整数"):
        cn_to_int(text)


@pytest.mark.parametrize("n", [-1, True])
def test_cn_number_rejects(n: int) -> None:
    with pytest.raises(ValueError):
        cn_number(n)


@given(st.integers(min_value=0, max_value=10**8))
def test_cn_number_round_trip(n: int) -> None:
    assert cn_to_int(cn_number(n)) == n


@pytest.mark.parametrize(
    ("level", "n", "marker"),
    [
        (1, 1, "一、"),
        (1, 12, "十二、"),
        (2, 1, "（一）"),
        (2, 3, "（三）"),
        (3, 1, "1."),
        (3, 10, "10."),
        (4, 2, "（2）"),
    ],
)
def test_heading_marker(level: int, n: int, marker: str) -> None:
    assert heading_marker(level, n) == marker


@pytest.mark.parametrize(("level", "n"), [(0, 1), (5, 1), (1, 0), (3, -1)])
def test_heading_marker_rejects(level: int, n: int) -> None:
    with pytest.raises(ValueError):
        heading_marker(level, n)
