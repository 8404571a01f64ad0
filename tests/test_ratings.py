import pytest

from kinerja.rules import MATRIKS, Predikat, PredikatOrganisasi, Rating, predikat

A, S, B = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"


@pytest.mark.parametrize("hasil, perilaku, expected", [
    (A, B, "Kurang/Misconduct"), (A, S, "Baik"), (A, A, "Sangat Baik"),
    (S, B, "Kurang/Misconduct"), (S, S, "Baik"), (S, A, "Baik"),
    (B, B, "Sangat Kurang"), (B, S, "Butuh Perbaikan"), (B, A, "Butuh Perbaikan"),
])
def test_all_nine_cells_of_the_matrix(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) == expected
    assert predikat(Rating(hasil), Rating(perilaku)) is Predikat(expected)


def test_matrix_is_complete():
    assert len(MATRIKS) == 9 and set(MATRIKS.values()) == set(Predikat)


def test_only_two_di_atas_make_sangat_baik():
    assert [k for k, v in MATRIKS.items() if v is Predikat.SANGAT_BAIK] == [
        (Rating.DI_ATAS, Rating.DI_ATAS)]


@pytest.mark.parametrize("typed, expected", [
    ("di atas ekspektasi", Rating.DI_ATAS), ("Diatas", Rating.DI_ATAS),
    ("DI  ATAS EKSPEKTASI ", Rating.DI_ATAS), ("sesuai", Rating.SESUAI),
    ("Dibawah Ekspektasi", Rating.DI_BAWAH), ("di-bawah", Rating.DI_BAWAH),
])
def test_rating_accepts_clerks_spellings(typed, expected):
    assert Rating.parse(typed) is expected


@pytest.mark.parametrize("typed, expected", [
    ("Kurang", Predikat.KURANG), ("kurang / misconduct", Predikat.KURANG),
    ("Misconduct", Predikat.KURANG), ("sangat baik", Predikat.SANGAT_BAIK),
    ("Butuh perbaikan", Predikat.BUTUH_PERBAIKAN), ("SANGAT KURANG", Predikat.SANGAT_KURANG),
])
def test_predikat_accepts_clerks_spellings(typed, expected):
    assert Predikat.parse(typed) is expected


@pytest.mark.parametrize("typed", ["Bagus", "atas", "", None, "Sangat  Sangat Baik", "5"])
def test_parse_rejects_the_rest(typed):
    with pytest.raises(ValueError, match="bukan pilihan yang sah"):
        Rating.parse(typed) if typed != "Bagus" else Predikat.parse(typed)


def test_org_predikat_accepts_cukup():
    assert PredikatOrganisasi.parse("Cukup") is PredikatOrganisasi.BUTUH_PERBAIKAN


def test_predikat_order_follows_the_curve():
    ordered = sorted(Predikat, key=lambda p: p.order)
    assert [p.value for p in ordered] == [
        "Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]


def test_better_ratings_never_give_a_worse_predikat():
    # Raising hasil never lowers predikat; raising perilaku never lowers it either.
    ratings = sorted(Rating, key=lambda r: r.level)
    for h in ratings:
        orders = [predikat(h, p).order for p in ratings]
        assert orders == sorted(orders)
    for p in ratings:
        orders = [predikat(h, p).order for h in ratings]
        assert orders == sorted(orders)
