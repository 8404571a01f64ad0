"""Find the workbooks to consolidate: folders (recursive), files, .zip archives, masters.

Nothing is opened here except zip directories: a candidate is a name, a size
and a time. Lock files (``~$...``), hidden files and anything that is not a
workbook are skipped and counted by reason. A ``.db``/``.sqlite`` file named
on the command line is another master to import; inside folders such files
are skipped (a folder may hold the master being written).

An entry that cannot be reached never stops the batch and is never silent: a
broken link, a link loop, a folder or file that may not be read, a name that is
not valid UTF-8, a file gone between listing and reading, a pipe or device, a
broken archive. Each becomes a :class:`Problem` (its path and an Indonesian
reason); the sync stores it as a quarantined submission with a BERKAS_DILEWATI
temuan (:mod:`sync.skipped`) and reads everything else.

Folder links are followed (shared drives link unit folders); a link back to a
folder being walked is a loop and is named. Archives inside archives (offices
forward a kecamatan's zip inside their own) are opened one level deep, in
memory, bounded like a workbook: an inner zip of at most MAX_FILE_BYTES whose
directory passes the zip-bomb check. Its workbooks are named
``luar.zip!dalam.zip!opd.xlsx``; a zip deeper than that is named, not opened.

An .xlsb is a candidate like any workbook; the guard refuses it by name
(FORMAT_XLSB), so it is quarantined with its reason rather than skipped unseen.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from workbook_templates.guard import MAX_FILE_BYTES, too_big, zip_bomb

WORKBOOK_EXT = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
MASTER_EXT = {".db", ".sqlite", ".sqlite3"}
ZIP_SEP = "!"

# reasons a file is skipped, as the clerk reads them
SKIP_LOCK = "berkas kunci Excel (~$)"
SKIP_HIDDEN = "berkas tersembunyi"
SKIP_OTHER = "bukan workbook"
SKIP_MISSING = "tidak ditemukan"
SKIP_SAME_FOLDER = "folder yang sama lewat tautan lain"
# what an unreadable zip raises: corrupt, truncated, encrypted, unknown compression
ZIP_ERRORS = (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError,
              ValueError, zlib.error)


@dataclass(frozen=True)
class Candidate:
    """One workbook to consider: where it is, and its provenance name ``berkas``."""

    berkas: str  # "/abs/opd.xlsx" or "/abs/arsip.zip!dir/opd.xlsx"
    path: str  # the file on disk (the archive for zip members)
    member: str | None = None  # the member name inside a zip
    inner: str | None = None  # the member inside ``member`` when that is a zip itself
    size: int = 0
    mtime_ns: int = 0
    kind: Literal["file", "zip"] = "file"

    def read_bytes(self, limit: int | None = None) -> bytes:
        """The file's bytes; with ``limit``, never more than limit + 1 of them (a zip
        member that lies about its size cannot fill the memory)."""
        if self.member is None:
            with open(self.path, "rb") as fh:
                return _read(fh, limit)
        with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
            if self.inner is None:
                return _read(fh, limit)
            data = fh.read(MAX_FILE_BYTES + 1)  # the inner archive, bounded as discovered
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(self.inner) as fh:
            return _read(fh, limit)


def _read(fh, limit: int | None) -> bytes:
    return fh.read() if limit is None else fh.read(limit + 1)


@dataclass(frozen=True)
class Problem:
    """An entry that could not be reached: where it is, and why, as the clerk reads it."""

    berkas: str
    alasan: str


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    masters: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    problems: list[Problem] = field(default_factory=list)  # named, never only counted
    _walked: set[tuple[int, int]] = field(default_factory=set, repr=False)

    @property
    def seen(self) -> int:
        return (len(self.candidates) + len(self.masters) + sum(self.skipped.values())
                + len(self.problems))

    def problem(self, where: str | Path, alasan: str) -> None:
        self.problems.append(Problem(shown(where), alasan))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def shown(where: str | Path) -> str:
    """An absolute path as text the master and the terminal can hold (a name that is not
    valid UTF-8 keeps its bytes as \\xNN escapes)."""
    text = where if isinstance(where, str) else str(where.absolute())
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.listdir kept undecodable bytes as surrogates
        return False
    return True


NOT_UTF8 = ("nama berkas/folder bukan teks UTF-8 yang sah (mungkin dari arsip atau komputer "
            "lama); ganti namanya lalu kirim lagi")
NOT_REGULAR = "bukan berkas biasa (pipa, soket atau perangkat); tidak dibaca"
NESTED_TOO_DEEP = ("arsip zip di dalam arsip di dalam arsip; hanya satu tingkat yang dibuka, "
                   "ekstrak dulu lalu kirim lagi")


def os_reason(exc: OSError, path: Path | None = None) -> str:
    """Why the system refused a path, in Indonesian (never the English strerror)."""
    code = getattr(exc, "errno", None)
    if code == errno.ENOENT:
        if path is not None and path.is_symlink():
            return "tautan rusak: tujuannya tidak ada"
        return "tidak ditemukan lagi (dipindah atau dihapus saat sinkronisasi berjalan)"
    reasons = {
        errno.ELOOP: "tautan melingkar (menunjuk ke dirinya sendiri)",
        errno.EACCES: "izin baca ditolak",
        errno.EPERM: "izin baca ditolak",
        errno.ENOTDIR: "jalur tidak valid (sebagian jalurnya bukan folder)",
        errno.ENAMETOOLONG: "nama atau jalur terlalu panjang",
        errno.EIO: "galat baca dari disk atau jaringan",
    }
    if code in reasons:
        return reasons[code]
    return f"tidak dapat dibuka (galat sistem {errno.errorcode.get(code, code)})"


def _skip_reason(name: str) -> str | None:
    if name.startswith("~$"):
        return SKIP_LOCK
    if name.startswith("."):
        return SKIP_HIDDEN
    return None


def discover(sources: Iterable[str | Path]) -> Discovery:
    """Every candidate under the sources, in a stable order (sorted by provenance name);
    entries that cannot be reached are named in ``problems``, never raised."""
    out = Discovery()
    for source in sources:
        p = Path(source)
        if not p.exists():
            out.skipped[SKIP_MISSING] += 1
        elif p.is_dir():
            _walk(out, p, _above(p))
        else:
            _add_file(out, p, top_level=True)
    unique = {c.berkas: c for c in out.candidates}
    out.candidates = sorted(unique.values(), key=lambda c: c.berkas)
    out.masters = sorted(set(out.masters))
    out.problems = sorted(set(out.problems), key=lambda x: x.berkas)
    return out


def _above(folder: Path) -> tuple[tuple[int, int], ...]:
    """The folders above a source: a link inside it to one of them (to "/" even) is a
    loop too, not a tree to walk."""
    out = []
    for parent in reversed(folder.resolve().parents):
        try:
            st = parent.stat()
        except OSError:
            continue
        out.append((st.st_dev, st.st_ino))
    return tuple(out)


def _walk(out: Discovery, folder: Path, ancestors: tuple[tuple[int, int], ...]) -> None:
    try:
        st = folder.stat()
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        out.problem(folder, f"folder {os_reason(exc, folder)}")
        return
    ancestors = (*ancestors, (st.st_dev, st.st_ino))
    out._walked.add(ancestors[-1])
    for e in entries:
        path = Path(e.path)
        if not _utf8(e.name):
            out.problem(path, NOT_UTF8)
            continue
        try:
            est = e.stat()  # follows links: a broken link or a loop fails here
        except OSError as exc:
            reason = _skip_reason(e.name)
            if reason:
                out.skipped[reason] += 1
            else:
                out.problem(path, os_reason(exc, path))
            continue
        if stat.S_ISDIR(est.st_mode):
            if not e.name.startswith("."):
                _enter(out, path, (est.st_dev, est.st_ino), ancestors)
        else:
            _add_file(out, path, top_level=False, st=est)


def _enter(out: Discovery, path: Path, ident: tuple[int, int],
           ancestors: tuple[tuple[int, int], ...]) -> None:
    if ident in ancestors:
        out.problem(path, "tautan folder melingkar (menunjuk ke folder di atasnya); "
                          "tidak diikuti")
    elif ident in out._walked:
        out.skipped[SKIP_SAME_FOLDER] += 1
    else:
        _walk(out, path, ancestors)


def _add_file(out: Discovery, path: Path, top_level: bool,
              st: os.stat_result | None = None) -> None:
    reason = _skip_reason(path.name)
    if reason:
        out.skipped[reason] += 1
        return
    ext = path.suffix.lower()
    if not (ext in WORKBOOK_EXT or ext == ".zip" or (ext in MASTER_EXT and top_level)):
        out.skipped[SKIP_OTHER] += 1
        return
    try:
        st = st or path.stat()
        if not stat.S_ISREG(st.st_mode):
            out.problem(path, NOT_REGULAR)  # opening a pipe would wait for ever
            return
        if not os.access(path, os.R_OK):
            raise PermissionError(errno.EACCES, "")
        resolved = path.resolve()
    except OSError as exc:
        out.problem(path, os_reason(exc, path))
        return
    if ext in WORKBOOK_EXT:
        out.candidates.append(Candidate(berkas=str(resolved), path=str(resolved),
                                        size=st.st_size, mtime_ns=st.st_mtime_ns))
    elif ext == ".zip":
        _add_zip(out, resolved)
    else:
        out.masters.append(str(resolved))


def _add_zip(out: Discovery, path: Path) -> None:
    archive = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            _add_members(out, zf, archive, zf.infolist(), None)
    except ZIP_ERRORS as exc:
        out.problem(path, f"arsip zip rusak atau tidak dapat dibuka ({read_reason(exc)})")


def read_reason(exc: BaseException) -> str:
    """Why a file or an archive (or a member of one) could not be read, in Indonesian."""
    if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile):
        return os_reason(exc)
    if isinstance(exc, RuntimeError):
        return "berkata sandi"
    return "isinya bukan zip yang utuh"


def _add_members(out: Discovery, zf: zipfile.ZipFile, archive: str,
                 infos: list[zipfile.ZipInfo], outer: str | None) -> None:
    """The workbooks of one archive; ``outer`` is the member holding it when it is an
    archive inside ``archive``."""
    prefix = archive + ZIP_SEP + (outer + ZIP_SEP if outer else "")
    for info in infos:
        if info.is_dir():
            continue
        parts = info.filename.split("/")
        name = parts[-1]
        if parts[0] == "__MACOSX" or any(x.startswith(".") for x in parts[:-1]):
            out.skipped[SKIP_HIDDEN] += 1
            continue
        reason = _skip_reason(name)
        ext = Path(name).suffix.lower()
        if reason:
            out.skipped[reason] += 1
        elif ext in WORKBOOK_EXT:
            out.candidates.append(Candidate(
                berkas=prefix + info.filename, path=archive, member=outer or info.filename,
                inner=info.filename if outer else None, size=info.file_size,
                mtime_ns=_zip_time(info), kind="zip"))
        elif ext == ".zip" and outer is None:
            _add_inner(out, zf, archive, info)
        elif ext == ".zip":
            out.problem(prefix + info.filename, NESTED_TOO_DEEP)
        else:
            out.skipped[SKIP_OTHER] += 1


def _add_inner(out: Discovery, zf: zipfile.ZipFile, archive: str, info: zipfile.ZipInfo
               ) -> None:
    """An archive inside the archive: opened in memory, bounded like a workbook."""
    berkas = archive + ZIP_SEP + info.filename
    if too_big(info.file_size):
        out.problem(berkas, f"arsip di dalam arsip berukuran {info.file_size // (1 << 20)} MB, "
                            f"melebihi batas {MAX_FILE_BYTES // (1 << 20)} MB; ekstrak dulu")
        return
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            infos = inner.infolist()
    except ZIP_ERRORS as exc:
        out.problem(berkas, f"arsip zip di dalam arsip rusak ({read_reason(exc)})")
        return
    bomb = zip_bomb(infos, berkas)
    if bomb:
        out.problem(berkas, bomb.message)
        return
    _add_members(out, zf, archive, infos, info.filename)


def _zip_time(info: zipfile.ZipInfo) -> int:
    try:
        return int(datetime(*info.date_time).timestamp() * 1e9)
    except (ValueError, OverflowError, OSError):  # a zip may carry month 0
        return 0
