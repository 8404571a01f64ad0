"""Recalculation benchmark: headless ``kinerja recalc`` and the Hitung Ulang button.

    python -m bench.recalc --employees 1000

On one SKP workbook of N employees (8 RHK and 7 perilaku rows each, made by
bench/generate.py with the outputs of an earlier Hitung Ulang in it, as a
clerk's file has; rows beyond the template's prepared capacity are typed
below the table, which the reader tolerates):

* baseline, same run: openpyxl's own load + save of the same file (what the
  old headless path cost before it did any work);
* headless: ``addin.headless.recalc_file`` in place on a fresh copy, end to
  end (best of ``--repeat``), and its parts timed one by one: read (guard +
  calamine), compute (parse, score, patch), write (sheet XML patch + zip);
  wall and CPU seconds (the machine is shared: CPU is the fairer comparison);
* the ``kinerja recalc`` command as a user runs it (a new process, imports
  included): wall time and peak memory (max RSS);
* Hitung Ulang on the xlwings remote engine: the payload a client sends is
  built from the file, ``addin.entry.hitung_ulang`` runs on
  ``xw.Book(json=payload)``, and the queued actions are counted by kind. The
  count must be bounded by the number of tables, not of rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

TARGET_SECONDS = 2.0
TARGET_RATIO = 0.25  # of openpyxl's load + save of the same file


def _best(fn, repeat: int, setup=None) -> tuple[float, float]:
    """Best wall and best CPU seconds of ``fn`` over ``repeat`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        if setup:
            setup()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def make(employees: int, folder: Path, seed: int = 1) -> Path:
    from bench.generate import fill, office_rows

    path = folder / f"SKP_{employees}.xlsx"
    if not path.exists():
        path.write_bytes(fill(office_rows(0, seed, employees), outputs=True, file=path.name))
    return path


def headless(path: Path, repeat: int) -> dict:
    from openpyxl import load_workbook

    from addin.headless import load_for_recalc, recalc_file, write_patch
    from addin.recalc import evaluate
    from kinerja.gcpause import cyclic_gc_paused

    work = path.with_name("work.xlsx")
    out = path.with_name("out.xlsx")
    t = {}
    t["openpyxl load"] = _best(lambda: load_workbook(path, rich_text=True), repeat)
    book = load_workbook(path, rich_text=True)
    t["openpyxl save"] = _best(lambda: book.save(out), repeat)
    whole = _best(lambda: recalc_file(work), repeat,
                  setup=lambda: shutil.copyfile(path, work))
    with cyclic_gc_paused():  # as recalc_file runs them
        t["read (guard + calamine)"] = _best(lambda: load_for_recalc(path), repeat)
        sheets, _ = load_for_recalc(path)
        t["compute (parse, score, patch)"] = _best(lambda: evaluate(sheets, file=path.name),
                                                   repeat)
        _, patch = evaluate(sheets, file=path.name)
        t["write (sheet XML + zip)"] = _best(lambda: write_patch(path, patch, out), repeat)
    cells = sum(len(b.values) * max((len(r) for r in b.values), default=0)
                for b in patch.blocks)
    return {"whole": whole, "parts": t, "blocks": len(patch.blocks), "cells": cells,
            "clears": len(patch.clears), "command": command(path, repeat)}


def command(path: Path, repeat: int) -> dict:
    """``kinerja recalc FILE`` in a new process: best wall time, and its peak memory."""
    from bench.memory import run_measured

    kinerja = str(Path(sys.executable).with_name("kinerja"))
    work = path.with_name("cli.xlsx")
    runs = []
    for _ in range(repeat):
        shutil.copyfile(path, work)
        runs.append(run_measured([kinerja, "recalc", str(work)]))
    return {"wall": min(r["wall"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs),
            "exit": runs[-1]["exit"]}


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
        parts = h["parts"]
        floor = tuple(a + b for a, b in zip(parts["openpyxl load"], parts["openpyxl save"],
                                            strict=True))
        wall, cpu = h["whole"]
        print(f"\nheadless recalc_file in place, whole (best of {args.repeat}): "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU")
        print(f"  baseline openpyxl load + save, same file, same run: {floor[0]:.2f} s wall, "
              f"{floor[1]:.2f} s CPU")
        for label, i in (("wall", 0), ("CPU", 1)):
            ratio = h["whole"][i] / floor[i]
            print(f"  ratio whole / openpyxl load+save ({label}): {ratio:.3f} "
                  f"(target <= {TARGET_RATIO}: {'OK' if ratio <= TARGET_RATIO else 'MISSED'}); "
                  f"whole {h['whole'][i]:.2f} s (target <= {TARGET_SECONDS:.0f} s: "
                  f"{'OK' if h['whole'][i] <= TARGET_SECONDS else 'MISSED'})")
        for name, (w, c) in parts.items():
            print(f"  {name:32} {w:6.2f} s wall {c:6.2f} s CPU")
        print(f"  patch: {h['blocks']} blocks ({h['cells']} cells), {h['clears']} clears")
        c = h["command"]
        print(f"\n`kinerja recalc FILE` (new process, imports included): {c['wall']:.2f} s wall, "
              f"peak memory {c['peak_mb']:.0f} MB (max RSS), exit {c['exit']}")
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
