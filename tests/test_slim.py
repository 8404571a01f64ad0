"""The slim install: the button's code needs pydantic and xlwings only.

A child Python refuses every import of the CLI/sync packages (a sys.meta_path
finder, as if they were not installed), then imports every module packed into
the xlwings Lite code and presses Hitung Ulang on a real workbook's payload.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from addin import lite_build  # noqa: E402
from tests.xlwings_harness import payload_from_xlsx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "python_calamine", "sqlalchemy", "typer", "rich", "openpyxl", "xlsxwriter",
         "defusedxml", "olefile", "numpy", "psycopg", "pyarrow")

CHILD = f"""
import importlib, json, sys

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {HEAVY!r}:
            raise ImportError("tidak terpasang: " + name)

sys.meta_path.insert(0, Refuse())
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
import xlwings as xw
from addin.lite import run
book = xw.Book(json=json.load(sys.stdin))
run("HitungUlang", book)
print(json.dumps([a["func"] for a in book.json()["actions"]]))
"""


def _child(code: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_button_code_runs_without_the_cli_packages():
    with zipfile.ZipFile(BytesIO(lite_build.bundle())) as z:
        modules = [n[:-3].replace("/", ".").removesuffix(".__init__") for n in z.namelist()
                   if n.endswith(".py")]
    assert {"addin.entry", "addin.lite", "addin.recalc", "kinerja.scoring",
            "workbook_templates.reader"} <= set(modules)
    payload = payload_from_xlsx(ROOT / "examples/dinas_pendidikan/SKP_2025.xlsx")
    done = _child(CHILD, json.dumps(modules), stdin=json.dumps(payload))
    assert done.returncode == 0, done.stderr[-3000:]
    funcs = json.loads(done.stdout.splitlines()[-1])
    assert funcs.count("setValues") > 3 and funcs[-1] == "activateSheet"


def test_cli_without_its_packages_says_how_to_install_them():
    code = CHILD.split("for name in")[0] + "import kinerja.cli\n"
    done = _child(code)
    assert done.returncode == 1
    assert 'pip install "kinerja[cli]"' in done.stderr
