from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongwen.text import Rate, format_percent, format_rate, largest_remainder


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal(1), 1, "100%"),
        (1, 1, "100%"),
        (Decimal(10) / Decimal(11), 1, "90.9%"),
        (Decimal(1) / Decimal(3), 2, "33.33%"),
        (0.5, 1, "50%"),
        (Decimal("0.5"), 2, "50%"),
        (Decimal("0.905"), 1, "90.5%"),
        (Decimal("0.90949"), 1, "90.9%"),
        (Decimal("0.90950"), 1, "91%"),  # half up, then the trailing zero goes
        (Decimal("0.00125"), 2, "0.13%"),  # half up, not half even
        (Decimal("0.00115"), 2, "0.12%"),
        (0.0, 1, "0%"),
        (-0.0001, 1, "0%"),
        (Decimal("123.456"), 1, "12345.6%"),
        (Decimal("0.987"), 0, "99%"),
    ],
)
def test_format_percent(value: Decimal | float, decimals: int, text: str) -> None:
    assert format_percent(value, decimals) == text


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_percent_rejects_non_finite(value: Decimal | float) -> None:
    with pytest.raises(ValueError):
        format_percent(value)


def test_format_rate() -> None:
    assert format_rate(10, 11) == "90.9%"
    assert format_rate(11, 11) == "100%"
    assert format_rate(1, 3, 2) == "33.33%"
    assert format_rate(0, 5) == "0%"
    assert format_rate(0, 0) == "—"


def test_rate_object() -> None:
    rate = Rate(10, 11)
    assert rate.value == Decimal(10) / Decimal(11)
    assert rate.format() == "90.9%"
    assert rate.format(2) == "90.91%"
    assert Rate(3, 0).value is None
    assert Rate(3, 0).format() == "—"
    with pytest.raises(ValueError):
        Rate(-1, 3)


def test_largest_remainder_domain_example() -> None:
    # 4/12, 7/12, 1/12: all remainders tie, the larger count (7) gets the extra unit.
    assert largest_remainder([4, 7, 1]) == [Decimal("33.33"), Decimal("58.34"), Decimal("8.33")]


def test_largest_remainder_ties_by_order_then() -> None:
    assert largest_remainder([1, 1, 1], decimals=0) == [Decimal(34), Decimal(33), Decimal(33)]
    assert largest_remainder([1, 2], decimals=0, total=2) == [Decimal(1), Decimal(1)]


def test_largest_remainder_edge_cases() -> None:
    assert largest_remainder([0, 0, 0]) == [Decimal("0.00")] * 3
    assert largest_remainder([]) == []
    assert largest_remainder([5]) == [Decimal("100.00")]
    assert largest_remainder([3, 0], decimals=1) == [Decimal("100.0"), Decimal("0.0")]
    with pytest.raises(ValueError):
        largest_remainder([1, -1])


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=3),
)
def test_largest_remainder_sums_exactly(counts: list[int], decimals: int) -> None:
    shares = largest_remainder(counts, decimals)
    whole = sum(counts)
    if whole == 0:
        assert all(s == 0 for s in shares)
        return
    assert sum(shares) == 100
    unit = Decimal(1).scaleb(-decimals)
    for count, share in zip(counts, shares, strict=True):
        exact = Decimal(count) * 100 / Decimal(whole)
        assert abs(share - exact) < unit  # each share is its quota rounded down or up
        assert share.as_tuple().exponent == -decimals
