from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import capaian, parse_target


@pytest.mark.parametrize("target, realisasi, polaritas, cap, expected", [
    (50, 45, "positif", None, D(90)),
    (50, 60, "positif", None, D(120)),
    (50, 70, "positif", 120, D(120)),
    (D("85.5"), "85,5", "positif", None, D(100)),
    (10, 8, "negatif", None, D(120)),           # lower is better: (20 - 8) / 10
    (10, 25, "negatif", None, D(0)),            # floored at 0
    ((7, 8), D("6.5"), "negatif", None, (14 - D("6.5")) / 7 * 100),  # below: lower bound
    ((7, 8), 9, "negatif", None, D("87.5")),    # PermenPANRB 8/2021 worked example
    ((7, 8), D("7.5"), "negatif", None, D(100)),  # inside the range
    ((80, 90), 92, "positif", None, D(92) / 90 * 100),
    ((80, 90), 70, "positif", None, D(70) / 80 * 100),
    (0, 0, "negatif", None, D(100)),
    (0, 3, "negatif", None, D(0)),
    (0, 3, "positif", None, None),
])
def test_capaian_vectors(target, realisasi, polaritas, cap, expected):
    assert capaian(target, realisasi, polaritas, cap) == expected


def test_range_example_of_the_regulation_rounds_to_107():
    assert round(capaian((7, 8), D("6.5"), "negatif"), 2) == D("107.14")


def test_unknown_polarity_is_a_developer_error():
    with pytest.raises(ValueError):
        capaian(1, 1, "netral")


@pytest.mark.parametrize("text, expected", [
    ("50", D(50)), ("85,5", D("85.5")), ("80-90", (D(80), D(90))), ("80 – 90 %", (D(80), D(90))),
    ("7 s.d. 8", (D(7), D(8))), (12, D(12)), ("1.234,5", D("1234.5")),
])
def test_parse_target(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["tinggi", "90-80", ""])
def test_parse_target_rejects(text):
    with pytest.raises(ValueError):
        parse_target(text)


nums = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
targets = st.decimals(min_value=D("0.01"), max_value=10_000, places=2)


@given(targets, nums, nums)
def test_positive_capaian_rises_with_realisasi(t, r1, r2):
    lo, hi = sorted((r1, r2))
    assert capaian(t, lo) <= capaian(t, hi)


@given(targets, nums, nums)
def test_negative_capaian_falls_with_realisasi(t, r1, r2):
    lo, hi = sorted((r1, r2))
    assert capaian(t, lo, "negatif") >= capaian(t, hi, "negatif") >= 0


@given(targets, nums)
def test_cap_limits(t, r):
    assert capaian(t, r, cap=120) <= 120
