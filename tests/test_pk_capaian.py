"""Capaian of a Perjanjian Kinerja (rules.md §3.3-3.5): quarters compare like with like,
targets that look cumulative and capped values are named, a year without TW IV is
provisional, and the Capaian sheet suggests a predikat kinerja organisasi."""

import shutil
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from addin.headless import recalc_file
from kinerja.models import Indikator, PkData
from kinerja.ratings import PredikatOrganisasi
from kinerja.scoring import score_pk
from kinerja.settings import default_settings
from workbook_templates.fill import fill_rows
from workbook_templates.pk_layout import PK
from workbook_templates.reader import read_pk

EXAMPLES = sorted(Path("examples").glob("*/PK_2025.xlsx"))
HUNDREDS = [D(100)] * 4


def ind(agregasi: str, annual, targets, realisasi, polaritas: str = "positif") -> Indikator:
    return Indikator(sasaran="S1", indikator="I1", agregasi=agregasi, polaritas=polaritas,
                     target_tahunan=D(str(annual)), target_tw=[D(str(t)) for t in targets],
                     realisasi_tw=[None if r is None else D(str(r)) for r in realisasi])


def one(indikator: Indikator, settings=None):
    res = score_pk(PkData(indikator=[indikator]), settings)
    return res, res.indikator[0], [(f.code, f.message) for f in res.findings]


# --- the quarters: like with like ---------------------------------------------------------

def test_rata_rata_targets_met_exactly_give_100_every_quarter():
    # before: TW II compared the mean realisasi (80+85)/2 = 82,5 with TW II's own 85 -> 97,06
    res, c, found = one(ind("rata-rata", "87.5", [80, 85, 90, 95], [80, 85, 90, 95]))
    assert c.capaian_tw == HUNDREDS and c.capaian_tahunan == D(100)
    assert found == [] and not res.sementara
    assert "rata-rata realisasi s.d. triwulan itu / rata-rata target" in c.penjelasan


def test_rata_rata_compares_only_the_quarters_that_are_filled():
    # TW I not reported: TW II is 85 against 85, TW III (85+99)/2 against (85+90)/2
    _, c, _ = one(ind("rata-rata", "87.5", [80, 85, 90, 95], [None, 85, 99, None]))
    assert c.capaian_tw == [None, D(100), D(92) / D("87.5") * 100, None]


def test_rata_rata_quarter_without_its_own_target_uses_the_annual_target():
    i = ind("rata-rata", 90, [80, 85, 90, 95], [72, 90, None, None])
    i.target_tw[1] = None
    _, c, _ = one(i)
    assert c.capaian_tw[:2] == [D(90), D(81) / 90 * 100]


@pytest.mark.parametrize("agregasi, annual, targets", [
    ("terakhir", 80, [20, 40, 60, 80]),  # targets and realisasi to date
    ("jumlah", 100, [10, 20, 30, 40]),  # per quarter, summed
    ("rata-rata", 14, [14, 14, 14, 14]),
])
def test_every_agregasi_met_exactly_gives_100(agregasi, annual, targets):
    _, c, found = one(ind(agregasi, annual, targets, targets))
    assert c.capaian_tw == HUNDREDS and c.capaian_tahunan == D(100) and found == []


def test_negative_polarity_met_exactly_gives_100():
    _, c, _ = one(ind("rata-rata", "18.5", [20, 19, 18, 17], [20, 19, 18, 17], "negatif"))
    assert c.capaian_tw == HUNDREDS and c.capaian_tahunan == D(100)


# --- targets that look cumulative -----------------------------------------------------------

def test_jumlah_with_targets_to_date_is_named():
    _, c, found = one(ind("jumlah", 80, [20, 40, 60, 80], [20, 20, 20, 20]))
    assert found == [("TARGET_TW_KUMULATIF",
                      "Target TW I-IV 20/40/60/80 tampak kumulatif (s.d. triwulan; TW IV sama "
                      "dengan target tahunan): agregasi jumlah menjumlahkannya menjadi 200, "
                      "2,5 kali target tahunan 80")]


def test_rata_rata_with_a_year_end_level_as_annual_target_is_named():
    # 80/85/90/95 met exactly: 100 every quarter, but the year's mean 87,5 against 95
    _, c, found = one(ind("rata-rata", 95, [80, 85, 90, 95], [80, 85, 90, 95]))
    assert c.capaian_tw == HUNDREDS
    assert round(c.capaian_tahunan, 2) == D("92.11")
    assert [code for code, _ in found] == ["TARGET_TW_KUMULATIF"]
    assert "rata-ratanya 87,50 sehingga capaian tahunan 92,11 %, bukan 100 %" in found[0][1]


@pytest.mark.parametrize("agregasi, annual, targets, polaritas, named", [
    ("jumlah", 20, [20, 20, 20, 20], "positif", True),  # a level summed four times
    ("rata-rata", 17, [20, 19, 18, 17], "negatif", True),  # lower is better, to year end
    ("terakhir", 80, [20, 40, 60, 80], "positif", False),  # what terakhir is for
    ("jumlah", 100, [25, 25, 25, 25], "positif", False),
    ("jumlah", 80, [20, 40, 60, 70], "positif", False),  # TW IV is not the annual target
    ("rata-rata", 14, [14, 14, 14, 14], "negatif", False),
])
def test_which_targets_look_cumulative(agregasi, annual, targets, polaritas, named):
    _, _, found = one(ind(agregasi, annual, targets, [None] * 4, polaritas))
    assert [code for code, _ in found] == (["TARGET_TW_KUMULATIF"] if named else [])


# --- caps and the provisional year ----------------------------------------------------------

def test_capped_capaian_is_one_finding_per_indikator():
    # TW I 25/20 = 125, TW III 66/60 = 110, tahunan 100/80 = 125: cap_pk 120
    _, c, found = one(ind("terakhir", 80, [20, 40, 60, 80], [25, 40, 66, 100]))
    assert c.capaian_tw == [D(120), D(100), D(110), D(120)] and c.capaian_tahunan == D(120)
    assert found == [("CAPAIAN_DIBATASI", "Capaian TW I 125,00, TW IV 125,00 dan tahunan "
                                          "125,00 % dibatasi menjadi 120,00 %")]
    assert "dibatasi 120,00 %" in c.penjelasan


def test_without_a_cap_nothing_is_capped():
    s = default_settings()
    s = s.model_copy(update={"capaian": s.capaian.model_copy(update={"cap_pk": None})})
    _, c, found = one(ind("terakhir", 80, [20, 40, 60, 80], [25, 40, 66, 100]), s)
    assert c.capaian_tahunan == D(125) and found == []


def test_tahunan_without_tw_iv_is_provisional():
    res, c, _ = one(ind("jumlah", 100, [10, 20, 30, 40], [10, 20, 30, None]))
    assert c.capaian_tahunan == D(60) and res.sementara
    assert "sementara (TW IV belum diisi)" in c.penjelasan
    res, c, _ = one(ind("jumlah", 100, [10, 20, 30, 40], [10, 20, 30, 40]))
    assert not res.sementara and "sementara" not in c.penjelasan
    res, _, _ = one(ind("jumlah", 100, [10, 20, 30, 40], [None] * 4))  # planning: nothing yet
    assert not res.sementara and res.organisasi is None and res.predikat_saran is None


# --- organisasi per triwulan and the suggested predikat -----------------------------------

def test_organisasi_per_triwulan_is_the_mean_over_sasaran_of_their_means():
    a = ind("terakhir", 100, HUNDREDS, [80, 100, None, None])
    b = ind("terakhir", 100, HUNDREDS, [100, 100, None, None])
    c = ind("terakhir", 100, HUNDREDS, [60, 70, 90, None])
    c.sasaran = "S2"
    res = score_pk(PkData(indikator=[a, b, c]))
    # TW I: ((80 + 100) / 2 + 60) / 2; TW III: only S2 has a value
    assert res.organisasi_tw == [D(75), D(85), D(90), None]
    assert res.sasaran == {"S1": D(100), "S2": D(90)} and res.organisasi == D(95)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_suggest_a_predikat_organisasi(path):
    res = score_pk(read_pk(path))
    # the examples' year is over: every quarter filled, the tahunan final, about on target
    assert not res.sementara
    assert res.predikat_saran is PredikatOrganisasi.BAIK
    assert all(v is not None for v in res.organisasi_tw)
    assert not any(f.code == "TARGET_TW_KUMULATIF" for f in res.findings)


# --- Hitung Ulang on a real PK workbook ---------------------------------------------------

def capaian_rows(path: Path) -> dict[str, tuple]:
    """The Capaian sheet's rows keyed by Tingkat (the last of each)."""
    table = PK.table("capaian")
    ws = openpyxl.load_workbook(path)[table.sheet]
    rows = ws.iter_rows(min_row=table.data_first_row, min_col=table.first_col,
                        max_col=table.first_col + len(table.keys) - 1, values_only=True)
    return {r[0]: dict(zip(table.keys, r, strict=True)) for r in rows if r[0]}


def validasi(path: Path) -> list[tuple]:
    """(Kode, Tingkat, Sheet, Sel) of the Validasi rows; Sel as shown (it is a link)."""
    table = PK.table("validasi")
    ws = openpyxl.load_workbook(path)[table.sheet]
    rows = ws.iter_rows(min_row=table.data_first_row, min_col=table.first_col,
                        max_col=table.first_col + 3, values_only=True)
    return [(*r[:3], r[3] and r[3].rsplit('"', 2)[-2]) for r in rows if r[0]]


def test_hitung_ulang_shows_the_suggested_predikat_on_the_capaian_sheet(tmp_path):
    path = shutil.copy(Path("examples/dinas_pendidikan/PK_2025.xlsx"), tmp_path / "PK.xlsx")
    recalc_file(path)
    org = capaian_rows(path)["Organisasi"]
    assert [org[f"capaian_tw{q}"] for q in (1, 2, 3, 4)] == [98.02, 109.17, 103.79, 102.13]
    assert org["capaian_tahunan"] == 102.13
    text = org["penjelasan"]
    assert "Saran predikat kinerja organisasi: Baik" in text
    assert "pita instansi di kinerja.toml" in text and "pimpinan satu tingkat di atas" in text
    assert "Sementara" not in text

    # mid-year: the clerk has not typed TW IV yet; the tahunan is provisional, and the
    # partial sums against the full-year targets understate the unit, so the latest
    # quarter's suggestion is shown beside it
    wb = openpyxl.load_workbook(path)
    ws = wb[PK.table("indikator").sheet]
    table = PK.table("indikator")
    for r in range(table.data_first_row, ws.max_row + 1):
        ws.cell(r, table.col("realisasi_tw4")).value = None
    wb.save(path)
    recalc_file(path)
    org = capaian_rows(path)["Organisasi"]
    assert org["capaian_tw4"] is None and org["capaian_tahunan"] < 100
    text = org["penjelasan"]
    assert "Sementara: TW IV belum diisi. Menurut capaian TW III (103,79 %): Baik." in text


def test_hitung_ulang_names_cumulative_targets_at_their_cell(tmp_path):
    path = shutil.copy(Path("examples/dinas_pendidikan/PK_2025.xlsx"), tmp_path / "PK.xlsx")
    table = PK.table("indikator")
    wb = openpyxl.load_workbook(path)
    # the cagar budaya row (jumlah, 3 a quarter, 12 a year) retyped as targets to date
    row = table.data_first_row + 2
    fill_rows(wb, table, [{"target_tw1": 3, "target_tw2": 6, "target_tw3": 9,
                           "target_tw4": 12}], first_row=row)
    wb.save(path)
    recalc_file(path)
    assert ("TARGET_TW_KUMULATIF", "Peringatan", "Indikator", f"J{row}") in validasi(path)
