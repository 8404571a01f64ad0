"""Find the workbooks to consolidate: folders (recursive), files, .zip archives, masters.

Nothing is opened here except zip directories: a candidate is a name, a size
and a time. Lock files (``~$...``), hidden files and anything that is not a
workbook are skipped and counted by reason. A ``.db``/``.sqlite`` file named
on the command line is another master to import; inside folders such files
are skipped (a folder may hold the master being written).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

WORKBOOK_EXT = {".xlsx", ".xlsm", ".xls", ".ods"}
MASTER_EXT = {".db", ".sqlite", ".sqlite3"}
ZIP_SEP = "!"

# reasons a file is skipped, as the clerk reads them
SKIP_LOCK = "berkas kunci Excel (~$)"
SKIP_HIDDEN = "berkas tersembunyi"
SKIP_OTHER = "bukan workbook"
SKIP_MISSING = "tidak ditemukan"
SKIP_BAD_ZIP = "arsip zip rusak"


@dataclass(frozen=True)
class Candidate:
    """One workbook to consider: where it is, and its provenance name ``berkas``."""

    berkas: str  # "/abs/opd.xlsx" or "/abs/arsip.zip!dir/opd.xlsx"
    path: str  # the file on disk (the archive for zip members)
    member: str | None = None  # the member name inside a zip
    size: int = 0
    mtime_ns: int = 0
    kind: Literal["file", "zip"] = "file"

    def read_bytes(self, limit: int | None = None) -> bytes:
        """The file's bytes; with ``limit``, never more than limit + 1 of them (a zip
        member that lies about its size cannot fill the memory)."""
        if self.member is None:
            with open(self.path, "rb") as fh:
                return fh.read() if limit is None else fh.read(limit + 1)
        with zipfile.ZipFile(self.path) as zf, zf.open(self.member) as fh:
            return fh.read() if limit is None else fh.read(limit + 1)


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    masters: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> count

    @property
    def seen(self) -> int:
        return len(self.candidates) + len(self.masters) + sum(self.skipped.values())


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _skip_reason(name: str) -> str | None:
    if name.startswith("~$"):
        return SKIP_LOCK
    if name.startswith("."):
        return SKIP_HIDDEN
    return None


def discover(sources: Iterable[str | Path]) -> Discovery:
    """Every candidate under the sources, in a stable order (sorted by provenance name)."""
    out = Discovery()
    for source in sources:
        p = Path(source)
        if not p.exists():
            out.skipped[SKIP_MISSING] += 1
        elif p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    _add_file(out, Path(root, name), top_level=False)
        else:
            _add_file(out, p, top_level=True)
    unique = {c.berkas: c for c in out.candidates}
    out.candidates = sorted(unique.values(), key=lambda c: c.berkas)
    out.masters = sorted(set(out.masters))
    return out


def _add_file(out: Discovery, path: Path, top_level: bool) -> None:
    reason = _skip_reason(path.name)
    if reason:
        out.skipped[reason] += 1
        return
    ext = path.suffix.lower()
    if ext in WORKBOOK_EXT:
        st = path.stat()
        out.candidates.append(Candidate(berkas=str(path.resolve()), path=str(path.resolve()),
                                        size=st.st_size, mtime_ns=st.st_mtime_ns))
    elif ext == ".zip":
        _add_zip(out, path)
    elif ext in MASTER_EXT and top_level:
        out.masters.append(str(path.resolve()))
    else:
        out.skipped[SKIP_OTHER] += 1


def _add_zip(out: Discovery, path: Path) -> None:
    archive = str(path.resolve())
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        out.skipped[SKIP_BAD_ZIP] += 1
        return
    for info in infos:
        if info.is_dir():
            continue
        parts = info.filename.split("/")
        name = parts[-1]
        if parts[0] == "__MACOSX" or any(x.startswith(".") for x in parts[:-1]):
            out.skipped[SKIP_HIDDEN] += 1
            continue
        reason = _skip_reason(name)
        if reason:
            out.skipped[reason] += 1
        elif Path(name).suffix.lower() in WORKBOOK_EXT:
            mtime = int(datetime(*info.date_time).timestamp() * 1e9)
            out.candidates.append(Candidate(
                berkas=f"{archive}{ZIP_SEP}{info.filename}", path=archive,
                member=info.filename, size=info.file_size, mtime_ns=mtime, kind="zip"))
        else:
            out.skipped[SKIP_OTHER] += 1
