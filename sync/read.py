"""Read one candidate in a worker process: bytes -> hash -> reader -> scoring -> plain rows.

Runs in a ProcessPoolExecutor, so it takes and returns plain picklable data.
The workbook is read once (bytes in memory, also for zip members); its stamp
says whether it is an SKP or a Perjanjian Kinerja (PK, flattened by
:mod:`sync.read_pk`). The centre recomputes every result with
:func:`kinerja.scoring.score_skp` or :func:`kinerja.scoring.score_pk` and never
trusts what the workbook shows: where the shown predikat differs, a
``HASIL_BERBEDA`` finding is kept (:func:`kinerja.scoring.hasil_berbeda`). A
workbook that is neither is told what it looks like (:mod:`sync.foreign`).

A file is quarantined (kept out, with its reason) when it cannot be read,
fails the template check, or lacks the identity that keys its rows (unit,
year, period). Otherwise its good rows are kept and rows that cannot be
keyed (invalid, missing or repeated NIP) are rejected with their findings.
Each file's rows balance per table (:func:`balance`): non-empty input rows =
rows stored + rows rejected with a finding; when they do not, BARIS_TIDAK_TERHITUNG.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.findings import Finding, finding
from kinerja.settings import current_settings, fingerprint
from sync.discover import ZIP_ERRORS, Candidate, read_reason
from sync.schema import (
    HASIL_SINCE_3,
    NERACA_TABLES,
    PK_NERACA_TABLES,
    SCHEMA_VERSION,
    temuan_row,
)
from workbook_templates.guard import MAX_FILE_BYTES, inspect, too_big
from workbook_templates.rows import sheet_base, sheet_key

SKP_TEMPLATE = "SKP"
PK_TEMPLATE = "PK"
# findings that mean "this is not a usable SKP or PK workbook": the whole file is quarantined
BLOCKING = ("BERKAS_RUSAK", "BUKAN_TEMPLAT", "SHEET_HILANG", "VERSI_TEMPLAT_BARU")
# findings that name a row the master does not store: the rejected rows of the balance
REJECTING = ("NIP_TIDAK_VALID", "NIP_KOSONG", "NIP_GANDA", "NIP_TIDAK_TERDAFTAR",
             "BARIS_GANDA", "BARIS_CATATAN")

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
    # a Perjanjian Kinerja (since schema 5): its one agreement row, indikator, budget lines
    pk: list[dict] = field(default_factory=list)
    pk_indikator: list[dict] = field(default_factory=list)
    pk_anggaran: list[dict] = field(default_factory=list)
    temuan: list[dict] = field(default_factory=list)
    baris_ditolak: int = 0
    # table -> (non-empty input rows, rows stored, rows rejected with a finding); empty for
    # a file not read as rows (quarantined, duplicate)
    neraca: dict[str, tuple[int, int, int]] = field(default_factory=dict)
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
        book = _parse(data, c.berkas)
    except Exception as exc:  # noqa: BLE001  (any reader crash is a bad file, not a bad batch)
        return _quarantine(c, sha, len(data), finding("BERKAS_RUSAK", detail=_why_unreadable(
            data, exc)))
    if isinstance(book, Finding):  # neither SKP nor PK: told what it looks like
        return _quarantine(c, sha, len(data), book)
    if noted:
        book = book.model_copy(update={"findings": [*noted, *book.findings]})
    if book.stamp is not None and book.stamp.template_id == PK_TEMPLATE:
        from sync.read_pk import outcome_from_pk

        return outcome_from_pk(c, sha, len(data), book)
    return outcome_from_skp(c, sha, len(data), book)


def _parse(data: bytes, berkas: str):
    """The one reader on bytes already in memory (zip members are never written to disk):
    an SKP or a PK as its stamp says, or, for a workbook without a known stamp, the
    BUKAN_TEMPLAT finding that says what it looks like."""
    from workbook_templates.reader import Merged, parse_pk, parse_skp, parse_stamp, sheet_values

    merged: Merged = {}
    sheets, noted = sheet_values(data, _parsed_sheets(), berkas, merged)
    stamp = parse_stamp(sheets)
    if stamp is None or stamp.template_id not in (SKP_TEMPLATE, PK_TEMPLATE):
        from sync.foreign import looks_like

        return looks_like(data, stamp)
    parse = parse_pk if stamp.template_id == PK_TEMPLATE else parse_skp
    book = parse(sheets, file=berkas, merged=merged)
    book.findings[:0] = noted
    return book


# the tables parse_skp reads; the other sheets (Petunjuk, Distribusi, Validasi and the
# Dokumen Evaluasi print sheet, 60 rows an employee) are outputs it never looks at
_PARSED_TABLES = ("identitas", "pegawai", "rhk", "perilaku", "kegiatan", "hasil")
# the same for parse_pk (Capaian: its header is checked)
_PK_TABLES = ("identitas", "indikator", "anggaran", "capaian")


@functools.cache
def _parsed_sheets() -> frozenset[str]:
    """Sheet keys (stripped, casefolded, as the reader matches them) that parse_skp or
    parse_pk read, in any layout version, and the stamp sheet."""
    from workbook_templates.layout import STAMP_SHEET
    from workbook_templates.pk_layout import PK
    from workbook_templates.skp_layout import SKP_VERSIONS

    names = {STAMP_SHEET, *(lay.table(t).sheet for lay in SKP_VERSIONS.values()
                            for t in _PARSED_TABLES if lay.has_table(t)),
             *(PK.table(t).sheet for t in _PK_TABLES if PK.has_table(t))}
    return frozenset(sheet_key(n) for n in names)


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
                   kiriman=extra or {}, temuan=[temuan_row(f)])


def quarantine(c: Candidate, f: Finding) -> Outcome:
    """A submission refused before any byte of it was read (:mod:`sync.skipped`)."""
    return _quarantine(c, "", 0, f)


def _reason(f: Finding) -> str:
    where = ", ".join(x for x in (f.sheet and f"sheet {f.sheet}", f.cell and f"sel {f.cell}")
                      if x)
    return f"{f.message} ({where})" if where else f.message


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


IDENTITY_KEYS = {"unit_kerja": "Unit Kerja", "tahun": "Tahun", "periode": "Periode"}


def quarantined(c: Candidate, sha: str, size: int, findings: list[Finding], head: dict,
                required: dict[str, str]) -> Outcome | None:
    """The quarantine of a read workbook that cannot be stored: a blocking finding, or an
    identity that keys its rows left blank (``required``: head key -> Identitas label);
    None when it can be stored."""
    blocking = [f for f in findings if _blocks(f)]
    if blocking:
        return _quarantine(c, sha, size, blocking[0], head)
    missing = [label for key, label in required.items() if not head[key]]
    if missing:
        return _quarantine(c, sha, size, finding(
            "IDENTITAS_TIDAK_LENGKAP", detail=", ".join(missing), sheet="Identitas"), head)
    return None


def outcome_from_skp(c: Candidate, sha: str, size: int, skp) -> Outcome:
    """Check, score and flatten a read SKP workbook (SkpData)."""
    from kinerja.scoring import hasil_berbeda, score_skp

    ident = skp.identitas
    stamp = skp.stamp
    head = {"template_id": stamp.template_id if stamp else None,
            "layout_version": stamp.layout_version if stamp else None,
            "rule_pack": stamp.rule_pack if stamp else None,
            "instansi": ident.instansi, "unit_kerja": _clean(ident.unit_kerja),
            "tahun": ident.tahun, "periode": ident.periode or ident.periode_jenis,
            "predikat_organisasi": _text(ident.predikat_organisasi)}
    unusable = quarantined(c, sha, size, skp.findings, head, IDENTITY_KEYS)
    if unusable:
        return unusable

    result = score_skp(skp)
    findings = [f.at(file=c.berkas) for f in result.findings]
    key = {"tahun": head["tahun"], "periode": head["periode"]}
    unit = head["unit_kerja"]

    # the reader returns only rows with a valid NIP, one Pegawai row per NIP; rows of an
    # NIP not in Pegawai are rejected here (NIP_TIDAK_TERDAFTAR names each)
    kept: dict[str, dict] = {}
    for p in skp.pegawai:
        kept[p.nip] = {**key, "nip": p.nip, "unit_kerja": unit, "status": "aktif",
                       "nama": p.nama, "pangkat_golongan": p.pangkat_golongan,
                       "jabatan": p.jabatan, "jenis_jabatan": p.jenis_jabatan,
                       "jenjang_jf": p.jenjang_jf, "nip_atasan": p.nip_atasan,
                       "jenis_pegawai": p.jenis_pegawai, "sheet": p.sheet, "baris": p.row}

    rhk_rows = [{**key, "nip": r.nip, "jenis": r.jenis, "rhk_atasan": r.rhk_atasan,
                 "rhk": r.rhk, "aspek": r.aspek, "iki": r.iki, "satuan": r.satuan,
                 "polaritas": r.polaritas, "target": _target(r.target),
                 "realisasi": r.realisasi, "rating_hasil": _text(r.rating_hasil),
                 "capaian": cap.capaian, "penjelasan": cap.penjelasan,
                 "sheet": r.sheet, "baris": r.row}
                for r, cap in zip(skp.rhk, result.iki, strict=True) if r.nip in kept]
    perilaku_rows = [{**key, "nip": b.nip, "nilai": b.nilai,
                      "ekspektasi_khusus": b.ekspektasi_khusus,
                      "rating_atasan": _text(b.rating_atasan),
                      "rating_rekan": _text(b.rating_rekan),
                      "rating_perilaku": _text(b.rating_perilaku),
                      "sheet": b.sheet, "baris": b.row}
                     for b in skp.perilaku if b.nip in kept]
    kegiatan_rows = [{**key, "nip": k.nip, "tanggal": k.tanggal, "iki": k.iki,
                      "kegiatan": k.kegiatan, "output": k.output, "jumlah": k.jumlah,
                      "bukti": k.bukti, "sheet": k.sheet, "baris": k.row}
                     for k in getattr(skp, "kegiatan", []) if k.nip in kept]

    counted = [h for h in result.hasil if h.nip in kept]
    findings += [f.at(file=c.berkas) for f in hasil_berbeda(skp, counted)]
    hasil_rows = []
    for h in counted:
        shown = skp.shown_predikat.get(h.nip)
        hasil_rows.append({**key, "nip": h.nip, "unit_kerja": unit, "nama": h.nama,
                           "jumlah_iki": h.jumlah_iki, "rata_capaian": h.rata_capaian,
                           "rating_hasil": _text(h.rating_hasil),
                           "rating_hasil_sumber": h.rating_hasil_sumber,
                           "rating_perilaku": _text(h.rating_perilaku),
                           "predikat": _text(h.predikat),
                           "predikat_di_berkas": None if shown in (None, "") else str(shown),
                           "penjelasan": h.penjelasan, **_talenta(h)})

    # each employee's content, positions left out, keys in sorted order (as hashed)
    by_nip: dict[str, list] = {}
    for table in (rhk_rows, perilaku_rows, hasil_rows, kegiatan_rows):
        keys = _hashed_keys(table)
        for row in table:
            by_nip.setdefault(row["nip"], []).append({k: row[k] for k in keys})
    keys = _hashed_keys(list(kept.values()))
    for nip, row in kept.items():
        row["sidik"] = _fingerprint([{k: row[k] for k in keys}, *by_nip.get(nip, [])])

    stored = {"pegawai": list(kept.values()), "rhk": rhk_rows, "perilaku": perilaku_rows,
              "kegiatan": kegiatan_rows}
    neraca = balance(skp, stored, findings)
    findings += unbalanced(neraca, c.berkas)
    return Outcome(berkas=c.berkas, sha256=sha, size=size, mtime_ns=c.mtime_ns,
                   pengaturan=fingerprint(current_settings()),
                   kiriman=head, pegawai=stored["pegawai"], hasil=hasil_rows, rhk=rhk_rows,
                   perilaku=perilaku_rows, kegiatan=kegiatan_rows,
                   temuan=[temuan_row(f) for f in findings],
                   baris_ditolak=sum(r for _, _, r in neraca.values()), neraca=neraca)


def balance(book, stored: dict[str, list[dict]], findings: list[Finding]
            ) -> dict[str, tuple[int, int, int]]:
    """Per input table: (non-empty rows the reader saw, rows stored, rows rejected), for a
    read SKP (SkpData) or PK (PkData).

    The three are counted apart: the input by the reader, the stored rows from what goes
    to the master, the rejected rows from the findings (a row named by a rejecting finding
    and not stored). They add up unless a row was lost in silence.
    """
    out = {}
    for name, table in _balanced_tables(book.stamp).items():
        kept = {(sheet_key(r["sheet"]), r["baris"]) for r in stored[name]}
        named = {(sheet_key(f.sheet), f.row) for f in findings
                 if f.code in REJECTING and f.sheet and f.row and f.row > table.header_row
                 and sheet_base(f.sheet) == sheet_key(table.sheet)}
        out[name] = (book.input_rows.get(table.key, 0), len(stored[name]), len(named - kept))
    return out


def _balanced_tables(stamp) -> dict:
    """Master table -> the layout table whose rows it stores, for the workbook's template."""
    from workbook_templates.pk_layout import PK
    from workbook_templates.reader import skp_layout_of

    if stamp is not None and stamp.template_id == PK_TEMPLATE:
        return {name: PK.table(name.removeprefix("pk_")) for name in PK_NERACA_TABLES}
    layout = skp_layout_of(stamp)
    return {name: layout.table(name) for name in NERACA_TABLES if layout.has_table(name)}


def _sheet_of(name: str) -> str:
    """The sheet a balanced master table's rows come from (SKP or PK), as the clerk names it."""
    from workbook_templates.pk_layout import PK
    from workbook_templates.skp_layout import SKP

    if name in PK_NERACA_TABLES:
        return PK.table(name.removeprefix("pk_")).sheet
    return SKP.table(name).sheet


def unbalanced(neraca: dict[str, tuple[int, int, int]], berkas: str) -> list[Finding]:
    """BARIS_TIDAK_TERHITUNG for each table whose rows do not add up: a loss is never silent."""
    out = []
    for name, (masuk, disimpan, ditolak) in neraca.items():
        sheet = _sheet_of(name)
        if masuk != disimpan + ditolak:
            out.append(finding("BARIS_TIDAK_TERHITUNG", file=berkas, sheet=sheet,
                               detail=(f"Sheet {sheet}: {masuk} baris terisi, "
                                       f"{disimpan} disimpan, {ditolak} ditolak dengan "
                                       f"temuan; selisih {masuk - disimpan - ditolak} baris")))
    return out


def neraca_text(neraca: dict[str, tuple[int, int, int]]) -> str:
    """A file's balance as the clerk reads it, e.g. "3 dari 19 baris (Pegawai 1, RHK 2)";
    rows that do not add up are said too."""
    masuk = sum(m for m, _, _ in neraca.values())
    ditolak = sum(r for _, _, r in neraca.values())
    parts = ", ".join(f"{_sheet_of(t)} {r}" for t, (_, _, r) in neraca.items() if r)
    text = f"{ditolak} dari {masuk} baris" + (f" ({parts})" if parts else "")
    lost = sum(m - d - r for m, d, r in neraca.values())
    if lost:
        text += f"; {lost} baris tidak terhitung (temuan BARIS_TIDAK_TERHITUNG)"
    return text


def needs_telling(neraca: dict[str, tuple[int, int, int]]) -> bool:
    """Whether a file's balance is worth a line: rows rejected, or rows that do not add up."""
    return any(r or m != d + r for m, d, r in neraca.values())


def _talenta(h) -> dict:
    """The follow-up columns of a result (schema 3): talent box, recommendations, angka kredit."""
    return {**{c: getattr(h, c) for c in HASIL_SINCE_3}, "potensial": _text(h.potensial)}


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text and text.strip() else None


def _fingerprint(rows: list[dict]) -> str:
    """A hash of an employee's content (rows of _hashed_keys): tells an update from a
    re-send. The text is json.dumps(rows, sort_keys=True): the keys come sorted."""
    return hashlib.sha1(_ENCODER.encode(rows).encode()).hexdigest()


def _hashed_keys(table: list[dict]) -> list[str]:
    """The keys a table's rows are hashed by, sorted (its rows share one set of keys)."""
    return sorted(k for k in table[0] if k not in _UNHASHED) if table else []


_UNHASHED = frozenset(("sheet", "baris", "status", "sidik"))


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


# json.dumps(..., default=_jsonable) without making an encoder per employee; not sorting
# keys that come sorted saves the sort of every row (the same text)
_ENCODER = json.JSONEncoder(default=_jsonable)
