"""Workbooks edited by hand the way clerks edit them, each beside its correctly typed twin.

The promise tested here is a bank reconciliation's: every row a clerk typed is read as
meant (the case reads *equal to its twin*, the same data typed cleanly into the
template), or it is named in a finding with its sheet and cell while the good rows
are kept. Each module of this package holds the cases of one kind of habit and
exposes ``cases(folder) -> list[ClerkCase]``:

* :mod:`tests.clerks.rows`: rows and sheets (blank, merged, inserted, sorted, hidden,
  copied sheets, NIP typed once per employee);
* :mod:`tests.clerks.values`: typing habits and number formats (typed percents,
  thousands separators, invisible characters, spellings of choices and periods);
* :mod:`tests.clerks.files`: what happens to files (LibreOffice re-saves, odd years and
  periods, nested archives, links, permissions, huge used ranges).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from workbook_templates.fill import fill_form, fill_rows
from workbook_templates.skp_layout import SKP
from workbook_templates.templates import template_path

MODULES = ("rows", "values", "files")


def nip(i: int) -> str:
    """A valid PNS NIP of its own for each employee number i (1..999)."""
    return f"19870412201001{1 + i % 2}{i:03d}"


IDENTITAS = {"instansi": "Pemerintah Kabupaten Contoh", "unit_kerja": "Bagian Umum",
             "tahun": 2025, "periode_jenis": "Tahunan", "periode": "Tahunan",
             "predikat_organisasi": "Baik"}

PEGAWAI = [
    {"nip": nip(1), "nama": "Ani Lestari", "jabatan": "Analis Kepegawaian",
     "jenis_jabatan": "Pelaksana", "jenis_pegawai": "PNS"},
    {"nip": nip(2), "nama": "Budi Santoso", "jabatan": "Pengadministrasi Umum",
     "jenis_jabatan": "Pelaksana", "jenis_pegawai": "PNS"},
    {"nip": nip(3), "nama": "Citra Dewi", "jabatan": "Kepala Subbagian Umum",
     "jenis_jabatan": "Pengawas", "jenis_pegawai": "PNS"},
]


def _rhk(n: str, k: int, target: Any, realisasi: Any, satuan: str = "dokumen") -> dict:
    return {"nip": n, "jenis": "Utama", "rhk": f"Hasil kerja {k}", "aspek": "Kuantitas",
            "iki": f"Indikator {k}", "satuan": satuan, "polaritas": "positif",
            "target": target, "realisasi": realisasi}


RHK = [
    {**_rhk(nip(1), 1, 12, 12), "rating_hasil": "Sesuai Ekspektasi"},
    _rhk(nip(1), 2, 90, 87, "%"),
    _rhk(nip(1), 3, 4, 5),
    {**_rhk(nip(2), 4, 24, 20), "rating_hasil": "Di Bawah Ekspektasi"},
    _rhk(nip(2), 5, 100, 100, "%"),
    {**_rhk(nip(3), 6, 2, 2), "rating_hasil": "Di Atas Ekspektasi"},
    _rhk(nip(3), 7, 80, 92.5, "%"),
    _rhk(nip(3), 8, 1500000, 1250000, "rupiah"),
]

PERILAKU = [
    {"nip": n, "nilai": v, "rating_perilaku": r if v == "Berorientasi Pelayanan" else None}
    for n, r in ((nip(1), "Sesuai Ekspektasi"), (nip(2), "Sesuai Ekspektasi"),
                 (nip(3), "Di Atas Ekspektasi"))
    for v in ("Berorientasi Pelayanan", "Akuntabel")
]

DATA = {"identitas": IDENTITAS, "pegawai": PEGAWAI, "rhk": RHK, "perilaku": PERILAKU}


@dataclass
class ClerkCase:
    """One hand-edited workbook and what reading it must give."""

    name: str  # what the clerk did, in words
    path: Path
    code: str | None = None  # the finding it must carry; None: reads equal to the twin
    sheet: str | None = None  # where that finding must point
    cell: str | None = None
    rejected: int = 0  # rows of the twin it cannot give, each named by an error finding
    differs: int = 0  # rows kept but read otherwise than the twin (a value that cannot be
    #                   read as meant without a guess: kept as typed, named by the finding)
    sync: bool = True  # also part of the balance test over the sync


def filled(path: Path, edit: Callable[[Any], None] | None = None,
           data: dict[str, Any] | None = None) -> Path:
    """The SKP template filled with ``data`` (the twin's by default), then ``edit(wb)``."""
    data = data or DATA
    wb = openpyxl.load_workbook(template_path("SKP"))
    fill_form(wb, SKP.table("identitas"), data["identitas"])
    for key in ("pegawai", "rhk", "perilaku"):
        fill_rows(wb, SKP.table(key), data[key])
    if edit:
        edit(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def twin(folder: Path) -> Path:
    """The correctly typed workbook every case is compared with."""
    return filled(folder / "_kembaran.xlsx")


_POSITION = {"sheet", "row", "cells"}


def content(skp) -> dict[str, list[tuple]]:
    """What a read workbook says, positions left out, rows sorted: equal content means the
    clerk's file and its twin carry the same data."""
    out = {"identitas": [tuple(sorted(_plain(skp.identitas).items()))]}
    for table in ("pegawai", "rhk", "perilaku"):
        out[table] = sorted(tuple(sorted(_plain(row).items())) for row in getattr(skp, table))
    return out


def _plain(model) -> dict[str, str]:
    return {k: str(_number(v)) for k, v in model.model_dump().items() if k not in _POSITION}


def _number(value: Any) -> Any:
    """Numbers compared by value: 87 typed as text is the 87.0 of a number cell."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return tuple(_number(v) for v in value)
    return value


def build(folder: Path) -> list[ClerkCase]:
    """Every case of every module, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[ClerkCase] = []
    for name in MODULES:
        module = importlib.import_module(f"tests.clerks.{name}")
        out += module.cases(folder / name)
    return out
