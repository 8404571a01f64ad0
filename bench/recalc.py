"""Recalculation benchmark: headless ``kinerja recalc`` and the Hitung Ulang button.

    python -m bench.recalc --employees 1000

On one SKP workbook of N employees (8 RHK and 7 perilaku rows each, made by
bench/generate.py with the outputs of an earlier Hitung Ulang in it, as a
clerk's file has; rows beyond the template's prepared capacity are typed
below the table, which the reader tolerates):

* headless: ``addin.headless.recalc_file`` end to end (best of ``--repeat``),
  and its parts timed one by one: read (guard + calamine), compute (parse,
  score, patch), write (openpyxl load, apply, save);
* Hitung Ulang on the xlwings remote engine: the payload a client sends is
  built from the file, ``addin.entry.hitung_ulang`` runs on
  ``xw.Book(json=payload)``, and the queued actions are counted by kind. The
  count must be bounded by the number of tables, not of rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

TARGET_SECONDS = 2.0


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def make(employees: int, folder: Path, seed: int = 1) -> Path:
    from bench.generate import fill, office_rows

    path = folder / f"SKP_{employees}.xlsx"
    if not path.exists():
        path.write_bytes(fill(office_rows(0, seed, employees), outputs=True, file=path.name))
    return path


def headless(path: Path, repeat: int) -> dict:
    from openpyxl import load_workbook

    from addin.headless import apply_patch_openpyxl, damage_risks, recalc_file
    from addin.recalc import evaluate
    from workbook_templates.reader import load_checked

    work = path.with_name("work.xlsx")
    out = path.with_name("out.xlsx")

    def whole():
        shutil.copyfile(path, work)
        recalc_file(work, out=out)

    total = _best(whole, repeat)
    t = {}
    t["guard+read"] = _best(lambda: (damage_risks(path), load_checked(path)), repeat)
    sheets, _ = load_checked(path)
    t["compute"] = _best(lambda: evaluate(sheets, file=path.name), repeat)
    _, patch = evaluate(sheets, file=path.name)
    t["write: openpyxl load"] = _best(lambda: load_workbook(path, rich_text=True), repeat)
    wb = load_workbook(path, rich_text=True)
    t["write: apply patch"] = _best(lambda: apply_patch_openpyxl(wb, patch), repeat)
    t["write: openpyxl save"] = _best(lambda: wb.save(out), repeat)
    cells = sum(len(b.values) * max((len(r) for r in b.values), default=0)
                for b in patch.blocks)
    return {"total": total, "parts": t, "blocks": len(patch.blocks), "cells": cells,
            "fills": len(patch.fills), "clears": len(patch.clears)}


def hitung_ulang(path: Path) -> dict:
    import xlwings as xw

    from addin.entry import hitung_ulang as entry
    from tests.xlwings_harness import payload_from_xlsx

    start = time.perf_counter()
    payload = payload_from_xlsx(path)
    built = time.perf_counter() - start
    book = xw.Book(json=payload)
    start = time.perf_counter()
    entry(book)
    actions = book.json()["actions"]
    ran = time.perf_counter() - start
    return {"payload_seconds": built, "entry_seconds": ran, "actions": len(actions),
            "by_kind": dict(Counter(a["func"] for a in actions))}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", default=None, help="keep the workbook here (default: temporary)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        path = make(args.employees, folder)
        print(f"workbook: {args.employees} employees, {args.employees * 8} RHK rows, "
              f"{args.employees * 7} perilaku rows, {path.stat().st_size / 1e6:.1f} MB "
              f"(made in {time.perf_counter() - start:.1f} s)")
        h = headless(path, args.repeat)
        print(f"\nheadless recalc_file, whole: {h['total']:.2f} s (best of {args.repeat}; "
              f"target <= {TARGET_SECONDS:.0f} s: "
              f"{'OK' if h['total'] <= TARGET_SECONDS else 'MISSED'})")
        for name, sec in h["parts"].items():
            print(f"  {name:24} {sec:6.2f} s")
        print(f"  patch: {h['blocks']} blocks ({h['cells']} cells), {h['clears']} clears, "
              f"{h['fills']} fills")
        x = hitung_ulang(path)
        tables = 0
        from workbook_templates.skp_layout import SKP
        tables = len(SKP.tables)
        print(f"\nHitung Ulang (xlwings remote engine): {x['actions']} actions "
              f"(layout has {tables} tables; bounded by tables, not rows: "
              f"{'OK' if x['actions'] <= 4 * tables else 'MISSED'})")
        print("  " + ", ".join(f"{k} {v}" for k, v in sorted(x["by_kind"].items())))
        print(f"  entry point {x['entry_seconds']:.2f} s; payload built from the file "
              f"(harness, openpyxl) {x['payload_seconds']:.2f} s")


if __name__ == "__main__":
    main()
