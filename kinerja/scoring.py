"""From a read workbook to results: capaian per IKI, ratings, predikat, kurva.

Every number comes with a plain-words explanation so the employee can follow
how it was reached. Cross-table checks (an RHK whose NIP is not in Pegawai,
conflicting ratings) live here; cell-level checks live in the reader.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from itertools import chain

from kinerja.findings import Finding, finding
from kinerja.models import Identitas, Indikator, Pegawai, Perilaku, PkData, Rhk, SkpData
from kinerja.numbers import fmt, round2
from kinerja.ratings import Predikat, Rating, predikat
from kinerja.results import (
    CapaianIki,
    CapaianIndikator,
    HasilPegawai,
    PkResult,
    SkpResult,
    from_fields,
)
from kinerja.rulepack import SKP_PACK, RulePack, rule_pack
from kinerja.rules.angka_kredit import PERSEN, angka_kredit
from kinerja.rules.capaian import capaian
from kinerja.rules.kurva import cek_kurva
from kinerja.rules.organisasi import saran_predikat_organisasi
from kinerja.rules.periode import bulan_periode, dalam_periode, jumlah_bulan
from kinerja.rules.rekomendasi import rekomendasi_pengembangan
from kinerja.rules.saran import rata_capaian, saran_dari_rata
from kinerja.rules.talenta import REKOMENDASI, kotak_talenta, potensial
from kinerja.rules.triwulan import (
    TW,
    URAIAN_TW,
    pembanding_tw,
    rata_bertingkat,
    realisasi_tahunan,
    sementara,
    target_kumulatif,
)
from kinerja.settings import Settings, current_settings


def score_skp(data: SkpData, settings: Settings | None = None) -> SkpResult:
    """Recompute an SKP workbook from its inputs; findings include the reader's."""
    settings = settings or current_settings()
    ident = data.identitas
    planning = not any(r.realisasi is not None for r in data.rhk)
    findings = list(data.findings)
    known = {p.nip for p in data.pegawai}
    findings += [finding("NIP_TIDAK_TERDAFTAR", value=r.nip, file=data.file, **r.where("nip"))
                 for r in chain(data.rhk, data.perilaku, data.kegiatan) if r.nip not in known]
    if ident.nip_pimpinan and ident.nip_pimpinan not in known:
        findings.append(finding("NIP_TIDAK_TERDAFTAR", value=ident.nip_pimpinan, file=data.file,
                                **ident.where("nip_pimpinan")))
    pack = _rule_pack(ident, settings, data.file, findings)
    iki = _score_ikis(data, settings, planning, findings)
    iki = _saran_dari_kegiatan(data, iki, findings)
    by_nip_iki: dict[str, list[tuple[Rhk, CapaianIki]]] = defaultdict(list)
    for r, c in zip(data.rhk, iki, strict=True):
        by_nip_iki[r.nip].append((r, c))
    perilaku: dict[str, list[Perilaku]] = defaultdict(list)
    for p in data.perilaku:
        perilaku[p.nip].append(p)
    hasil = [_score_pegawai(p, by_nip_iki[p.nip], perilaku[p.nip], data, settings, planning,
                            findings) if pack else _without_pack(p, by_nip_iki[p.nip], data)
             for p in data.pegawai]
    if pack:
        findings += _pimpinan_unmarked(data)
    distribusi = Counter(h.predikat.value for h in hasil if h.predikat)
    if ident.predikat_organisasi is not None and distribusi:
        findings += [f.at(file=data.file, sheet="Distribusi") for f in cek_kurva(
            ident.predikat_organisasi, [h.predikat for h in hasil if h.predikat], settings)]
    return SkpResult(tahun=ident.tahun, periode=ident.periode, unit_kerja=ident.unit_kerja,
                     predikat_organisasi=ident.predikat_organisasi, iki=iki, hasil=hasil,
                     distribusi={p.value: distribusi.get(p.value, 0) for p in Predikat},
                     findings=findings)


def _rule_pack(ident: Identitas, settings: Settings, file: str | None,
               findings: list[Finding]) -> RulePack | None:
    """The rule pack of the workbook's tahun and periode (rules.md §7, "Regulatory timeline").

    The SKP workbook is scored only when the whole period falls under a pack that has
    the 6/2022 matrix; any other period (also one that spans two packs, like 2021: PP
    46/2011 to June, PermenPANRB 8/2021 from July) gets PAKET_ATURAN_BELUM_ADA and None
    rather than the wrong regulation. Without a tahun (WAJIB_DIISI says so) the
    workbook's own pack is assumed.
    """
    if ident.tahun is None:
        return rule_pack(SKP_PACK)
    period = f"{ident.periode or ident.periode_jenis or ''} {ident.tahun}".strip()
    try:
        packs = [rule_pack(settings.rule_pack(ident.tahun, month))
                 for month in bulan_periode(ident.periode_jenis, ident.periode)]
    except ValueError:
        packs, detail = [], "tidak ada paket aturan untuk periode ini"
    else:
        names = dict.fromkeys(f"{p.nama} untuk {p.berlaku}" for p in packs)
        detail = "berlaku " + "; lalu ".join(names)
    if packs and all(p.scores_skp for p in packs):
        return packs[-1]
    findings.append(finding("PAKET_ATURAN_BELUM_ADA", value=period, detail=detail, file=file,
                            **ident.where("tahun")))
    return None


def _without_pack(p: Pegawai, rows: list[tuple[Rhk, CapaianIki]],
                  data: SkpData) -> HasilPegawai:
    """An employee of a period whose rule pack is not implemented: capaian only."""
    utama, which = _utama(rows)
    mean = rata_capaian(utama)
    return HasilPegawai(nip=p.nip, nama=p.nama, unit_kerja=data.identitas.unit_kerja,
                        jumlah_iki=len(rows), rata_capaian=mean, rating_hasil_sumber="kosong",
                        penjelasan=f"{_explain_mean(utama, which, mean)} Aturan periode ini "
                                   "belum diterapkan; rating dan predikat tidak dihitung.")


def _pimpinan_unmarked(data: SkpData) -> list[Finding]:
    """A JPT in a unit with a predikat organisasi but no NIP Pimpinan Unit: the JPT's rating
    is no longer taken from the organisation unless the unit head is marked."""
    ident = data.identitas
    if ident.predikat_organisasi is None or ident.nip_pimpinan:
        return []
    return [finding("PIMPINAN_UNIT_KOSONG", value=p.nip, file=data.file,
                    **(ident.where("nip_pimpinan") if ident.cell("nip_pimpinan")
                       else p.where("jenis_jabatan")))
            for p in data.pegawai if p.jenis_jabatan == "JPT"]


def _score_ikis(data: SkpData, settings: Settings, planning: bool,
                findings: list[Finding]) -> list[CapaianIki]:
    """The capaian of every RHK row, in order; the cap and the memo are the workbook's."""
    cap = settings.capaian.cap_skp
    explained: dict[tuple, tuple[Decimal | None, str]] = {}
    out = []
    for r in data.rhk:
        value, text = _capaian_iki(r, cap, planning, data.file, findings, explained)
        out.append(_capaian_iki_of({"sheet": r.sheet, "row": r.row, "nip": r.nip,
                                    "capaian": value, "penjelasan": text}))
    return out


_capaian_iki_of = from_fields(CapaianIki)


def _capaian_iki(r: Rhk, cap: Decimal | None, planning: bool, file: str | None,
                 findings: list[Finding], explained: dict) -> tuple[Decimal | None, str]:
    """The capaian and penjelasan of one RHK row (a row never stops the workbook: findings)."""
    if r.target is None:
        return None, "target belum diisi"
    if r.realisasi is None:
        if not planning:
            findings.append(finding("BELUM_ADA_REALISASI", file=file, **r.where("realisasi")))
        return None, "realisasi belum diisi"
    raw, text = _capaian_explained(r.target, r.realisasi, r.polaritas, explained)
    if raw is None:
        findings.append(finding("TARGET_NOL", detail="capaian tidak terdefinisi (n/a)",
                                file=file, **r.where("target")))
    elif cap is not None and raw > cap:
        findings.append(finding("CAPAIAN_DIBATASI", value=fmt(raw), detail=fmt(cap), file=file,
                                **r.where("realisasi")))
        return cap, f"{text}, dibatasi {fmt(cap)} %"
    return raw, text


def _capaian_explained(target: Decimal | tuple, realisasi: Decimal, polaritas: str,
                       memo: dict) -> tuple[Decimal | None, str]:
    """capaian() and explain_capaian() of one IKI, remembered for the workbook: the staff of
    a unit share most targets and many realisasi. Keyed by the numbers' exact text (a
    tuple's repr is its Decimals' exact text), not their value: 45.0 / 50 and 45 / 50 give
    capaian of different digits (90.0 and 90), and "45,0" is shown as typed."""
    key = (str(target), str(realisasi), polaritas)
    hit = memo.get(key)
    if hit is None:
        raw = capaian(target, realisasi, polaritas)
        hit = memo[key] = (raw, explain_capaian(target, realisasi, polaritas, raw))
    return hit


def explain_capaian(target: Decimal | tuple, realisasi: Decimal, polaritas: str,
                    result: Decimal | None) -> str:
    """How a capaian was reached, in words, e.g. "realisasi 45 / target 50 x 100 = 90,00 %"."""
    r = _num(realisasi)
    if isinstance(target, tuple):
        low, high = target
        if low <= realisasi <= high:
            return f"realisasi {r} dalam rentang target {_num(low)}-{_num(high)} = 100,00 %"
        target = high if realisasi > high else low
        r = f"{r} (di luar rentang, dibandingkan dengan {_num(target)})"
    t = _num(target)
    if result is None:
        return f"target {t}: capaian tidak terdefinisi (n/a)"
    if polaritas == "negatif":
        if target == 0:
            return f"target 0 (semakin rendah semakin baik), realisasi {r} = {fmt(result)} %"
        return f"(2 x target {t} - realisasi {r}) / target {t} x 100 = {fmt(result)} %"
    return f"realisasi {r} / target {t} x 100 = {fmt(result)} %"


def _num(value: Decimal) -> str:
    """A number as typed, with a comma decimal: 45 -> "45", 85.5 -> "85,5", 12.0 -> "12"."""
    text = str(value)
    if "E" in text or len(text) > 20:  # 1E+3, or digits past the context's precision
        text = format(value.normalize(), "f") if value == value.to_integral() else text
        return text.replace(".", ",")
    whole, _, fraction = text.partition(".")
    # the text of a Decimal read from a cell (12.0, 85.50): only zeros after the point are
    # dropped, the way normalize() would
    return whole if not fraction.strip("0") else text.replace(".", ",")


def _score_pegawai(p: Pegawai, rows: list[tuple[Rhk, CapaianIki]], perilaku: list[Perilaku],
                   data: SkpData, settings: Settings, planning: bool,
                   findings: list[Finding]) -> HasilPegawai:
    utama, which = _utama(rows)
    mean = rata_capaian(utama)
    parts = [explain_jumlah_iki(rows), _explain_mean(utama, which, mean)]
    rh, sumber, why = _rating_hasil(p, rows, mean, which, data, settings, findings)
    parts.append(why)
    rp = _single_rating(p, [(x, x.rating_perilaku) for x in perilaku], "rating_perilaku",
                        data.file, findings)
    # an employee without rows in RHK or Perilaku gets no predikat: said, never in silence
    if not rows:
        findings.append(finding("RHK_KOSONG", value=p.nip, file=data.file, **p.where("nip")))
    if not perilaku:
        findings.append(finding("PERILAKU_KOSONG", value=p.nip, file=data.file,
                                **p.where("nip")))
    elif rp is None and not planning and rows:
        findings.append(finding("RATING_PERILAKU_KOSONG", file=data.file,
                                **perilaku[0].where("rating_perilaku")))
    parts.append(f"Rating perilaku kerja: {rp.value if rp else 'belum diisi'}.")
    pred = predikat(rh, rp) if rh and rp else None
    if pred:
        parts.append(f"Predikat = matriks (hasil {rh.value}, perilaku {rp.value}) = {pred.value}.")
    level = potensial(p.potensial, settings) if p.potensial is not None else None
    kotak = kotak_talenta(pred, level, settings) if pred and level else None
    ak, ak_text = _angka_kredit(p, pred, data, settings, findings)
    sesuai = settings.saran_rating.sesuai
    low = [(r.iki or r.rhk or "", c.capaian) for r, c in rows
           if c.capaian is not None and c.capaian < sesuai]
    saran = rekomendasi_pengembangan(
        {x.nilai: (x.rating_atasan, x.rating_rekan) for x in perilaku}, kotak, rh, low,
        settings) if (pred or perilaku and not planning) else None
    if pred is None and saran == settings.rekomendasi.tanpa_catatan:
        saran = None  # "pertahankan kinerja" only once a predikat says so
    return HasilPegawai(nip=p.nip, nama=p.nama, unit_kerja=data.identitas.unit_kerja,
                        jumlah_iki=len(rows), rata_capaian=mean, rating_hasil=rh,
                        rating_hasil_sumber=sumber, rating_perilaku=rp, predikat=pred,
                        penjelasan=" ".join(parts), potensial=level,
                        potensial_skor=p.potensial if isinstance(p.potensial, Decimal) else None,
                        kotak_talenta=kotak, rekomendasi_talenta=REKOMENDASI.get(kotak),
                        angka_kredit=ak, angka_kredit_penjelasan=ak_text, rekomendasi=saran)


def hasil_berbeda(data: SkpData, hasil: Iterable[HasilPegawai]) -> list[Finding]:
    """HASIL_BERBEDA for each employee whose predikat in the Hasil sheet differs from the one
    computed again: a Hasil overwritten by hand, or not recomputed after an edit. The centre
    never trusts what a workbook shows; validate and the sync both say so."""
    out = []
    for h in hasil:
        shown = data.shown_predikat.get(h.nip)
        if shown in (None, "") or not _differs(shown, h.predikat):
            continue
        out.append(finding("HASIL_BERBEDA", value=shown,
                           detail=h.predikat.value if h.predikat else "tidak dapat dihitung",
                           file=data.file, sheet="Hasil", cell=data.shown_cells.get(h.nip),
                           field="predikat"))
    return out


def _differs(shown: object, computed: Predikat | None) -> bool:
    if computed is None:
        return True
    try:
        return Predikat.parse(shown) is not computed
    except ValueError:
        return True


def _angka_kredit(p: Pegawai, pred: Predikat | None, data: SkpData, settings: Settings,
                  findings: list[Finding]) -> tuple[Decimal | None, str | None]:
    """Angka kredit of a JF employee for the period, and how it was reached in words."""
    if not p.jenjang_jf:
        if p.jenis_jabatan == "Fungsional":
            findings.append(finding("JENJANG_JF_KOSONG", value=p.nip, file=data.file,
                                    **p.where("jenjang_jf")))
        return None, None
    if pred is None:
        return None, "menunggu predikat kinerja"
    bulan = jumlah_bulan(data.identitas.periode_jenis)
    ak = angka_kredit(pred, p.jenjang_jf, bulan, settings)
    koef = settings.angka_kredit.koefisien[p.jenjang_jf]
    return ak, explain_angka_kredit(bulan, PERSEN[pred], koef, ak)


def explain_angka_kredit(bulan: int, persen: Decimal, koefisien: Decimal, ak: Decimal) -> str:
    """E.g. "2/12 x 100 % x 12,5 = 2,08" (bulan / 12 x persen predikat x koefisien)."""
    return (f"{bulan}/12 x {_num(persen * 100)} % x {_num(koefisien)} = "
            f"{fmt(round2(ak))}")


def _saran_dari_kegiatan(data: SkpData, iki: list[CapaianIki],
                         findings: list[Finding]) -> list[CapaianIki]:
    """Count the kegiatan harian of the period per IKI; sum them as a suggested realisasi
    for a Kuantitas IKI (a blank jumlah counts 1). The typed realisasi stays as it is."""
    if not data.kegiatan:
        return iki
    ident: Identitas = data.identitas
    nips = {k.nip for k in data.kegiatan}  # often a few staff log kegiatan: index only theirs
    rows: dict[tuple[str, str], int] = {}
    for i, r in enumerate(data.rhk):
        if r.nip in nips:
            rows.setdefault((r.nip, _key(r.iki)), i)
    count: dict[int, int] = defaultdict(int)
    total: dict[int, Decimal] = defaultdict(Decimal)
    first, last = bulan_periode(ident.periode_jenis, ident.periode)
    for k in data.kegiatan:
        i = rows.get((k.nip, _key(k.iki)))
        if k.iki is None:
            continue  # WAJIB_DIISI already says so
        if i is None:
            findings.append(finding("KEGIATAN_IKI_TIDAK_DITEMUKAN", value=k.iki, file=data.file,
                                    **k.where("iki")))
            continue
        if k.tanggal is not None and not dalam_periode(k.tanggal, ident.tahun,
                                                       ident.periode_jenis, ident.periode):
            period = f"{ident.periode or ident.periode_jenis or ''} {ident.tahun or ''}".strip()
            findings.append(finding("KEGIATAN_DI_LUAR_PERIODE", value=k.tanggal.isoformat(),
                                    detail=f"{period} (bulan {first}-{last})", file=data.file,
                                    **k.where("tanggal")))
            continue
        count[i] += 1
        total[i] += k.jumlah if k.jumlah is not None else Decimal(1)
    # an IKI without kegiatan keeps its defaults (0 kegiatan, no saran): only the others
    # are copied
    iki = list(iki)
    for i, n in count.items():
        iki[i] = iki[i].model_copy(update={
            "jumlah_kegiatan": n,
            "saran_realisasi": total[i] if data.rhk[i].aspek == "Kuantitas" else None})
    return iki


@lru_cache(maxsize=4096)  # an IKI's text repeats on every staff row that shares it
def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _utama(rows: list[tuple[Rhk, CapaianIki]]) -> tuple[list[Decimal], str]:
    """The capaian the average (and so the rating suggestion) is taken over, the undefined
    left out, and the name of their IKI: the Utama ones. Tambahan work is extra (under
    8/2021 a bonus capped at 10), so it does not move the average; an employee with
    Tambahan rows only is averaged over those."""
    utama = [c.capaian for r, c in rows if r.jenis == "Utama"]
    which = "IKI Utama" if utama else "IKI"
    return [x for x in utama or [c.capaian for _, c in rows] if x is not None], which


def explain_jumlah_iki(rows: list[tuple[Rhk, CapaianIki]]) -> str:
    """How many IKI are utama and which are averaged (only the Utama ones, while there is
    one: see _utama), so "Jumlah IKI 5" beside "rata-rata 3 IKI" has its reason."""
    if not rows:
        return "Belum ada IKI."
    jenis = [r.jenis for r, _ in rows]
    utama = jenis.count("Utama")
    others = len(rows) - utama
    if not others:
        return f"{utama} IKI utama."
    kind = ("IKI tambahan" if jenis.count("Tambahan") == others
            else "IKI tambahan/tanpa jenis")
    if not utama:
        return f"{others} {kind} (tanpa IKI utama, semuanya dirata-rata)."
    return (f"{utama} IKI utama dan {others} {kind}; rata-rata capaian dihitung dari "
            "IKI utama saja.")


def _explain_mean(defined: list[Decimal], which: str, mean: Decimal | None) -> str:
    if mean is None:
        return "Belum ada capaian IKI."
    terms = " + ".join(map(fmt, defined))
    return (f"Rata-rata capaian {len(defined)} {which}: ({terms}) / {len(defined)} = "
            f"{fmt(mean)} %.")


def _rating_hasil(p: Pegawai, rows: list[tuple[Rhk, CapaianIki]], mean: Decimal | None,
                  which: str, data: SkpData, settings: Settings, findings: list[Finding]):
    """The rating hasil kerja, where it came from, and a sentence saying so."""
    org = data.identitas.predikat_organisasi
    entered = _single_rating(p, [(r, r.rating_hasil) for r, _ in rows], "rating_hasil",
                             data.file, findings)
    if org is not None and p.nip == data.identitas.nip_pimpinan:
        rating = settings.rating_pimpinan[org]
        typed = next((r for r, _ in rows if r.rating_hasil is not None), None)
        if typed is not None and typed.rating_hasil != rating:
            findings.append(finding("RATING_DIGANTI", value=typed.rating_hasil.value,
                                    detail=f"{rating.value} (predikat organisasi {org.value})",
                                    file=data.file, **typed.where("rating_hasil")))
        return rating, "organisasi", (
            f"Rating hasil kerja: {rating.value} (pimpinan unit: mengikuti predikat kinerja "
            f"organisasi {org.value}, SE MenPANRB 3/2023).")
    if entered is not None:
        return entered, "atasan", f"Rating hasil kerja: {entered.value} (ditetapkan atasan)."
    suggested = saran_dari_rata(mean, settings)
    if suggested is None:
        return None, "kosong", "Rating hasil kerja: belum diisi."
    bands = settings.saran_rating
    place = rows[0][0].where("rating_hasil")
    findings.append(finding("RATING_DISARANKAN", value=suggested.value, file=data.file, **place))
    return suggested, "saran", (
        f"Rating hasil kerja: {suggested.value} (saran dari rata-rata capaian "
        f"{which} {fmt(mean)} %: "
        f">= {bands.di_atas} Di Atas, >= {bands.sesuai} Sesuai; atasan yang menetapkan).")


def _single_rating(p: Pegawai, pairs: list[tuple], field: str, file: str | None,
                   findings: list[Finding]) -> Rating | None:
    """The one rating given for an employee across rows; differing values are an error."""
    given = [(row, rating) for row, rating in pairs if rating is not None]
    distinct = {rating for _, rating in given}
    if len(distinct) > 1:
        row = given[1][0]
        findings.append(finding("RATING_TIDAK_KONSISTEN", value=p.nip, detail=", ".join(
            sorted(r.value for r in distinct)), file=file, **row.where(field)))
    return given[0][1] if given else None


def score_pk(data: PkData, settings: Settings | None = None) -> PkResult:
    """Capaian of a Perjanjian Kinerja: per indikator per triwulan and tahunan, per sasaran,
    per organisasi (tahunan and per triwulan), the suggested predikat kinerja organisasi and
    the budget absorbed. What each agregasi compares: kinerja.rules.triwulan."""
    settings = settings or current_settings()
    cap = settings.capaian.cap_pk
    findings = list(data.findings)
    rows = [_score_indikator(i, cap, data.file, findings) for i in data.indikator]
    groups: dict[str, list[CapaianIndikator]] = defaultdict(list)
    for i, c in zip(data.indikator, rows, strict=True):
        groups[i.sasaran or "(tanpa sasaran)"].append(c)
    sasaran = {name: rata_capaian(c.capaian_tahunan for c in cs) for name, cs in groups.items()}
    organisasi = rata_capaian(sasaran.values())
    organisasi_tw = [rata_bertingkat([[c.capaian_tw[q] for c in cs] for cs in groups.values()])
                     for q in range(4)]
    provisional = any(c.capaian_tahunan is not None and sementara(i)
                      for i, c in zip(data.indikator, rows, strict=True))
    pagu = sum((a.pagu for a in data.anggaran if a.pagu is not None), Decimal(0))
    spent = sum((x for a in data.anggaran for x in a.realisasi_tw if x is not None), Decimal(0))
    serapan = spent / pagu * 100 if pagu else None
    return PkResult(indikator=rows, sasaran=sasaran, organisasi=organisasi,
                    organisasi_tw=organisasi_tw, sementara=provisional,
                    predikat_saran=saran_predikat_organisasi(organisasi, settings),
                    serapan_anggaran=serapan, findings=findings)


def explain_organisasi(result: PkResult, settings: Settings | None = None) -> str:
    """The capaian organisasi and its suggested predikat in words, for the Organisasi row:
    the bands are the instansi's (kinerja.toml), the predikat is set one level up."""
    settings = settings or current_settings()
    text = f"Rata-rata capaian {len(result.sasaran)} sasaran."
    if result.predikat_saran is None:
        return f"{text} Saran predikat kinerja organisasi: belum ada capaian."
    b = settings.predikat_organisasi
    bands = (f">= {_num(b.istimewa)} Istimewa, >= {_num(b.baik)} Baik, >= "
             f"{_num(b.butuh_perbaikan)} Butuh Perbaikan, >= {_num(b.kurang)} Kurang")
    text += (f" Saran predikat kinerja organisasi: {result.predikat_saran.value} "
             f"(capaian tahunan {fmt(result.organisasi)} %; pita instansi di kinerja.toml: "
             f"{bands}; ditetapkan pimpinan satu tingkat di atas, SE MenPANRB 3/2023).")
    if not result.sementara:
        return text
    # a partial year against full-year targets understates a unit on track: the latest
    # quarter, compared with its own targets, is the periodic view (SE 3/2023)
    text += " Sementara: TW IV belum diisi."
    last = max((q for q, v in enumerate(result.organisasi_tw) if v is not None), default=None)
    if last is not None:
        periodik = saran_predikat_organisasi(result.organisasi_tw[last], settings)
        text += (f" Menurut capaian TW {TW[last]} ({fmt(result.organisasi_tw[last])} %): "
                 f"{periodik.value}.")
    return text


def _score_indikator(ind: Indikator, cap: Decimal | None, file: str | None,
                     findings: list[Finding]) -> CapaianIndikator:
    raw_tw = [_capaian_tw(ind, q) for q in range(4)]
    raw, text = _capaian_tahunan(ind)
    over = [f"TW {TW[q]} {fmt(v)}" for q, v in enumerate(raw_tw) if _over(v, cap)]
    if _over(raw, cap):
        over.append(f"tahunan {fmt(raw)}")
        text += f", dibatasi {fmt(cap)} %"
    if over:
        # one finding per indikator, at the first capped quarter's realisasi (else the last
        # filled one): a row that overachieves is not five warnings
        q = next((q for q, v in enumerate(raw_tw) if _over(v, cap)),
                 max(q for q, v in enumerate(ind.realisasi_tw) if v is not None))
        findings.append(finding("CAPAIAN_DIBATASI", value=_and(over), detail=fmt(cap),
                                file=file, **ind.where(f"realisasi_tw{q + 1}")))
    findings += _target_kumulatif(ind, file)
    if raw is not None and sementara(ind):
        text += "; sementara (TW IV belum diisi)"
    text += f". Triwulan: {URAIAN_TW[ind.agregasi]}."
    return CapaianIndikator(sheet=ind.sheet, row=ind.row, sasaran=ind.sasaran,
                            indikator=ind.indikator, capaian_tw=[_capped(v, cap) for v in raw_tw],
                            capaian_tahunan=_capped(raw, cap), penjelasan=text)


def _and(parts: list[str]) -> str:
    """"a", "a dan b", "a, b dan c"."""
    return " dan ".join(filter(None, [", ".join(parts[:-1]), parts[-1]]))


def _over(value: Decimal | None, cap: Decimal | None) -> bool:
    return value is not None and cap is not None and value > cap


def _capped(value: Decimal | None, cap: Decimal | None) -> Decimal | None:
    return cap if _over(value, cap) else value


def _target_kumulatif(ind: Indikator, file: str | None) -> list[Finding]:
    """TARGET_TW_KUMULATIF when the quarterly targets look like targets to date."""
    total = target_kumulatif(ind)
    if total is None:
        return []
    annual = ind.target_tahunan
    if ind.agregasi == "jumlah":
        detail = (f"agregasi jumlah menjumlahkannya menjadi {_num(total)}, "
                  f"{fmt(total / annual, 1)} kali target tahunan {_num(annual)}")
    else:
        met = capaian(annual, total, ind.polaritas)
        detail = (f"dengan agregasi rata-rata, bila realisasi tepat sama dengan target setiap "
                  f"triwulan, rata-ratanya {fmt(total)} sehingga capaian tahunan {fmt(met)} %, "
                  "bukan 100 %")
    return [finding("TARGET_TW_KUMULATIF", value="/".join(_num(t) for t in ind.target_tw),
                    detail=detail, file=file, **ind.where("target_tw4"))]


def _capaian_tw(ind: Indikator, q: int) -> Decimal | None:
    """Quarter q (0-based), uncapped: what it compares is kinerja.rules.triwulan's."""
    pair = pembanding_tw(ind, q)
    return None if pair is None else capaian(*pair, ind.polaritas)


_AGREGASI_WORDS = {"jumlah": "jumlah TW", "rata-rata": "rata-rata TW", "terakhir": "TW terakhir"}


def _capaian_tahunan(ind: Indikator) -> tuple[Decimal | None, str]:
    """The year's capaian, uncapped, and how it was reached."""
    real = realisasi_tahunan(ind)
    if ind.target_tahunan is None or real is None:
        return None, "target atau realisasi belum diisi"
    raw = capaian(ind.target_tahunan, real, ind.polaritas)
    return raw, f"realisasi {_AGREGASI_WORDS[ind.agregasi]}: " + explain_capaian(
        ind.target_tahunan, real, ind.polaritas, raw)
