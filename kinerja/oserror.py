"""A file-system failure in the words a clerk reads: one wording for the CLI and for the
library parts that report a failed write themselves (headless recalc)."""

from __future__ import annotations

import errno


def os_message(exc: OSError) -> str:
    """A file-system failure in Indonesian, naming the path."""
    # a failed rename names the temporary file first; the user named the second
    name = exc.filename2 or exc.filename or "berkas"
    if exc.errno == errno.ENOSPC:
        return f"Ruang disk penuh saat menulis {name}; kosongkan ruang lalu jalankan lagi."
    if exc.errno == errno.EROFS:
        return f"Tidak dapat menulis {name}: media penyimpanannya hanya dapat dibaca."
    if isinstance(exc, FileNotFoundError):
        return f"Berkas atau folder tidak ditemukan: {name}. Periksa ejaan dan lokasinya."
    if isinstance(exc, PermissionError):
        return (f"Tidak ada izin untuk membuka atau menulis {name}. Periksa hak akses berkas dan "
                "foldernya, atau apakah berkas sedang dibuka program lain.")
    if isinstance(exc, IsADirectoryError):
        return f"{name} adalah folder, padahal yang diperlukan sebuah berkas."
    if isinstance(exc, NotADirectoryError):
        return f"Jalur {name} tidak sah: salah satu bagiannya adalah berkas, bukan folder."
    reason = exc.strerror or str(exc)
    return (f"Gagal membaca atau menulis {name} (galat sistem {exc.errno})."
            f"\nRincian: {reason}")
