"""Sync benchmark: ``kinerja sync`` against a clerk's pandas script and the calamine floor.

    python -m bench.sync --files 1000

On the same N generated office workbooks (bench/generate.py; made once and
reused from ``--dir``), each phase in its own process, so that its peak
memory is its own:

a. naive: what a data clerk writes: ``pandas.read_excel(engine="openpyxl",
   sheet_name=None)`` over every file and ``pd.concat`` per sheet, no
   validation. Above ``--sample`` files, a sample is timed and extrapolated
   linearly (said so in the output);
b. floor: python-calamine reading every sheet of every file, nothing else:
   once in one process (b1) and once over as many processes as sync uses (b);
c. ``run_sync`` end to end into a new SQLite master (read, validate,
   recompute, store);
d. ``run_sync`` again, nothing changed.

Prints c/a, c/b, d, and the peak RSS of each phase's process tree (sampled
from /proc: this process and its workers together; getrusage's ru_maxrss is
printed beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.memory import PeakSampler, cpu_seconds, maxrss_mb

TARGETS = {"c/a": 10.0, "c/b": 3.0, "d": 1.0, "mem_mb": 500.0}


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.xlsx"))


def _naive(files: list[str], sample: int) -> dict:
    import pandas as pd

    part = files if len(files) <= sample else files[:: max(1, len(files) // sample)][:sample]
    start = time.perf_counter()
    by_sheet: dict[str, list] = {}
    for p in part:
        for name, df in pd.read_excel(p, sheet_name=None, engine="openpyxl").items():
            by_sheet.setdefault(name, []).append(df.assign(berkas=p))
    tables = {name: pd.concat(frames, ignore_index=True) for name, frames in by_sheet.items()}
    took = time.perf_counter() - start
    rows = sum(len(t) for t in tables.values())
    return {"seconds": took * len(files) / len(part), "measured_files": len(part),
            "measured_seconds": took, "rows": rows,
            "extrapolated": len(part) < len(files)}


def _calamine_one(path: str) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    return sum(len(wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
               for n in wb.sheet_names)


def _calamine(files: list[str], workers: int) -> dict:
    start = time.perf_counter()
    if workers <= 1:
        rows = sum(_calamine_one(p) for p in files)
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            rows = sum(pool.map(_calamine_one, files, chunksize=8))
    return {"seconds": time.perf_counter() - start, "rows": rows, "workers": workers}


def _sync(folder: str, db: str, workers: int | None) -> dict:
    from sync.run import run_sync

    start = time.perf_counter()
    s = run_sync([folder], db_url=f"sqlite:///{db}", workers=workers)
    return {"seconds": time.perf_counter() - start, "diterima": s.diterima,
            "karantina": s.karantina, "tidak_berubah": s.tidak_berubah,
            "pegawai": s.baris_ditambah, "baris_ditolak": s.baris_ditolak}


def phase(name: str, folder: str, db: str, sample: int, workers: int) -> dict:
    """Run one phase in this process and measure it (called in a child process)."""
    files = _files(Path(folder))
    if name == "naive":
        out = _naive(files, sample)
    elif name == "calamine1":
        out = _calamine(files, 1)
    elif name == "calamine":
        out = _calamine(files, workers)
    elif name in ("sync", "resync"):
        out = _sync(folder, db, workers)
    else:
        raise ValueError(name)
    self_mb, child_mb = maxrss_mb()
    return {**out, "phase": name, "cpu_seconds": cpu_seconds(), "files": len(files),
            "maxrss_self_mb": self_mb, "maxrss_child_mb": child_mb}


def _run_phase(name: str, args, db: str) -> dict:
    """One phase in a new process, its memory sampled from here (a sampler thread inside
    would share the interpreter lock with the sync's writer)."""
    cmd = [sys.executable, "-m", "bench.sync", "--phase", name, "--dir", args.dir,
           "--db", db, "--sample", str(args.sample), "--workers", str(args.workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakSampler(pid=proc.pid) as mem:
        out, err = proc.communicate()
    if proc.returncode:
        sys.stderr.write(err)
        raise SystemExit(f"phase {name} failed")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_tree_mb": mem.peak_mb}


def _ensure_files(args) -> float | None:
    folder = Path(args.dir)
    marker = folder / f".generated-{args.files}-seed{args.seed}"
    if marker.exists() or (folder.exists() and len(_files(folder)) == args.files):
        return None
    import shutil

    from bench.generate import generate

    if folder.exists():
        shutil.rmtree(folder)
    start = time.perf_counter()
    generate(args.files, folder, seed=args.seed)
    took = time.perf_counter() - start
    marker.write_text(f"{took:.1f}\n")
    return took


def _warm(folder: str) -> None:
    """Read every file once, so every phase finds them in the page cache."""
    for p in _files(Path(folder)):
        Path(p).read_bytes()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--dir", default=None, help="where the workbooks are (made if missing)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=50,
                    help="files timed for the naive pandas read; more are extrapolated")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", default=None, help="also write the results here")
    ap.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.dir = args.dir or f"/tmp/kinerja-bench/files-{args.files}"
    if args.phase:
        print(json.dumps(phase(args.phase, args.dir, args.db, args.sample, args.workers)))
        return

    made = _ensure_files(args)
    if made is not None:
        print(f"generated {args.files} workbooks in {made:.1f} s")
    _warm(args.dir)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "master.db")
        load = Path("/proc/loadavg").read_text().split()[:3]
        res = {name: _run_phase(name, args, db)
               for name in ("naive", "calamine1", "calamine", "sync", "resync")}
        res["loadavg"] = " ".join(load)
    report(res, args)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))


def report(res: dict, args) -> None:
    a, b1, b = res["naive"], res["calamine1"], res["calamine"]
    c, d = res["sync"], res["resync"]
    n = c["files"]
    print(f"\n{n} workbooks, {c['pegawai']} employees, {args.workers} worker processes")
    note = (f"  (EXTRAPOLATED linearly from {a['measured_files']} files timed: "
            f"{a['measured_seconds']:.1f} s)") if a["extrapolated"] else ""
    rows = [
        ("a  naive pandas+openpyxl", a["seconds"], a["peak_tree_mb"], note),
        ("b1 calamine floor, 1 process", b1["seconds"], b1["peak_tree_mb"], ""),
        (f"b  calamine floor, {b['workers']} processes", b["seconds"], b["peak_tree_mb"], ""),
        ("c  kinerja sync, cold", c["seconds"], c["peak_tree_mb"],
         f"  (diterima {c['diterima']}, karantina {c['karantina']})"),
        ("d  kinerja sync, unchanged", d["seconds"], d["peak_tree_mb"],
         f"  (tidak berubah {d['tidak_berubah']})"),
    ]
    print(f"{'phase':38} {'seconds':>9} {'ms/file':>8} {'CPU s':>8} {'peak MB':>8}")
    for (label, sec, mb, extra), r in zip(rows, (a, b1, b, c, d), strict=True):
        cpu = r["cpu_seconds"] * (a["seconds"] / a["measured_seconds"] if r is a else 1)
        print(f"{label:38} {sec:9.2f} {sec / n * 1000:8.1f} {cpu:8.1f} {mb:8.0f}{extra}")
    print(f"(load average before the run: {res['loadavg']}; CPU s = user+system of the "
          "phase's process tree, the measure that other load on the machine disturbs least)")
    ca, cb, cb1 = a["seconds"] / c["seconds"], c["seconds"] / b["seconds"], \
        c["seconds"] / b1["seconds"]
    print(f"\nc/a = {1 / ca:.3f}: sync is {ca:.1f}x faster than naive "
          f"(target >= {TARGETS['c/a']:.0f}x): "
          f"{'OK' if ca >= TARGETS['c/a'] else 'MISSED'}")
    print(f"sync / calamine floor (c/b) = {cb:.2f} (target <= {TARGETS['c/b']:.0f}): "
          f"{'OK' if cb <= TARGETS['c/b'] else 'MISSED'}; against 1 process (c/b1) = {cb1:.2f}")
    print(f"re-sync unchanged (d) = {d['seconds']:.2f} s (target <= {TARGETS['d']:.0f} s): "
          f"{'OK' if d['seconds'] <= TARGETS['d'] else 'MISSED'}")
    print(f"sync peak memory (process tree, sampled) = {c['peak_tree_mb']:.0f} MB "
          f"(target <= {TARGETS['mem_mb']:.0f} MB): "
          f"{'OK' if c['peak_tree_mb'] <= TARGETS['mem_mb'] else 'MISSED'}; "
          f"ru_maxrss self {c['maxrss_self_mb']:.0f} MB, largest worker "
          f"{c['maxrss_child_mb']:.0f} MB")


if __name__ == "__main__":
    main()
