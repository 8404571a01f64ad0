"""Read one candidate in a worker process: bytes -> hash -> reader -> scoring -> plain rows.

Runs in a ProcessPoolExecutor, so it takes and returns plain picklable data.
The workbook is read once (bytes in memory, also for zip members); the
centre recomputes every result with :func:`kinerja.scoring.score_skp` and
never trusts what the workbook shows: where the shown predikat differs, a
``HASIL_BERBEDA`` finding is kept.

A file is quarantined (kept out, with its reason) when it cannot be read,
fails the template check, or lacks the identity that keys its rows (unit,
year, period). Otherwise its good rows are kept and rows that cannot be
keyed (invalid, missing or repeated NIP) are rejected with their findings.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.findings import Finding, finding
from kinerja.ratings import Predikat
from kinerja.settings import current_settings, fingerprint
from sync.discover import ZIP_ERRORS, Candidate, read_reason
from sync.schema import HASIL_SINCE_3, SCHEMA_VERSION
from workbook_templates.guard import MAX_FILE_BYTES, inspect, too_big

SKP_TEMPLATE = "SKP"
# findings that mean "this is not a usable SKP workbook": the whole file is quarantined
BLOCKING = ("BERKAS_RUSAK", "BUKAN_TEMPLAT", "SHEET_HILANG", "VERSI_TEMPLAT_BARU")
# findings on a row that make the row unusable (it cannot be keyed)
KEY_CODES = ("NIP_TIDAK_VALID", "NIP_GANDA")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Outcome:
    """What one file contributes: its submission row and its rows per table."""

    berkas: str
    sha256: str
    size: int
    mtime_ns: int
    melalui: str = ""  # the district master it came through, "" when sent directly
    status: str = "diterima"  # diterima | karantina
    alasan: str | None = None
    alasan_kode: str | None = None
    kiriman: dict = field(default_factory=dict)  # stamp and identity columns
    pegawai: list[dict] = field(default_factory=list)
    hasil: list[dict] = field(default_factory=list)
    rhk: list[dict] = field(default_factory=list)
    perilaku: list[dict] = field(default_factory=list)
    kegiatan: list[dict] = field(default_factory=list)  # daily activity log (layout v2)
    temuan: list[dict] = field(default_factory=list)
    baris_ditolak: int = 0
    skema: int | None = SCHEMA_VERSION  # the master schema its rows were made for
    pengaturan: str | None = None  # fingerprint of the settings its results were computed with


def read_candidate(c: Candidate) -> Outcome:
    """Read, check and score one workbook; never raises for bad data.

    The guard (:mod:`workbook_templates.guard`) runs on the bytes before
    calamine sees them, for files on disk and zip members alike: its errors
    quarantine the file with their own code, its warnings (macros, external
    links) are kept as temuan and the file is read.
    """
    if too_big(c.size):  # refused unread: neither disk nor memory is spent on it
        return _quarantine(c, "", c.size, finding("BERKAS_TERLALU_BESAR", detail=(
            f"ukuran {c.size // (1024 * 1024)} MB melebihi batas "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB")))
    try:
        data = c.read_bytes(limit=MAX_FILE_BYTES)
    except ZIP_ERRORS as exc:  # gone, not readable, or a zip member that is not whole
        return _quarantine(c, "", 0, finding(
            "BERKAS_RUSAK", detail=f"berkas tidak dapat dibuka: {read_reason(exc)}"))
    sha = hashlib.sha256(data).hexdigest()
    noted = inspect(data, name=c.berkas)
    if any(f.is_error for f in noted):
        return _quarantine(c, sha, len(data), next(f for f in noted if f.is_error))
    try:
        skp = _parse(data, c.berkas)
    except Exception as exc:  # noqa: BLE001  (any reader crash is a bad file, not a bad batch)
        return _quarantine(c, sha, len(data), finding("BERKAS_RUSAK", detail=_why_unreadable(
            data, exc)))
    if noted:
        skp = skp.model_copy(update={"findings": [*noted, *skp.findings]})
    return outcome_from_skp(c, sha, len(data), skp)


def _parse(data: bytes, berkas: str):
    """The one reader on bytes already in memory (zip members are never written to disk)."""
    from workbook_templates.reader import parse_skp, sheet_values

    sheets, noted = sheet_values(data, _parsed_sheets(), berkas)
    skp = parse_skp(sheets, file=berkas)
    skp.findings[:0] = noted
    return skp


# the tables parse_skp reads; the other sheets (Petunjuk, Distribusi, Validasi and the
# Dokumen Evaluasi print sheet, 60 rows an employee) are outputs it never looks at
_PARSED_TABLES = ("identitas", "pegawai", "rhk", "perilaku", "kegiatan", "hasil")


@functools.cache
def _parsed_sheets() -> frozenset[str]:
    """Sheet keys (stripped, casefolded, as the reader matches them) that parse_skp reads,
    in any SKP layout version, and the stamp sheet."""
    from workbook_templates.layout import STAMP_SHEET
    from workbook_templates.skp_layout import SKP_VERSIONS

    names = {STAMP_SHEET, *(lay.table(t).sheet for lay in SKP_VERSIONS.values()
                            for t in _PARSED_TABLES if lay.has_table(t))}
    return frozenset(n.strip().casefold() for n in names)


def _blocks(f: Finding) -> bool:
    """Whether a reader finding fails the template check (the file is quarantined).

    A header that moved is read from where it now is; a header that is gone
    means an input column was not read, so the file cannot be trusted.
    """
    if f.code in BLOCKING or (f.is_error and not f.sheet):  # file-level errors
        return True
    return f.code == "KOLOM_BERUBAH" and "tidak dibaca" in f.message


def _why_unreadable(data: bytes, exc: Exception) -> str:
    if not data:
        return "berkas kosong (0 byte)"
    if not (data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)):
        return ("isi berkas bukan workbook Excel (mungkin berkas lain yang namanya diganti "
                "menjadi .xlsx)")
    return f"workbook rusak atau terpotong ({type(exc).__name__}: {exc})"


def _quarantine(c: Candidate, sha: str, size: int, f: Finding, extra: dict | None = None
                ) -> Outcome:
    f = f.at(file=c.berkas)
    return Outcome(berkas=c.berkas, sha256=sha, size=size, mtime_ns=c.mtime_ns,
                   status="karantina", alasan=_reason(f), alasan_kode=f.code,
                   kiriman=extra or {}, temuan=[_temuan(f)])


def quarantine(c: Candidate, f: Finding) -> Outcome:
    """A submission refused before any byte of it was read (:mod:`sync.skipped`)."""
    return _quarantine(c, "", 0, f)


def _reason(f: Finding) -> str:
    where = ", ".join(x for x in (f.sheet and f"sheet {f.sheet}", f.cell and f"sel {f.cell}")
                      if x)
    return f"{f.message} ({where})" if where else f.message


def _temuan(f: Finding) -> dict:
    return {"kode": f.code, "tingkat": f.severity.value, "berkas": f.file, "sheet": f.sheet,
            "sel": f.cell, "baris": f.row, "kolom": f.field, "nilai": f.value,
            "pesan": f.message}


def _text(value) -> str | None:
    if value is None:
        return None
    return getattr(value, "value", None) or str(value)


def _target(t) -> str | None:
    if t is None:
        return None
    if isinstance(t, tuple):
        return f"{t[0]}-{t[1]}"
    return str(t)


def outcome_from_skp(c: Candidate, sha: str, size: int, skp) -> Outcome:
    """Check, score and flatten a read SKP workbook (SkpData)."""
    from kinerja.scoring import score_skp

    ident = skp.identitas
    stamp = skp.stamp
    head = {"template_id": stamp.template_id if stamp else None,
            "layout_version": stamp.layout_version if stamp else None,
            "rule_pack": stamp.rule_pack if stamp else None,
            "instansi": ident.instansi, "unit_kerja": _clean(ident.unit_kerja),
            "tahun": ident.tahun, "periode": ident.periode or ident.periode_jenis,
            "predikat_organisasi": _text(ident.predikat_organisasi)}
    blocking = [f for f in skp.findings if _blocks(f)]
    if blocking:
        return _quarantine(c, sha, size, blocking[0], head)
    if stamp is None or stamp.template_id != SKP_TEMPLATE:
        what = f"templat '{stamp.template_id}'" if stamp else "tanpa cap templat"
        return _quarantine(c, sha, size, finding("BUKAN_TEMPLAT", detail=(
            f"Berkas ini {what}, bukan templat SKP; sinkronisasi hanya menerima SKP")), head)
    missing = [label for key, label in (("unit_kerja", "Unit Kerja"), ("tahun", "Tahun"),
                                        ("periode", "Periode")) if not head[key]]
    if missing:
        return _quarantine(c, sha, size, finding(
            "IDENTITAS_TIDAK_LENGKAP", detail=", ".join(missing), sheet="Identitas"), head)

    result = score_skp(skp)
    findings = [f.at(file=c.berkas) for f in result.findings]
    key = {"tahun": head["tahun"], "periode": head["periode"]}
    unit = head["unit_kerja"]

    bad_rows = {(f.sheet, f.row) for f in findings if f.is_error and (
        f.code in KEY_CODES or (f.code == "WAJIB_DIISI" and f.field == "nip"))}
    kept: dict[str, dict] = {}
    rejected = 0
    bad_kept: set[tuple] = set()  # bad rows the reader still returned (counted here)
    for p in skp.pegawai:
        if (p.sheet, p.row) in bad_rows or not p.nip or p.nip in kept:
            rejected += 1
            bad_kept.add((p.sheet, p.row))
            continue
        kept[p.nip] = {**key, "nip": p.nip, "unit_kerja": unit, "status": "aktif",
                       "nama": p.nama, "pangkat_golongan": p.pangkat_golongan,
                       "jabatan": p.jabatan, "jenis_jabatan": p.jenis_jabatan,
                       "jenjang_jf": p.jenjang_jf, "nip_atasan": p.nip_atasan,
                       "jenis_pegawai": p.jenis_pegawai, "sheet": p.sheet, "baris": p.row}

    rhk_rows, perilaku_rows = [], []
    for r, cap in zip(skp.rhk, result.iki, strict=True):
        if r.nip not in kept or (r.sheet, r.row) in bad_rows:
            rejected += 1
            bad_kept.add((r.sheet, r.row))
            continue
        rhk_rows.append({**key, "nip": r.nip, "jenis": r.jenis, "rhk_atasan": r.rhk_atasan,
                         "rhk": r.rhk, "aspek": r.aspek, "iki": r.iki, "satuan": r.satuan,
                         "polaritas": r.polaritas, "target": _target(r.target),
                         "realisasi": r.realisasi, "rating_hasil": _text(r.rating_hasil),
                         "capaian": cap.capaian, "penjelasan": cap.penjelasan,
                         "sheet": r.sheet, "baris": r.row})
    for b in skp.perilaku:
        if b.nip not in kept or (b.sheet, b.row) in bad_rows:
            rejected += 1
            bad_kept.add((b.sheet, b.row))
            continue
        perilaku_rows.append({**key, "nip": b.nip, "nilai": b.nilai,
                              "ekspektasi_khusus": b.ekspektasi_khusus,
                              "rating_atasan": _text(b.rating_atasan),
                              "rating_rekan": _text(b.rating_rekan),
                              "rating_perilaku": _text(b.rating_perilaku),
                              "sheet": b.sheet, "baris": b.row})

    kegiatan_rows = [{**key, "nip": k.nip, "tanggal": k.tanggal, "iki": k.iki,
                      "kegiatan": k.kegiatan, "output": k.output, "jumlah": k.jumlah,
                      "bukti": k.bukti, "sheet": k.sheet, "baris": k.row}
                     for k in getattr(skp, "kegiatan", []) if k.nip in kept]

    hasil_rows = []
    for h in result.hasil:
        if h.nip not in kept:
            continue
        shown = skp.shown_predikat.get(h.nip)
        computed = _text(h.predikat)
        if shown not in (None, "") and _differs(shown, h.predikat):
            findings.append(finding("HASIL_BERBEDA", value=shown,
                                    detail=computed or "tidak dapat dihitung",
                                    file=c.berkas, sheet="Hasil", field="predikat"))
        hasil_rows.append({**key, "nip": h.nip, "unit_kerja": unit, "nama": h.nama,
                           "jumlah_iki": h.jumlah_iki, "rata_capaian": h.rata_capaian,
                           "rating_hasil": _text(h.rating_hasil),
                           "rating_hasil_sumber": h.rating_hasil_sumber,
                           "rating_perilaku": _text(h.rating_perilaku), "predikat": computed,
                           "predikat_di_berkas": None if shown in (None, "") else str(shown),
                           "penjelasan": h.penjelasan, **_talenta(h)})

    by_nip: dict[str, list] = {}
    for table in (rhk_rows, perilaku_rows, hasil_rows, kegiatan_rows):
        for row in table:
            by_nip.setdefault(row["nip"], []).append(row)
    for nip, row in kept.items():
        row["sidik"] = _fingerprint([row, *by_nip.get(nip, [])])

    # rows the reader already dropped (invalid NIP) count as rejected too
    rejected += len({(f.sheet, f.row) for f in skp.findings
                     if f.is_error and f.code in KEY_CODES} - bad_kept)
    return Outcome(berkas=c.berkas, sha256=sha, size=size, mtime_ns=c.mtime_ns,
                   pengaturan=fingerprint(current_settings()),
                   kiriman=head, pegawai=list(kept.values()), hasil=hasil_rows, rhk=rhk_rows,
                   perilaku=perilaku_rows, kegiatan=kegiatan_rows,
                   temuan=[_temuan(f) for f in findings],
                   baris_ditolak=rejected)


def _talenta(h) -> dict:
    """The follow-up columns of a result (schema 3): talent box, recommendations, angka kredit."""
    return {**{c: getattr(h, c) for c in HASIL_SINCE_3}, "potensial": _text(h.potensial)}


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text and text.strip() else None


def _differs(shown: object, computed: Predikat | None) -> bool:
    if computed is None:
        return True
    try:
        return Predikat.parse(shown) is not computed
    except ValueError:
        return True


def _fingerprint(rows: list[dict]) -> str:
    """A hash of an employee's content, positions left out: tells an update from a re-send."""
    def strip(row: dict) -> dict:
        return {k: v for k, v in row.items() if k not in ("sheet", "baris", "status", "sidik")}

    text = json.dumps([strip(r) for r in rows], sort_keys=True, default=_jsonable)
    return hashlib.sha1(text.encode()).hexdigest()


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return str(value)
