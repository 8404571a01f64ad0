"""Writing an output file (rekap, export) without ever destroying what the path points at.

A regular file is replaced atomically (temp file beside it, then rename), so an
interrupted run leaves the old file whole. A symlink is written through: its target
is replaced and the link stays. A device or pipe (``--out /dev/stdout``) is written
directly: renaming over it would replace the device node itself (as root). A
dangling symlink is refused, since where it should lead is a guess. New files get
the usual mode (0666 less the umask), a replaced file keeps its own.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputRefused(ValueError):
    """Raised when an output path cannot be written safely; the message says why."""


def is_stream(path: Path) -> bool:
    """Whether ``path`` is a device or pipe (or a /dev, /proc alias such as /dev/stdout)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not stat.S_ISREG(st.st_mode) or str(path).startswith(("/dev/", "/proc/"))


def write_target(path: Path) -> Path | None:
    """The regular file to replace for ``path`` (a symlink's target), None for a stream."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise OutputRefused(
                f"{path} adalah tautan (symlink) ke {os.readlink(path)}, yang tidak ada. Hapus "
                "tautan itu atau arahkan ke berkas yang ada, lalu jalankan lagi.") from None
        return path
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if is_stream(path):
        return None
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write; when the block succeeds it becomes ``path`` (see module)."""
    target = write_target(Path(path))
    if target is None:
        with tempfile.TemporaryDirectory(prefix="kinerja-") as folder:
            tmp = Path(folder) / f"keluaran{Path(path).suffix}"
            yield tmp
            with open(tmp, "rb") as src, open(path, "wb") as dst:
                shutil.copyfileobj(src, dst)
        return
    mode = stat.S_IMODE(os.stat(target).st_mode) if target.exists() else new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                               dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, mode)  # mkstemp makes 0600; others in the office must read the rekap
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def new_file_mode() -> int:
    """0666 less the process umask: the mode open() would give a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
