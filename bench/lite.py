"""Hitung Ulang under Pyodide (the Python of xlwings Lite) against CPython, one big workbook.

    python -m bench.lite --employees 1000

The workbook is bench/generate.py's SKP of N employees; its xlwings payload goes to
the Lite ``main.py`` that ``kinerja template`` embeds, run once under CPython
(baseline, same run) and once under Pyodide in Node (tests/pyodide_run.mjs, the
wheels Lite installs). Printed: seconds from payload to actions for each button,
and the ratio Pyodide / CPython. Browser WebAssembly is of the order of Node's.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import tempfile
import time
import types
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def main(argv: list[str] | None = None) -> None:
    import xlwings as xw

    from addin import lite_build
    from bench.generate import fill, office_rows
    from tests.test_lite_pyodide import lite_wheels, pyodide_package
    from tests.xlwings_harness import payload_from_xlsx

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--employees", type=int, default=1000)
    n = args.parse_args(argv).employees
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "skp.xlsx"
        book.write_bytes(lite_build.embed(fill(office_rows(0, 1, employees=n))))
        code = lite_build.lite_code(book)["main.py"]
        (Path(tmp) / "main.py").write_text(code, encoding="utf-8")
        payload = payload_from_xlsx(book)
        (Path(tmp) / "payloads.json").write_text(json.dumps({"besar": payload}))
        module = types.ModuleType("main")
        exec(compile(code, "main.py", "exec"), module.__dict__)
        cpython = {}
        for script in lite_build.SCRIPTS:
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # the button prints its summary
                getattr(module, script)(xw.Book(json=payload))
            cpython[script] = time.perf_counter() - started
        run = subprocess.run(["node", str(Path("tests/pyodide_run.mjs").resolve()),
                              str(pyodide_package()), str(lite_wheels()), f"{tmp}/main.py",
                              f"{tmp}/payloads.json", f"{tmp}/out.json"],
                             capture_output=True, text=True, check=True)
        seconds = json.loads(Path(f"{tmp}/out.json").read_text())["_seconds"]
    loaded = run.stdout.strip().splitlines()[-1]  # "pyodide V: S s", loading included
    print(f"Hitung Ulang, {n} pegawai ({loaded} in all, loading included)")
    for script in lite_build.SCRIPTS:
        py = seconds[f"besar/{script}"]
        print(f"  {script}: CPython {cpython[script]:.2f} s, Pyodide {py:.2f} s "
              f"({py / cpython[script]:.1f}x)")


if __name__ == "__main__":
    main()
