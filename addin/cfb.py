"""Write a small compound file (MS-CFB version 3): what holds a workbook's VBA project.

olefile reads compound files and rewrites streams in place at the same size,
but cannot resize them; a source-only VBA project (``addin.xlam``) has streams
of new sizes, so it is written whole here. Only what a vbaProject.bin needs:
512-byte sectors, streams under 4096 bytes in the mini stream, at most 109 FAT
sectors (56 MB), no DIFAT sectors. The children of a storage are chained as
right siblings in MS-CFB order (shorter name first, then upper-cased name),
all black: the degenerate but valid tree of the vbaProject.bin that xlwings
ships, which Excel opens.
"""

from __future__ import annotations

import struct

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1
MAX_FAT_SECTORS = 109  # all listed in the header: no DIFAT sectors


def _order(name: str) -> tuple[int, str]:
    return len(name), name.upper()


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\x00" * (-len(data) % size)


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.sid = 0
        self.start, self.size = END, len(data)
        self.right = self.child = NOSTREAM


def _tree(streams: dict[str, bytes]) -> list[_Entry]:
    """Directory entries, root first, from {"VBA/dir": data, ...} ("/"-separated paths)."""
    root = _Entry("Root Entry", ROOT)
    storages = {"": root}
    for path in sorted(streams):
        parent = ""
        for part in path.split("/")[:-1]:
            here = f"{parent}/{part}" if parent else part
            if here not in storages:
                storages[here] = _Entry(part, STORAGE)
                storages[parent].children.append(storages[here])
            parent = here
        storages[parent].children.append(_Entry(path.split("/")[-1], STREAM, streams[path]))
    entries: list[_Entry] = []

    def visit(entry: _Entry) -> None:
        entry.sid = len(entries)
        entries.append(entry)
        entry.children.sort(key=lambda e: _order(e.name))
        for child in entry.children:
            visit(child)

    visit(root)
    for entry in entries:
        kids = entry.children
        if kids:
            entry.child = kids[0].sid
        for left, right in zip(kids, kids[1:], strict=False):
            left.right = right.sid
    return entries


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else END


def write(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` ({"VBA/dir": bytes, "PROJECT": bytes, ...})."""
    entries = _tree(streams)
    files = [e for e in entries if e.kind == STREAM]
    mini = bytearray()
    minifat: list[int] = []
    for e in (e for e in files if e.size < CUTOFF):
        if e.size:
            e.start = len(minifat)
            count = -(-e.size // MINI)
            minifat += [0] * count
            _chain(minifat, e.start, count)
            mini += _pad(e.data, MINI)
    big = [e for e in files if e.size >= CUTOFF]
    dir_bytes = len(entries) * 128
    counts = {"dir": -(-dir_bytes // SECTOR), "minifat": -(-len(minifat) * 4 // SECTOR),
              "mini": -(-len(mini) // SECTOR)}
    body = sum(counts.values()) + sum(-(-e.size // SECTOR) for e in big)
    nfat = 1
    while nfat * SECTOR // 4 < nfat + body:
        nfat += 1
    if nfat > MAX_FAT_SECTORS:
        raise ValueError("compound file too large for this writer")
    fat = [FREE] * (nfat * SECTOR // 4)
    for i in range(nfat):
        fat[i] = FATSECT
    at = nfat
    starts = {}
    for part in ("dir", "minifat", "mini"):
        starts[part] = at if counts[part] else END
        _chain(fat, at, counts[part])
        at += counts[part]
    for e in big:
        e.start, n = at, -(-e.size // SECTOR)
        _chain(fat, at, n)
        at += n
    root = entries[0]
    root.start, root.size = starts["mini"], len(mini)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16,
                         0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, nfat, starts["dir"], 0, CUTOFF,
                         starts["minifat"], counts["minifat"], END, 0)
    difat = list(range(nfat)) + [FREE] * (MAX_FAT_SECTORS - nfat)
    out = bytearray(header + struct.pack(f"<{MAX_FAT_SECTORS}I", *difat))
    out += struct.pack(f"<{len(fat)}I", *fat)
    unused = struct.pack("<64sHBBIII48x", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM)
    out += b"".join(_dir_entry(e) for e in entries) + unused * (-len(entries) % 4)
    out += _pad(struct.pack(f"<{len(minifat)}I", *minifat), SECTOR)
    out += _pad(bytes(mini), SECTOR)
    for e in big:
        out += _pad(e.data, SECTOR)
    return bytes(out)


def _dir_entry(e: _Entry) -> bytes:
    name = (e.name + "\0").encode("utf-16-le")
    if len(name) > 64:
        raise ValueError(f"name too long: {e.name!r}")
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e.kind, BLACK, NOSTREAM, e.right,
                       e.child, b"\0" * 16, 0, 0, 0, e.start if e.kind != STORAGE else 0,
                       e.size if e.kind != STORAGE else 0)
