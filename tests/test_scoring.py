"""Scoring worked by hand: three employees of a small unit."""

from decimal import Decimal as D

from kinerja.models import Anggaran, Identitas, Indikator, Pegawai, Perilaku, PkData, Rhk, SkpData
from kinerja.ratings import Predikat, PredikatOrganisasi, Rating
from kinerja.scoring import score_pk, score_skp

NIP_A, NIP_B, NIP_C = "198001012005011001", "198502022010012002", "197003032000031003"


def rhk(nip, row, target, realisasi, polaritas="positif", rating=None, jenis="Utama"):
    return Rhk(nip=nip, sheet="RHK", row=row, cells={"realisasi": f"J{row}",
               "rating_hasil": f"L{row}", "nip": f"A{row}", "target": f"I{row}"},
               target=target, realisasi=realisasi, polaritas=polaritas, rating_hasil=rating,
               jenis=jenis)


def perilaku(nip, row, rating):
    return Perilaku(nip=nip, nilai="Akuntabel", sheet="Perilaku", row=row, rating_perilaku=rating,
                    cells={"rating_perilaku": f"H{row}"})


def unit():
    return SkpData(
        file="dinas.xlsx",
        identitas=Identitas(unit_kerja="Dinas Uji", tahun=2025, periode="Tahunan",
                            predikat_organisasi=PredikatOrganisasi.BAIK, nip_pimpinan=NIP_C,
                            sheet="Identitas", cells={"tahun": "B6", "nip_pimpinan": "B19"}),
        pegawai=[Pegawai(nip=NIP_A, nama="Ani"), Pegawai(nip=NIP_B, nama="Budi"),
                 Pegawai(nip=NIP_C, nama="Citra", jenis_jabatan="JPT")],
        rhk=[
            # Ani: 45/50 = 90, (2*10 - 8)/10 = 120 -> capped 120; mean 105; atasan: Di Atas
            rhk(NIP_A, 5, D(50), D(45), rating=Rating.DI_ATAS),
            rhk(NIP_A, 6, D(10), D(8), "negatif"),
            # Budi: 60/50 = 120 and 30/50 = 60 -> mean 90; no rating -> suggested Sesuai
            rhk(NIP_B, 7, D(50), D(60)),
            rhk(NIP_B, 8, D(50), D(30)),
            rhk(NIP_B, 9, D(50), D(50), jenis="Tambahan"),  # not in the mean
            # Citra heads the unit: rating hasil follows the org predikat Baik -> Sesuai
            rhk(NIP_C, 10, (D(80), D(90)), D(85)),
        ],
        perilaku=[perilaku(NIP_A, 5, Rating.SESUAI), perilaku(NIP_B, 12, Rating.SESUAI),
                  perilaku(NIP_C, 19, Rating.DI_BAWAH)],
    )


def test_results_worked_by_hand():
    result = score_skp(unit())
    got = {h.nip: (h.rata_capaian, h.rating_hasil, h.rating_hasil_sumber, h.predikat)
           for h in result.hasil}
    assert got == {
        NIP_A: (D(105), Rating.DI_ATAS, "atasan", Predikat.BAIK),
        NIP_B: (D(90), Rating.SESUAI, "saran", Predikat.BAIK),
        NIP_C: (D(100), Rating.SESUAI, "organisasi", Predikat.KURANG),
    }
    assert result.distribusi["Baik"] == 2 and result.distribusi["Kurang/Misconduct"] == 1


def test_explanations_are_plain_words():
    result = score_skp(unit())
    assert result.iki[0].penjelasan == "realisasi 45 / target 50 x 100 = 90,00 %"
    assert result.iki[1].penjelasan == (
        "(2 x target 10 - realisasi 8) / target 10 x 100 = 120,00 %")
    assert result.iki[5].penjelasan == "realisasi 85 dalam rentang target 80-90 = 100,00 %"
    budi = next(h for h in result.hasil if h.nip == NIP_B)
    assert "Rata-rata capaian 2 IKI Utama: (120,00 + 60,00) / 2 = 90,00 %." in budi.penjelasan
    assert "saran dari rata-rata capaian IKI Utama 90,00 %" in budi.penjelasan


def test_findings_carry_their_cell():
    data = unit()
    data.rhk.append(rhk("199901012020011001", 11, D(5), None))
    found = {(f.code, f.sheet, f.cell) for f in score_skp(data).findings}
    assert ("RATING_DISARANKAN", "RHK", "L7") in found
    assert ("NIP_TIDAK_TERDAFTAR", "RHK", "A11") in found
    assert ("BELUM_ADA_REALISASI", "RHK", "J11") in found
    assert ("KURVA_PEGAWAI_SEDIKIT", "Distribusi", None) in found


def test_conflicting_ratings_for_one_employee_are_an_error():
    data = unit()
    data.rhk[1] = rhk(NIP_A, 6, D(10), D(8), "negatif", rating=Rating.SESUAI)
    found = [f for f in score_skp(data).findings if f.code == "RATING_TIDAK_KONSISTEN"]
    assert [(f.cell, f.is_error) for f in found] == [("L6", True)]


def test_planning_stage_has_no_missing_realisasi_noise():
    data = unit()
    for r in data.rhk:
        r.realisasi = None
    codes = {f.code for f in score_skp(data).findings}
    assert "BELUM_ADA_REALISASI" not in codes and "RATING_PERILAKU_KOSONG" not in codes


def test_pk_quarters_use_cumulative_targets_for_sums():
    ind = Indikator(sasaran="S1", indikator="Jumlah desa", agregasi="jumlah",
                    target_tahunan=D(100), target_tw=[D(10), D(20), D(30), D(40)],
                    realisasi_tw=[D(10), D(10), D(40), None])
    pct = Indikator(sasaran="S1", indikator="Persentase", agregasi="terakhir",
                    target_tahunan=D(80), target_tw=[D(20), D(40), D(60), D(80)],
                    realisasi_tw=[D(25), D(40), D(66), D(100)])
    uang = Anggaran(pagu=D(1000), realisasi_tw=[D(100), D(200), None, None])
    res = score_pk(PkData(indikator=[ind, pct], anggaran=[uang]))
    a, b = res.indikator
    assert a.capaian_tw == [D(100), D(20) / 30 * 100, D(60) / 60 * 100, None]
    assert a.capaian_tahunan == D(60)
    assert b.capaian_tw == [D(120), D(100), D(110), D(120)]  # 125 capped at 120
    assert b.capaian_tahunan == D(120)  # 100/80 = 125, capped at 120
    assert res.sasaran == {"S1": D(90)} and res.organisasi == D(90)
    assert res.serapan_anggaran == D(30)
