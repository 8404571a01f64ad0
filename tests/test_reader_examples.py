"""The example office workbooks: up to date, and read with exactly their honest mistakes."""

from __future__ import annotations

import importlib.util
import time
from decimal import Decimal
from pathlib import Path

from kinerja.models import PkData, SkpData
from kinerja.ratings import Rating
from tests.test_templates import _parts
from workbook_templates.reader import read_workbook

EXAMPLES = Path(__file__).parent.parent / "examples"


def _script():
    spec = importlib.util.spec_from_file_location("make_examples",
                                                  EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_examples_are_up_to_date(tmp_path):
    fresh = _script().make_all(tmp_path)
    assert len(fresh) == 6
    for path in fresh:
        committed = EXAMPLES / path.relative_to(tmp_path)
        assert _parts(committed.read_bytes()) == _parts(path.read_bytes()), (
            f"{committed} is out of date; run: python examples/make_examples.py")


def test_examples_read_with_their_mistakes():
    found = []
    for path in sorted(EXAMPLES.rglob("*.xlsx")):
        data = read_workbook(path)
        kind = "SKP" if isinstance(data, SkpData) else "PK"
        assert data.stamp.template_id == kind
        found += [(path.parent.name, f.sheet, f.cell, f.code) for f in data.findings]
        if isinstance(data, SkpData):
            assert 5 <= len(data.pegawai) <= 12
            assert len(data.perilaku) == 7 * len(data.pegawai)
        else:
            assert isinstance(data, PkData) and data.indikator and data.anggaran
    assert found == [("dinas_pendidikan", "RHK", "A13", "NIP_TIDAK_VALID")]


def test_tolerated_mistakes_are_read_as_meant():
    data = read_workbook(EXAMPLES / "dinas_kesehatan" / "SKP_2025.xlsx")
    assert data.rhk[6].realisasi == Decimal("85.5")  # typed "85,5"
    assert data.rhk[6].cells["realisasi"] == "J10"
    assert Rating.DI_ATAS in {r.rating_hasil for r in data.rhk}
    bkpsdm = read_workbook(EXAMPLES / "bkpsdm" / "SKP_2025.xlsx")
    known = {p.nip for p in bkpsdm.pegawai}
    assert sum(r.nip not in known for r in bkpsdm.rhk) == 4


def test_read_is_fast():
    paths = sorted(EXAMPLES.rglob("*.xlsx"))
    start = time.perf_counter()
    for _ in range(5):
        for path in paths:
            read_workbook(path)
    per_file = (time.perf_counter() - start) / (5 * len(paths))
    assert per_file < 0.25, f"{per_file * 1000:.0f} ms per file"
