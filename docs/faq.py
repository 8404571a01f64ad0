"""The FAQ of finding codes, generated from :data:`kinerja.findings.CATALOG`.

One entry per code: its title, what the message says (the template with its
placeholders in words), and what to do. ``python -m docs.screenshots`` writes
it to docs/faq.md; a test fails when the committed file differs from what the
catalog gives, so a new code cannot ship without its entry.
"""

from __future__ import annotations

import re
from pathlib import Path

from kinerja.findings import CATALOG, Kind, Severity

FAQ = Path(__file__).parent / "faq.md"

PLACEHOLDERS = {"value": "‹nilai yang ditemukan›", "detail": "‹rincian›",
                "field": "‹nama kolom›"}
LEVEL_MEANS = {
    Severity.ERROR: "harus diperbaiki sebelum berkas dikirim",
    Severity.WARNING: "boleh dikirim, tetapi periksa dulu apakah memang benar",
}
GROUPS = (
    ("NIP", ("NIP_",)),
    ("Isian sel", ("WAJIB_DIISI", "BUKAN_ANGKA", "PILIHAN_TIDAK_VALID", "TANGGAL_TIDAK_VALID",
                   "TARGET_TIDAK_VALID")),
    ("Capaian dan rating", ("TARGET_NOL", "CAPAIAN_", "BELUM_ADA_REALISASI", "RATING_")),
    ("Kurva distribusi predikat", ("KURVA_",)),
    ("SKP lama (PP 46/2011)", ("PP46_",)),
)
OTHER = "Berkas, templat dan pengiriman"

HEADER = """\
# Tanya jawab: arti setiap kode di sheet Validasi

<!-- Dibuat otomatis dari kinerja/findings.py oleh `python -m docs.screenshots`.
     Jangan diedit dengan tangan: ubah katalognya, lalu jalankan perintah itu. -->

Setiap masalah yang ditemukan **Hitung Ulang**, `kinerja validate`,
`kinerja recalc` atau `kinerja sync` punya **kode** (kolom *Kode* di sheet
Validasi dan di sheet *Temuan* rekap). Cari kodenya di bawah ini.

* **Kesalahan**: {error}.
* **Peringatan**: {warning}.

Tulisan seperti ‹nilai yang ditemukan› atau ‹rincian› di bagian *Pesan*
diganti dengan isi sebenarnya, misalnya NIP yang salah atau nama kolomnya.
"""


def in_words(template: str) -> str:
    """A message template with its placeholders ({value!r}, {detail}) shown in words."""
    def word(m: re.Match) -> str:
        return PLACEHOLDERS.get(m[1], f"‹{m[1]}›")

    return re.sub(r"\{(\w+)(?:![rsa])?(?::[^}]*)?\}", word, template).replace("'‹", "‹").replace(
        "›'", "›")


def group_of(code: str) -> str:
    for name, prefixes in GROUPS:
        if any(code == p or (p.endswith("_") and code.startswith(p)) for p in prefixes):
            return name
    return OTHER


def entry(kind: Kind) -> str:
    return (f"### `{kind.code}`: {kind.title}\n\n"
            f"* **Tingkat:** {kind.severity.label}\n"
            f"* **Pesan:** {in_words(kind.template)}\n"
            f"* **Yang harus dilakukan:** {kind.action}\n")


def faq_markdown(catalog: dict[str, Kind] = CATALOG) -> str:
    """The whole FAQ page, grouped like the catalog, in catalog order within a group."""
    parts = [HEADER.format(error=LEVEL_MEANS[Severity.ERROR],
                           warning=LEVEL_MEANS[Severity.WARNING])]
    names = [name for name, _ in GROUPS] + [OTHER]
    for name in names:
        kinds = [k for k in catalog.values() if group_of(k.code) == name]
        if kinds:
            parts.append(f"## {name}\n")
            parts += [entry(k) for k in kinds]
    return "\n".join(parts)


def write_faq(path: Path = FAQ) -> Path:
    path.write_text(faq_markdown(), encoding="utf-8")
    return path
