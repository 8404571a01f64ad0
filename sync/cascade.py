"""The cascade check at the centre: each "RHK atasan yang diintervensi" is one the atasan has.

PermenPANRB 6/2022 cascades the unit's Perjanjian Kinerja into the head's SKP
and the head's RHK into the staff's (Matriks Peran dan Hasil, rules.md §1.2):
the staff's column "RHK Atasan yang Diintervensi" names an RHK of their
atasan, the head's names a sasaran or indikator of the unit's PK. Only the
centre sees every file, so only the centre can check it.

After every sync's write (same transaction), every active employee's RHK with
an RHK atasan is judged against the whole master:

* its atasan (``pegawai.nip_atasan``) has an active SKP of the same year whose
  period overlaps (a Tahunan SKP overlaps every period): the text must be one
  of that atasan's RHK;
* the unit head (the employee whose rating follows the predikat organisasi,
  i.e. the NIP Pimpinan Unit, or one without a NIP atasan), and anyone whose
  atasan is not in the master: the text may also be a sasaran or indikator
  of the unit's active PK;
* not found where it was looked for: an RHK_ATASAN_TIDAK_DITEMUKAN warning on
  the cell; nowhere to look yet (the atasan has not sent, nor, for a head,
  the PK): a milder ATASAN_BELUM_ADA note (severity info), since the
  atasan's unit may simply not have sent yet.

Texts match exactly after :func:`match_key` (invisible characters, case,
spacing and trailing punctuation ignored). Anything looser (word overlap,
edit distance) would pass an RHK that names the wrong target, which is what
the check is for. The findings are made again from scratch each sync (the
previous ones deleted first), so a late atasan file clears them and none is
left behind twice. One query per table, then set lookups: the cost grows with
the master, not with the number of files sent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kinerja.findings import Finding, finding
from kinerja.rules.periode import bulan_nama_periode
from kinerja.text import clean
from sync.schema import hasil, kiriman, meta, pegawai, pk_indikator, rhk, temuan, temuan_row
from sync.store import submission_name, unit_key
from workbook_templates.skp_layout import SKP

MISSING = "RHK_ATASAN_TIDAK_DITEMUKAN"
WAITING = "ATASAN_BELUM_ADA"
CODES = (MISSING, WAITING)
MARK = "cascade_diperiksa"  # kinerja_meta key: this master's cascade findings were made
RHK_TABLE = SKP.table("rhk")
COLUMN = RHK_TABLE.column("rhk_atasan").header
FILES_NAMED = 3  # an atasan with more files than this: the first ones, then "dan N lainnya"

_TRAILING = re.compile(r"[\s.,;:!?]+$")


def match_key(text: str | None) -> str:
    """An RHK text as compared: no invisible characters, one case, single spaces, no
    trailing punctuation ("Meningkatnya  mutu layanan." == "meningkatnya mutu layanan")."""
    return _TRAILING.sub("", " ".join(clean(text or "").casefold().split()))


class _Keys(dict):
    """text -> :func:`match_key` of it, computed on first use."""

    def __missing__(self, text: str | None) -> str:
        self[text] = value = match_key(text)
        return value


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass
class Employee:
    kiriman_id: int
    nip: str
    tahun: int
    periode: str
    unit: str | None
    nip_atasan: str | None
    berkas: str
    pimpinan: bool  # the NIP Pimpinan Unit (rating follows the predikat organisasi)


@dataclass
class Item:
    """One RHK atasan text of one employee-period: judged once, reported on its first row."""

    employee: Employee
    text: str
    key: str
    rhk: set[str]  # the employee's RHK (match keys) that name it
    sheet: str | None
    baris: int | None


@dataclass
class Verdict:
    item: Item
    cocok: bool
    finding: Finding | None  # None when it matched


class Master:
    """What the check reads from the master, loaded with one query per table."""

    def __init__(self, conn: Connection):
        self.employees: dict[tuple[int, str], Employee] = {}
        self.by_nip: dict[tuple[str, int], list[Employee]] = defaultdict(list)
        self.rhk: dict[tuple[int, str], set[str]] = defaultdict(set)  # employee -> RHK keys
        self.items: list[Item] = []
        self.pk: dict[tuple[str, int], tuple[set[str], list[str]]] = {}  # unit-year -> texts
        self._employees(conn)
        self._rhk(conn)
        self._pk(conn)

    def _employees(self, conn: Connection) -> None:
        """The counting employee-periods; the unit head is the one whose rating hasil
        follows the predikat organisasi (the NIP Pimpinan Unit of the file)."""
        heads = set(conn.execute(sa.select(hasil.c.kiriman_id, hasil.c.nip).where(
            hasil.c.rating_hasil_sumber == "organisasi")).all())
        for r in conn.execute(sa.select(
                pegawai.c.kiriman_id, pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode,
                pegawai.c.unit_kerja, pegawai.c.nip_atasan, kiriman.c.berkas, kiriman.c.melalui
        ).join(kiriman, kiriman.c.id == pegawai.c.kiriman_id).where(pegawai.c.status == "aktif")):
            e = Employee(r.kiriman_id, r.nip, r.tahun, r.periode, r.unit_kerja,
                         (r.nip_atasan or "").strip() or None,
                         submission_name(r.berkas, r.melalui), (r.kiriman_id, r.nip) in heads)
            self.employees[(r.kiriman_id, r.nip)] = e
            self.by_nip[(r.nip, r.tahun)].append(e)

    def _rhk(self, conn: Connection) -> None:
        """Each counting employee's RHK, and each RHK atasan text once per employee (on the
        first row naming it: one RHK spans several IKI rows that repeat it)."""
        found: dict[tuple[int, str, str], Item] = {}
        key = _Keys()  # the texts repeat on every IKI row: each is normalised once
        last = None
        for row in conn.execute(sa.select(
                rhk.c.kiriman_id, rhk.c.nip, rhk.c.rhk_atasan, rhk.c.rhk, rhk.c.sheet,
                rhk.c.baris).order_by(rhk.c.id)).all():
            kid, nip, atasan, mine, sheet, baris = row
            if row[:4] == last:
                continue  # the next IKI row of the same RHK: nothing new
            last = row[:4]
            e = self.employees.get((kid, nip))
            if e is None:
                continue  # not counting (replaced, in conflict, or rejected)
            mine = key[mine]
            if mine:
                self.rhk[(kid, nip)].add(mine)
            wanted = key[atasan]
            if not wanted:
                continue
            item = found.get((kid, nip, wanted))
            if item is None:
                item = found[(kid, nip, wanted)] = Item(e, " ".join(clean(atasan).split()),
                                                        wanted, set(), sheet, baris)
                self.items.append(item)
            item.rhk.add(mine)

    def _pk(self, conn: Connection) -> None:
        """The active PK's sasaran and indikator per unit-year, with the files they came in."""
        for r in conn.execute(sa.select(
                pk_indikator.c.unit_kerja, pk_indikator.c.tahun, pk_indikator.c.sasaran,
                pk_indikator.c.indikator, kiriman.c.berkas, kiriman.c.melalui).join(
                kiriman, kiriman.c.id == pk_indikator.c.kiriman_id).where(
                pk_indikator.c.status == "aktif")):
            keys, files = self.pk.setdefault((unit_key(r.unit_kerja), r.tahun), (set(), []))
            keys |= {match_key(r.sasaran), match_key(r.indikator)} - {""}
            name = submission_name(r.berkas, r.melalui)
            if name not in files:
                files.append(name)

    def atasan_of(self, e: Employee) -> list[Employee]:
        """The atasan's active employee-periods of the same year overlapping e's period."""
        if not e.nip_atasan:
            return []
        span = bulan_nama_periode(e.periode)
        return [a for a in self.by_nip.get((e.nip_atasan, e.tahun), [])
                if _overlap(bulan_nama_periode(a.periode), span)]


def judge(master: Master) -> list[Verdict]:
    """Every RHK atasan text of the master, matched or with its finding."""
    return [_judge(master, item) for item in master.items]


def _judge(m: Master, item: Item) -> Verdict:
    e = item.employee
    atasan = m.atasan_of(e)
    if any(item.key in m.rhk[(a.kiriman_id, a.nip)] for a in atasan):
        return Verdict(item, True, None)
    pk = m.pk.get((unit_key(e.unit), e.tahun))
    # the PK is what a unit head intervenes in: the one marked, one without an atasan, or
    # one whose atasan is not in the master (a kepala's atasan rarely sends an SKP here)
    if (e.pimpinan or not atasan) and pk is not None and item.key in pk[0]:
        return Verdict(item, True, None)
    head = e.pimpinan or not e.nip_atasan
    looked = []
    if atasan:
        looked.append(f"RHK atasan NIP {e.nip_atasan} ({_files([a.berkas for a in atasan])})")
    if head and pk is not None:
        looked.append(f"sasaran/indikator PK {e.unit} tahun {e.tahun} ({_files(pk[1])})")
    where = {"file": e.berkas, "sheet": item.sheet or RHK_TABLE.sheet, "row": item.baris,
             "cell": RHK_TABLE.cell("rhk_atasan", item.baris) if item.baris else None}
    if looked:
        return Verdict(item, False, finding(MISSING, value=item.text, field=COLUMN,
                                            detail=" maupun ".join(looked), **where))
    return Verdict(item, False, finding(WAITING, value=item.text, field=COLUMN,
                                        detail=_waiting(e, head), **where))


def _waiting(e: Employee, head: bool) -> str:
    """Why nothing could be looked in yet: the atasan (and for a head, the PK) not sent."""
    parts = [f"atasan NIP {e.nip_atasan} belum ada di master untuk tahun {e.tahun} periode "
             f"{e.periode} (unitnya mungkin belum mengirim)" if e.nip_atasan
             else "NIP atasan kosong"]
    if head:
        parts.append(f"PK {e.unit or 'unit ini'} tahun {e.tahun} belum ada di master")
    return ", dan ".join(parts)


def _files(names: list[str]) -> str:
    names = sorted(set(names))
    shown = ", ".join(names[:FILES_NAMED])
    more = f" dan {len(names) - FILES_NAMED} lainnya" if len(names) > FILES_NAMED else ""
    return f"berkas {shown}{more}"


def refresh(conn: Connection, changed: bool) -> int:
    """After a sync's write: the cascade findings made again when the sync changed the
    master (or this master never had them made), else left as they are (the same inputs
    give the same findings, and a sync that changed nothing stays quick); returns how many
    the master holds."""
    done = conn.execute(sa.select(meta.c.nilai).where(meta.c.kunci == MARK)).scalar()
    if done and not changed:
        return conn.execute(sa.select(sa.func.count()).select_from(temuan).where(
            temuan.c.kode.in_(CODES))).scalar_one()
    if not done:
        conn.execute(meta.insert().values(kunci=MARK, nilai="1"))
    return flag_cascade(conn)


def flag_cascade(conn: Connection) -> int:
    """Replace the master's cascade findings with the ones it gives now; returns how many."""
    conn.execute(temuan.delete().where(temuan.c.kode.in_(CODES)))
    rows = [temuan_row(f, kiriman_id=v.item.employee.kiriman_id,
                       berkas=v.item.employee.berkas)
            for v in judge(Master(conn)) if (f := v.finding) is not None]
    if rows:
        conn.execute(temuan.insert(), rows)
    return len(rows)


@dataclass
class Count:
    """RHK of one unit-period: cascaded (their RHK atasan matched), with an RHK atasan, all."""

    cocok: int = 0
    berisi: int = 0
    semua: int = 0


def counts(conn: Connection) -> dict[tuple[str | None, int, str], Count]:
    """Per (unit, tahun, periode) as the employees' rows spell them: RHK counted once per
    employee and RHK text; one is cascaded when every RHK atasan it names matched."""
    m = Master(conn)
    out: dict[tuple[str | None, int, str], Count] = defaultdict(Count)
    missed: dict[tuple[int, str], set[str]] = defaultdict(set)
    named: dict[tuple[int, str], set[str]] = defaultdict(set)
    for v in judge(m):
        e = v.item.employee
        named[(e.kiriman_id, e.nip)] |= v.item.rhk
        if not v.cocok:
            missed[(e.kiriman_id, e.nip)] |= v.item.rhk
    for who, rhks in m.rhk.items():
        e = m.employees[who]
        c = out[(e.unit, e.tahun, e.periode)]
        c.semua += len(rhks)
        c.berisi += len(named[who] & rhks)
        c.cocok += len((named[who] - missed[who]) & rhks)
    return dict(out)
