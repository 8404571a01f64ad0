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
the master, not with the number of files sent. The database drops the IKI rows
that repeat an RHK (DISTINCT); the cells of the texts not found are looked up
afterwards, in the files that hold them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kinerja.findings import Finding, finding
from kinerja.gcpause import cyclic_gc_paused
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


def _tuples(conn: Connection, stmt: sa.Select) -> list[tuple]:
    """The rows of ``stmt`` as the driver's tuples: SQLAlchemy compiles and runs it, its
    Row objects are skipped (a third of the fetch time; the columns read here are integers
    and texts, which need no result processing on SQLite nor on psycopg)."""
    result = conn.execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


@dataclass(slots=True)
class Employee:
    kiriman_id: int
    nip: str
    tahun: int
    periode: str
    unit: str | None
    nip_atasan: str | None
    berkas: str
    pimpinan: bool  # the NIP Pimpinan Unit (rating follows the predikat organisasi)


@dataclass(slots=True)
class Item:
    """One RHK atasan text of one employee-period: judged once, reported on its first row."""

    employee: Employee
    key: str
    rhk: set[str | None]  # the employee's RHK that name it, as typed (match_key them)


@dataclass(slots=True)
class FirstRow:
    """The first rhk row (by id) naming an item's text: where its finding points."""

    id: int
    atasan: str  # the text as typed there
    sheet: str | None
    baris: int | None


class Master:
    """What the check reads from the master, loaded with one query per table.

    The RHK texts are kept as typed and each employee's are normalised when first
    asked for (:meth:`rhk_of`): the check itself asks only for the atasan's."""

    def __init__(self, conn: Connection):
        self.employees: dict[tuple[int, str], Employee] = {}
        self.by_nip: dict[tuple[str, int], list[Employee]] = defaultdict(list)
        self.texts: dict[tuple[int, str], set[str | None]] = defaultdict(set)  # RHK as typed
        self.items: list[Item] = []
        self.pk: dict[tuple[str, int], tuple[set[str], list[str]]] = {}  # unit-year -> texts
        self.key = _Keys()  # each distinct text normalised once
        self._rhk_keys: dict[tuple[int, str], set[str]] = {}
        self._around: dict[tuple[int, str], tuple] = {}
        self._employees(conn)
        self._rhk(conn)
        self._pk(conn)

    def _employees(self, conn: Connection) -> None:
        """The counting employee-periods; the unit head is the one whose rating hasil
        follows the predikat organisasi (the NIP Pimpinan Unit of the file)."""
        heads = set(_tuples(conn, sa.select(hasil.c.kiriman_id, hasil.c.nip).where(
            hasil.c.rating_hasil_sumber == "organisasi")))
        names = {kid: submission_name(berkas, melalui)
                 for kid, berkas, melalui in _tuples(conn, sa.select(
                     kiriman.c.id, kiriman.c.berkas, kiriman.c.melalui))}
        for kid, nip, tahun, periode, unit, nip_atasan in _tuples(conn, sa.select(
                pegawai.c.kiriman_id, pegawai.c.nip, pegawai.c.tahun, pegawai.c.periode,
                pegawai.c.unit_kerja, pegawai.c.nip_atasan).where(
                pegawai.c.status == "aktif")):
            if kid not in names:
                continue  # no submission (the foreign key forbids it; the join did too)
            e = Employee(kid, nip, tahun, periode, unit, (nip_atasan or "").strip() or None,
                         names[kid], (kid, nip) in heads)
            self.employees[(kid, nip)] = e
            self.by_nip[(nip, tahun)].append(e)

    def _rhk(self, conn: Connection) -> None:
        """Each counting employee's RHK, and each RHK atasan text once per employee. One
        RHK spans several IKI rows that repeat both texts: the database sends each
        (employee, RHK atasan, RHK) once, so Python never sees the repeats (a third to a
        fifth of the rows); where a text is first named is asked only for those not found
        (:func:`first_rows`)."""
        found: dict[tuple[int, str, str], Item] = {}
        key = self.key
        for kid, nip, atasan, mine in _tuples(conn, sa.select(
                rhk.c.kiriman_id, rhk.c.nip, rhk.c.rhk_atasan, rhk.c.rhk).distinct()):
            who = (kid, nip)
            e = self.employees.get(who)
            if e is None:
                continue  # not counting (replaced, in conflict, or rejected)
            self.texts[who].add(mine)
            wanted = key[atasan]
            if not wanted:
                continue
            item = found.get((kid, nip, wanted))
            if item is None:
                item = found[(kid, nip, wanted)] = Item(e, wanted, set())
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

    def rhk_of(self, who: tuple[int, str]) -> set[str]:
        """An employee's RHK (match keys; none empty)."""
        keys = self._rhk_keys.get(who)
        if keys is None:
            keys = self._rhk_keys[who] = self.keys_of(self.texts.get(who, ())) - {""}
        return keys

    def keys_of(self, texts) -> set[str]:
        key = self.key
        return {key[t] for t in texts}

    def atasan_of(self, e: Employee) -> list[Employee]:
        """The atasan's active employee-periods of the same year overlapping e's period."""
        if not e.nip_atasan:
            return []
        span = bulan_nama_periode(e.periode)
        return [a for a in self.by_nip.get((e.nip_atasan, e.tahun), [])
                if _overlap(bulan_nama_periode(a.periode), span)]

    def around(self, e: Employee) -> tuple[list[Employee], set[str], tuple | None]:
        """Where e's RHK atasan texts are looked for: e's atasan, every RHK of theirs,
        the unit's PK; worked out once per employee (their texts share it)."""
        who = (e.kiriman_id, e.nip)
        found = self._around.get(who)
        if found is None:
            atasan = self.atasan_of(e)
            pool = (self.rhk_of((atasan[0].kiriman_id, atasan[0].nip)) if len(atasan) == 1
                    else set().union(*(self.rhk_of((a.kiriman_id, a.nip)) for a in atasan)))
            found = self._around[who] = (atasan, pool, self.pk.get((unit_key(e.unit), e.tahun)))
        return found


def matched(m: Master, item: Item) -> bool:
    """Whether the text is one of the atasan's RHK, or for a unit head (or one whose atasan
    is not in the master) a sasaran or indikator of the unit's PK."""
    e = item.employee
    atasan, pool, pk = m.around(e)
    if item.key in pool:
        return True
    # the PK is what a unit head intervenes in: the one marked, one without an atasan, or
    # one whose atasan is not in the master (a kepala's atasan rarely sends an SKP here)
    return (e.pimpinan or not atasan) and pk is not None and item.key in pk[0]


# the first rows of texts not found are read from the rows of their files and NIPs; past
# this many of both together, from every row (SQLite takes at most 32,766 parameters)
ASKED = 10_000


def first_rows(conn: Connection, m: Master, items: list[Item]
               ) -> dict[tuple[int, str, str], FirstRow]:
    """(kiriman_id, nip, key) -> the first row naming it, for ``items``: the rows of their
    files and NIPs, in id order (two lists, not one of pairs: PostgreSQL compares a list
    of pairs with every row, 30 times slower)."""
    wanted = {(i.employee.kiriman_id, i.employee.nip, i.key) for i in items}
    if not wanted:
        return {}
    kids = sorted({kid for kid, _, _ in wanted})
    nips = sorted({nip for _, nip, _ in wanted})
    stmt = sa.select(rhk.c.id, rhk.c.kiriman_id, rhk.c.nip, rhk.c.rhk_atasan, rhk.c.sheet,
                     rhk.c.baris).order_by(rhk.c.id)
    if len(kids) + len(nips) <= ASKED:
        stmt = stmt.where(rhk.c.kiriman_id.in_(kids), rhk.c.nip.in_(nips))
    out: dict[tuple[int, str, str], FirstRow] = {}
    key = m.key
    for rid, kid, nip, atasan, sheet, baris in _tuples(conn, stmt):
        k = (kid, nip, key[atasan])
        if k in wanted and k not in out:
            out[k] = FirstRow(rid, atasan, sheet, baris)
    return out


def missing(conn: Connection, m: Master) -> list[tuple[Item, Finding]]:
    """Every RHK atasan text of the master not found, with its finding, in the order of
    the rows that first name them."""
    items = [item for item in m.items if not matched(m, item)]
    first = first_rows(conn, m, items)
    at = [first[(i.employee.kiriman_id, i.employee.nip, i.key)] for i in items]
    return [(item, _finding(m, item, row))
            for row, item in sorted(zip(at, items, strict=True), key=lambda p: p[0].id)]


def _finding(m: Master, item: Item, row: FirstRow) -> Finding:
    e = item.employee
    atasan, _, pk = m.around(e)
    head = e.pimpinan or not e.nip_atasan
    looked = []
    if atasan:
        looked.append(f"RHK atasan NIP {e.nip_atasan} ({_files([a.berkas for a in atasan])})")
    if head and pk is not None:
        looked.append(f"sasaran/indikator PK {e.unit} tahun {e.tahun} ({_files(pk[1])})")
    where = {"file": e.berkas, "sheet": row.sheet or RHK_TABLE.sheet, "row": row.baris,
             "cell": RHK_TABLE.cell("rhk_atasan", row.baris) if row.baris else None,
             "value": " ".join(clean(row.atasan).split()), "field": COLUMN}
    if looked:
        return finding(MISSING, detail=" maupun ".join(looked), **where)
    return finding(WAITING, detail=_waiting(e, head), **where)


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
    with cyclic_gc_paused():  # tens of thousands of rows and records, none in a cycle
        rows = [temuan_row(f, kiriman_id=item.employee.kiriman_id, berkas=item.employee.berkas)
                for item, f in missing(conn, Master(conn))]
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
    with cyclic_gc_paused():  # as in flag_cascade
        return _counts(Master(conn))


def _counts(m: Master) -> dict[tuple[str | None, int, str], Count]:
    out: dict[tuple[str | None, int, str], Count] = defaultdict(Count)
    missed: dict[tuple[int, str], set[str | None]] = defaultdict(set)
    named: dict[tuple[int, str], set[str | None]] = defaultdict(set)
    for item in m.items:
        e = item.employee
        named[(e.kiriman_id, e.nip)] |= item.rhk
        if not matched(m, item):
            missed[(e.kiriman_id, e.nip)] |= item.rhk
    for who in m.texts:
        rhks = m.rhk_of(who)
        if not rhks:
            continue  # no RHK text: nothing to count
        e = m.employees[who]
        c = out[(e.unit, e.tahun, e.periode)]
        berisi = m.keys_of(named[who]) & rhks
        c.semua += len(rhks)
        c.berisi += len(berisi)
        c.cocok += len(berisi - m.keys_of(missed[who]))
    return dict(out)
