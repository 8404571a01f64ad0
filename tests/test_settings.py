from decimal import Decimal as D

import pytest

from kinerja.ratings import PredikatOrganisasi, Rating
from kinerja.rules import saran_rating
from kinerja.settings import (
    SettingsError,
    activated,
    current_settings,
    default_settings,
    load_settings,
)


def test_shipped_defaults():
    s = default_settings()
    assert s.capaian.cap_skp == 120
    assert s.rating_pimpinan[PredikatOrganisasi.ISTIMEWA] is Rating.DI_ATAS
    assert s.angka_kredit.koefisien["Ahli Pertama"] == D("12.5")


def test_rule_pack_per_period():
    s = default_settings()
    assert s.rule_pack(2019) == "PP46_2011"
    assert s.rule_pack(2021, 6) == "PP46_2011"
    assert s.rule_pack(2021, 7) == "PMPANRB8_2021"
    assert s.rule_pack(2025) == "PMPANRB6_2022"


def test_local_file_overrides_only_what_it_names(tmp_path):
    local = tmp_path / "kinerja.toml"
    local.write_text('[capaian]\ncap_skp = ""\n[saran_rating]\ndi_atas = 105\n', "utf-8")
    s = load_settings(local)
    assert s.capaian.cap_skp is None and s.capaian.cap_pk == 120
    assert s.saran_rating.di_atas == 105 and s.saran_rating.sesuai == 90


def test_suggestion_bands_and_settings():
    assert saran_rating([D(110)]) is Rating.DI_ATAS
    assert saran_rating([D("109.995")]) is Rating.DI_ATAS  # compared at 2 decimals
    assert saran_rating([D(100), D(80)]) is Rating.SESUAI
    assert saran_rating([D("89.99")]) is Rating.DI_BAWAH
    assert saran_rating([None, None]) is None
    assert saran_rating([D(106)], load_settings_with(di_atas=105)) is Rating.DI_ATAS


def load_settings_with(**bands):
    s = default_settings()
    return s.model_copy(update={"saran_rating": s.saran_rating.model_copy(update=bands)})


def test_library_calls_use_only_what_was_activated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kinerja.toml").write_text("[talenta]\ntinggi = 80\n", "utf-8")
    assert current_settings() is default_settings()  # a local file alone changes nothing
    with activated(load_settings()) as s:
        assert current_settings() is s and s.talenta.tinggi == 80
        assert s.talenta.menengah == 78  # unnamed keys keep the shipped value
    assert current_settings() is default_settings()


def test_broken_local_file_names_file_and_key(tmp_path):
    local = tmp_path / "kinerja.toml"
    local.write_text('[rekomendasi]\nkonseling = 5\n[kurva]\nmayoritas = "semua"\n', "utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(local)
    assert str(local) in str(err.value)
    assert "'rekomendasi.konseling' salah jenis" in str(err.value)
    assert "'kurva.mayoritas' harus salah satu dari" in str(err.value)


def test_the_suggested_predikat_organisasi_follows_the_instansi_bands():
    from decimal import Decimal

    from kinerja.rules.organisasi import saran_predikat_organisasi
    from kinerja.settings import settings_from_text

    got = [str(saran_predikat_organisasi(Decimal(x))) for x in ("120", "110", "89.99", "76",
                                                                "75.99", "51", "50.5")]
    assert got == ["Istimewa", "Istimewa", "Butuh Perbaikan", "Butuh Perbaikan", "Kurang",
                   "Kurang", "Sangat Kurang"]
    strict = settings_from_text("[predikat_organisasi]\nistimewa = 100\n", "kinerja.toml")
    assert str(saran_predikat_organisasi(Decimal("100"), strict)) == "Istimewa"
    assert saran_predikat_organisasi(None) is None
    with pytest.raises(ValueError, match="menurun"):
        settings_from_text("[predikat_organisasi]\nbaik = 120\n", "kinerja.toml")
