"""What reading values as clerks type them costs: the loader against the old one, same run.

Three workbooks, made from the bkpsdm SKP example: as it is; with a stray space in
RHK!A1048576 (a huge used range); with every realisasi typed as a percent (0.87 in
a "0%" cell). Each is read in a fresh process (peak memory is that process's
ru_maxrss) by the old loader (calamine's full grid from A1, no formats) and by the
current one (:func:`workbook_templates.reader.sheet_values`), then parsed by
the same ``parse_skp``. Also the cost of :func:`read_sheet_xml` alone per file.

    .venv/bin/python -m bench.values [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bkpsdm" / "SKP_2025.xlsx"


def _variants(folder: Path) -> dict[str, Path]:
    out = {"biasa": EXAMPLE}
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["RHK"]["A1048576"] = " "
    wb.save(out.setdefault("spasi_liar", folder / "spasi_liar.xlsx"))
    wb = openpyxl.load_workbook(EXAMPLE)
    for (cell,) in wb["RHK"].iter_rows(min_row=4, min_col=10, max_col=10):
        if isinstance(cell.value, int | float):
            cell.value, cell.number_format = cell.value / 100, "0%"
    wb.save(out.setdefault("persen", folder / "persen.xlsx"))
    return out


def _old(path: Path):
    from python_calamine import CalamineWorkbook

    from workbook_templates.reader import _needed, parse_skp
    from workbook_templates.skp_layout import SKP

    wb = CalamineWorkbook.from_path(str(path))
    keys = {n.casefold() for n in _needed(SKP)}
    return parse_skp({n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False)
                      for n in wb.sheet_names if n.strip().casefold() in keys},
                     file=str(path))


def _new(path: Path):
    from workbook_templates.reader import _needed, parse_skp, sheet_values
    from workbook_templates.skp_layout import SKP

    sheets, _ = sheet_values(path, _needed(SKP), str(path))
    return parse_skp(sheets, file=str(path))


def _xml_only(path: Path):
    from workbook_templates.reader import _needed
    from workbook_templates.sheet_xml import read_sheet_xml
    from workbook_templates.skp_layout import SKP

    return read_sheet_xml(path, _needed(SKP))


def _one(kind: str, path: Path, repeat: int) -> None:
    """In a child process: read ``path`` ``repeat`` times, print ms per read and peak MB."""
    fn = {"lama": _old, "baru": _new, "xml": _xml_only}[kind]
    fn(path)  # imports and first-use caches out of the timing
    start = time.perf_counter()
    for _ in range(repeat):
        fn(path)
    ms = (time.perf_counter() - start) * 1000 / repeat
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ms": ms, "mb": peak}))


def _child(kind: str, path: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.values", "--one", kind, str(path),
                          "--repeat", str(repeat)], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--one", nargs=2, metavar=("KIND", "PATH"))
    args = ap.parse_args(argv)
    if args.one:
        _one(args.one[0], Path(args.one[1]), args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'berkas':12} {'lama ms':>9} {'baru ms':>9} {'rasio':>6} {'lama MB':>8} "
              f"{'baru MB':>8} {'xml ms':>7}")
        for name, path in _variants(Path(tmp)).items():
            repeat = 1 if name == "spasi_liar" else args.repeat
            old, new = _child("lama", path, repeat), _child("baru", path, repeat)
            xml = _child("xml", path, args.repeat)
            print(f"{name:12} {old['ms']:9.1f} {new['ms']:9.1f} {new['ms'] / old['ms']:6.2f} "
                  f"{old['mb']:8.0f} {new['mb']:8.0f} {xml['ms']:7.2f}")


if __name__ == "__main__":
    main()
