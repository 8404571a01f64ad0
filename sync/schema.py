"""The master database: one SQLAlchemy Core schema for SQLite and PostgreSQL.

Every stored row points at its ``kiriman`` (submission): the office file it
came from (path, sha256, received time, template stamp) and, when it came
through another master, that master's path (``melalui``). Rows carry their own
sheet and row number. A row's ``status`` says whether it counts: ``aktif``,
``digantikan`` (a later submission of the same unit replaced it) or
``konflik`` (another unit sent the same employee-period; kept aside).
"""

from __future__ import annotations

import sqlalchemy as sa

from kinerja.findings import Finding

SCHEMA_VERSION = 5  # 2: perubahan (history), kegiatan; 3: talenta, rekomendasi, angka kredit;
# 4: the row balance of each submission (kiriman.<table>_masuk/_disimpan/_ditolak);
# 5: Perjanjian Kinerja stored (pk, pk_indikator, pk_anggaran, and their balance columns)

# the input tables whose rows each submission balances: non-empty rows in the file
# (masuk) = rows stored (disimpan) + rows rejected with a finding (ditolak)
NERACA_TABLES = ("pegawai", "rhk", "perilaku", "kegiatan")
# the same for a PK workbook (since schema 5): its Indikator and Anggaran rows
PK_NERACA_TABLES = ("pk_indikator", "pk_anggaran")
NERACA_PARTS = ("masuk", "disimpan", "ditolak")
_BALANCED = NERACA_TABLES + PK_NERACA_TABLES


def neraca_columns() -> list[sa.Column]:
    """Since schema 4: per input table, its row balance (empty for a file not read as rows:
    quarantined, duplicate, or stored before schema 4 and not read since)."""
    return [sa.Column(f"{t}_{part}", sa.Integer) for t in _BALANCED for part in NERACA_PARTS]


def neraca_values(neraca: dict[str, tuple[int, int, int]]) -> dict[str, int | None]:
    """The kiriman columns of a balance {table: (masuk, disimpan, ditolak)}; None where the
    file was not read as rows."""
    return {f"{t}_{part}": (neraca[t][i] if t in neraca else None)
            for t in _BALANCED for i, part in enumerate(NERACA_PARTS)}


def neraca_of(row) -> dict[str, tuple[int, int, int]]:
    """The balance of a stored kiriman row (a mapping); tables not recorded are left out."""
    return {t: tuple(row.get(f"{t}_{part}") for part in NERACA_PARTS) for t in _BALANCED
            if row.get(f"{t}_masuk") is not None}


metadata = sa.MetaData()

kiriman = sa.Table(
    "kiriman", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("berkas", sa.Text, nullable=False),  # "dir/opd.xlsx" or "arsip.zip!opd.xlsx"
    sa.Column("melalui", sa.Text, nullable=False, default=""),  # district master, "" if direct
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("ukuran", sa.BigInteger),
    sa.Column("mtime_ns", sa.BigInteger),
    sa.Column("diterima_pada", sa.DateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # diterima | karantina | duplikat
    sa.Column("alasan", sa.Text),  # why quarantined, Indonesian
    sa.Column("alasan_kode", sa.String(40)),
    sa.Column("template_id", sa.String(40)),
    sa.Column("layout_version", sa.Integer),
    sa.Column("rule_pack", sa.String(40)),
    sa.Column("instansi", sa.Text),
    sa.Column("unit_kerja", sa.Text),
    sa.Column("tahun", sa.Integer),
    sa.Column("periode", sa.Text),
    sa.Column("predikat_organisasi", sa.Text),
    sa.Column("baris_ditolak", sa.Integer, nullable=False, default=0),
    sa.Column("skema", sa.Integer),  # the schema it was read under; older ones are read again
    sa.Column("pengaturan", sa.String(16)),  # settings fingerprint its results were computed with
    *neraca_columns(),
    sa.UniqueConstraint("melalui", "berkas", name="uq_kiriman_berkas"),
)
sa.Index("ix_kiriman_sha", kiriman.c.sha256)


def _fk() -> sa.Column:
    return sa.Column("kiriman_id", sa.Integer,
                     sa.ForeignKey("kiriman.id", ondelete="CASCADE"), nullable=False, index=True)


def _key() -> list[sa.Column]:
    return [sa.Column("nip", sa.String(32), nullable=False),
            sa.Column("tahun", sa.Integer, nullable=False),
            sa.Column("periode", sa.Text, nullable=False)]


def _where() -> list[sa.Column]:
    return [sa.Column("sheet", sa.Text), sa.Column("baris", sa.Integer)]


pegawai = sa.Table(
    "pegawai", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_key(),
    sa.Column("unit_kerja", sa.Text),
    sa.Column("status", sa.String(16), nullable=False, default="aktif"),
    sa.Column("nama", sa.Text), sa.Column("pangkat_golongan", sa.Text),
    sa.Column("jabatan", sa.Text), sa.Column("jenis_jabatan", sa.Text),
    sa.Column("jenjang_jf", sa.Text), sa.Column("nip_atasan", sa.String(32)),
    sa.Column("jenis_pegawai", sa.String(8)),
    sa.Column("sidik", sa.String(40)),  # fingerprint of the employee's content
    *_where(),
)
sa.Index("ix_pegawai_key", pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode)

hasil = sa.Table(
    "hasil", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_key(),
    sa.Column("unit_kerja", sa.Text),
    sa.Column("nama", sa.Text),
    sa.Column("jumlah_iki", sa.Integer),
    sa.Column("rata_capaian", sa.Numeric(12, 4)),
    sa.Column("rating_hasil", sa.Text), sa.Column("rating_hasil_sumber", sa.String(16)),
    sa.Column("rating_perilaku", sa.Text),
    sa.Column("predikat", sa.Text),
    sa.Column("predikat_di_berkas", sa.Text),  # what the workbook showed (never trusted)
    sa.Column("penjelasan", sa.Text),
    # since schema 3 (added to older masters by ensure_schema)
    sa.Column("potensial", sa.Text),  # Rendah | Menengah | Tinggi
    sa.Column("potensial_skor", sa.Numeric(12, 4)),  # the typed JPM %, when a score was typed
    sa.Column("kotak_talenta", sa.Integer),  # 1-9, PermenPANRB 3/2020 numbering
    sa.Column("rekomendasi_talenta", sa.Text),
    sa.Column("rekomendasi", sa.Text),  # development recommendation
    sa.Column("angka_kredit", sa.Numeric(12, 4)),  # jabatan fungsional only
)
# the hasil columns schema 3 added: empty in submissions read before it
HASIL_SINCE_3 = ("potensial", "potensial_skor", "kotak_talenta", "rekomendasi_talenta",
                 "rekomendasi", "angka_kredit")
sa.Index("ix_hasil_key", hasil.c.nip, hasil.c.tahun, hasil.c.periode)

rhk = sa.Table(
    "rhk", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_key(),
    sa.Column("jenis", sa.String(16)), sa.Column("rhk_atasan", sa.Text),
    sa.Column("rhk", sa.Text), sa.Column("aspek", sa.Text), sa.Column("iki", sa.Text),
    sa.Column("satuan", sa.Text), sa.Column("polaritas", sa.String(16)),
    sa.Column("target", sa.Text),  # "50" or "80-90"
    sa.Column("realisasi", sa.Numeric(20, 6)),
    sa.Column("rating_hasil", sa.Text),
    sa.Column("capaian", sa.Numeric(12, 4)),
    sa.Column("penjelasan", sa.Text),
    *_where(),
)

perilaku = sa.Table(
    "perilaku", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_key(),
    sa.Column("nilai", sa.Text), sa.Column("ekspektasi_khusus", sa.Text),
    sa.Column("rating_atasan", sa.Text), sa.Column("rating_rekan", sa.Text),
    sa.Column("rating_perilaku", sa.Text),
    *_where(),
)

temuan = sa.Table(
    "temuan", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(),
    sa.Column("kode", sa.String(40), nullable=False),
    sa.Column("tingkat", sa.String(8), nullable=False),
    sa.Column("berkas", sa.Text), sa.Column("sheet", sa.Text), sa.Column("sel", sa.String(16)),
    sa.Column("baris", sa.Integer), sa.Column("kolom", sa.Text), sa.Column("nilai", sa.Text),
    sa.Column("pesan", sa.Text, nullable=False),
)

def temuan_row(f: Finding, **given) -> dict:
    """A finding as a row of ``temuan``; ``given`` sets the columns the finding does not
    hold (kiriman_id) or that the master names otherwise (berkas: the stored path)."""
    return {"kode": f.code, "tingkat": f.severity.value, "berkas": f.file, "sheet": f.sheet,
            "sel": f.cell, "baris": f.row, "kolom": f.field, "nilai": f.value,
            "pesan": f.message, **given}


konflik = sa.Table(
    "konflik", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_key(),
    sa.Column("unit_kerja", sa.Text),
    sa.Column("berkas", sa.Text),
)
sa.Index("ix_konflik_key", konflik.c.nip, konflik.c.tahun, konflik.c.periode)

kegiatan = sa.Table(  # the daily activity log (SKP layout v2), as sent
    "kegiatan", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_key(),
    sa.Column("tanggal", sa.Date),
    sa.Column("iki", sa.Text), sa.Column("kegiatan", sa.Text), sa.Column("output", sa.Text),
    sa.Column("jumlah", sa.Numeric(20, 6)),
    sa.Column("bukti", sa.Text),
    *_where(),
)
sa.Index("ix_kegiatan_key", kegiatan.c.nip, kegiatan.c.tahun, kegiatan.c.periode)

# What changed when a submission replaced an earlier one for an employee-period. Not tied
# to a kiriman (no foreign key): the history outlives the submissions it compares.
perubahan = sa.Table(
    "perubahan", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    *_key(),
    sa.Column("nama", sa.Text),
    sa.Column("unit_kerja", sa.Text),  # the unit after the change
    sa.Column("isian", sa.Text, nullable=False),  # what changed, as the clerk reads it
    sa.Column("nilai_lama", sa.Text), sa.Column("nilai_baru", sa.Text),
    sa.Column("berkas_lama", sa.Text), sa.Column("berkas_baru", sa.Text),
    sa.Column("diterima_lama", sa.DateTime), sa.Column("diterima_pada", sa.DateTime),
)
sa.Index("ix_perubahan_nip", perubahan.c.nip)

# The Perjanjian Kinerja of a unit (one per accepted PK workbook), its indikator and its
# budget lines, each pointing at its kiriman. ``status`` as for the SKP rows: aktif, or
# digantikan when a later PK of the same unit-year replaced it. Capaian are recomputed at
# the centre (kinerja.scoring.score_pk), never taken from the workbook.
def _pk_key() -> list[sa.Column]:
    return [sa.Column("unit_kerja", sa.Text, nullable=False),
            sa.Column("tahun", sa.Integer, nullable=False),
            sa.Column("status", sa.String(16), nullable=False, default="aktif")]


def _tw(name: str, kind: sa.types.TypeEngine | None = None) -> list[sa.Column]:
    return [sa.Column(f"{name}_tw{q}", kind or sa.Numeric(20, 6)) for q in range(1, 5)]


pk = sa.Table(
    "pk", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_pk_key(),
    sa.Column("instansi", sa.Text), sa.Column("tempat", sa.Text), sa.Column("tanggal", sa.Date),
    *(sa.Column(f"pihak_{p}_{f}", sa.String(32) if f == "nip" else sa.Text)
      for p in ("pertama", "kedua") for f in ("nama", "nip", "jabatan", "pangkat")),
    *_tw("capaian", sa.Numeric(12, 4)),  # capaian organisasi per triwulan
    sa.Column("capaian_tahunan", sa.Numeric(12, 4)),  # capaian organisasi (mean of sasaran)
    sa.Column("sementara", sa.Boolean),  # tahunan computed without TW IV: provisional
    sa.Column("predikat_saran", sa.Text),  # suggested predikat organisasi (settings bands)
    sa.Column("pagu", sa.Numeric(20, 2)),
    sa.Column("realisasi_anggaran", sa.Numeric(20, 2)),
    sa.Column("serapan_anggaran", sa.Numeric(12, 4)),  # %
)
sa.Index("ix_pk_key", pk.c.unit_kerja, pk.c.tahun)

pk_indikator = sa.Table(
    "pk_indikator", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_pk_key(),
    sa.Column("sasaran", sa.Text), sa.Column("indikator", sa.Text),
    sa.Column("satuan", sa.Text), sa.Column("polaritas", sa.String(16)),
    sa.Column("agregasi", sa.String(16)),
    sa.Column("target_tahunan", sa.Text),  # "50" or "80-90"
    *_tw("target"), *_tw("realisasi"), *_tw("capaian", sa.Numeric(12, 4)),
    sa.Column("capaian_tahunan", sa.Numeric(12, 4)),
    sa.Column("penjelasan", sa.Text),
    *_where(),
)

pk_anggaran = sa.Table(
    "pk_anggaran", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk(), *_pk_key(),
    sa.Column("program", sa.Text),
    sa.Column("pagu", sa.Numeric(20, 2)),
    *_tw("realisasi", sa.Numeric(20, 2)),
    *_where(),
)

unit_diharapkan = sa.Table(
    "unit_diharapkan", metadata,
    sa.Column("unit_kerja", sa.Text, primary_key=True),
)

meta = sa.Table(
    "kinerja_meta", metadata,
    sa.Column("kunci", sa.String(40), primary_key=True),
    sa.Column("nilai", sa.Text),
)

ROW_TABLES = (pegawai, hasil, rhk, perilaku, kegiatan, temuan, konflik, pk, pk_indikator,
              pk_anggaran)
PK_TABLES = (pk, pk_indikator, pk_anggaran)
# a PK submission's kiriman.periode: the agreement is made for the year
PK_PERIODE = "Tahunan"
