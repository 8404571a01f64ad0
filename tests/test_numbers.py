from decimal import Decimal as D

import pytest

from kinerja.numbers import fmt, round2, to_decimal


@pytest.mark.parametrize("typed, expected", [
    ("85,5", D("85.5")), (" 85.5 ", D("85.5")), ("90%", D(90)), ("1.234,5", D("1234.5")),
    (0.1, D("0.1")), (7, D(7)), ("\u00a012", D(12)), ("87 %", D(87)),
    ("1.250.000", D(1250000)), ("Rp 1.250.000", D(1250000)), ("Rp. 1.250.000,-", D(1250000)),
    ("1,250,000", D(1250000)), ("1,250.5", D("1250.5")), ("'87", D(87)),
    ("12 dokumen", D(12)), ("1,5 jam", D("1.5")), ("\u200b87\ufeff", D(87)),
])
def test_to_decimal_reads_what_clerks_type(typed, expected):
    assert to_decimal(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "", "NaN", "inf", True, "#DIV/0!", "12 dari 15",
                                   "sebanyak 12", "\u200b"])
def test_to_decimal_rejects(typed):
    with pytest.raises(ValueError):
        to_decimal(typed)


def test_half_up_display():
    assert round2(D("2.085")) == D("2.09") and round2(D("2.0833")) == D("2.08")
    assert fmt(D("1234.5")) == "1.234,50" and fmt(None) == "n/a"


def test_fmt_remembers_a_value_not_its_digits_nor_a_zero_sign():
    """fmt keeps the text of each value it showed (a workbook shows a capaian several times):
    the same value typed with more zeros shows the same, a thousand gets its dot, and 0 and -0,
    one key, keep their own texts, whichever came first."""
    assert [fmt(D(x)) for x in ("90", "90.0", "90.000", "90")] == ["90,00"] * 4
    assert fmt(D("1234.5"), 1) == "1.234,5" and fmt(D("1234.5")) == "1.234,50"
    assert [fmt(D(x)) for x in ("-0", "0", "-0.001", "0.0")] == ["-0,00", "0,00", "-0,00", "0,00"]
