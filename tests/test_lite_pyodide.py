"""Hitung Ulang under Pyodide (the Python of xlwings Lite) equals Hitung Ulang under CPython.

Node runs ``tests/pyodide_run.mjs``: the ``pyodide`` npm package, the wheels
Lite would install (xlwings and pydantic at the versions installed here,
pydantic-core as its Pyodide wheel from PyPI) and the ``main.py`` stored in a
template by ``kinerja template``. xlwings' own ``custom_scripts_call`` runs
each ``@script`` on the payload of a real workbook, as Lite does; the queued
actions must equal those of the same main.py under CPython.

Downloads (npm, PyPI) land in tests/.pyodide and are reused. Needs node and
npm (scripts/test installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pydantic  # noqa: E402
import pytest  # noqa: E402

from addin import lite_build  # noqa: E402
from tests.xlwings_harness import payload_from_xlsx, xw  # noqa: E402

PYODIDE_VERSION = "314.0.7"  # Python 3.14, wheels tagged pyemscripten_2026_0 (as Lite 2026)
WHEEL_PLATFORM = "pyemscripten_2026_0_wasm32"
CACHE = Path(__file__).parent / ".pyodide"
ROOT = Path(__file__).resolve().parent.parent
SKP_EXAMPLE = ROOT / "examples/dinas_pendidikan/SKP_2025.xlsx"
WORKBOOKS = [*sorted(ROOT.glob("examples/*/*_2025.xlsx")),
             ROOT / "workbook_templates/skp.xlsx", ROOT / "workbook_templates/pk.xlsx"]


def _run(cmd: list[str], **kw) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    assert done.returncode == 0, f"{cmd[0]} gagal:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


@pytest.fixture(scope="module")
def pyodide_dir() -> Path:
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.fail("node/npm tidak ada: jalankan scripts/test (memasang nodejs dan npm)")
    return pyodide_package()


def pyodide_package() -> Path:
    """The npm pyodide package, installed into the cache once (bench/lite.py uses it too)."""
    target = CACHE / f"npm-{PYODIDE_VERSION}"
    package = target / "node_modules" / "pyodide"
    if not (package / "pyodide.asm.wasm").exists():
        _run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
              str(target), f"pyodide@{PYODIDE_VERSION}"])
    return package


@pytest.fixture(scope="module")
def wheels() -> Path:
    return lite_wheels()


def lite_wheels() -> Path:
    """The wheels of what requirements.txt names, at the versions CPython runs here."""
    target = CACHE / f"wheels-{xw.__version__}-{pydantic.VERSION}"
    if not any(target.glob("pydantic_core-*.whl")):
        _run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
              "--platform", WHEEL_PLATFORM, "--platform", "any", "--python-version", "3.14",
              "--implementation", "cp", "--abi", "cp314", "--abi", "none", "-d", str(target),
              f"xlwings=={xw.__version__}", f"pydantic=={pydantic.VERSION}"])
    return target


def _cpython(main_code: str, payloads: dict[str, dict]) -> dict[str, list]:
    module = types.ModuleType("main")
    exec(compile(main_code, "main.py", "exec"), module.__dict__)
    out = {}
    for key, payload in payloads.items():
        for script in lite_build.SCRIPTS:
            book = xw.Book(json=payload)
            getattr(module, script)(book)
            out[f"{key}/{script}"] = json.loads(json.dumps(book.json()["actions"], default=str))
            book.close()
    return out


def test_hitung_ulang_under_pyodide_equals_cpython(tmp_path, pyodide_dir, wheels):
    template = tmp_path / "skp.xlsx"
    template.write_bytes(lite_build.embed((ROOT / "workbook_templates/skp.xlsx").read_bytes()))
    main_code = lite_build.lite_code(template)["main.py"]
    (tmp_path / "main.py").write_text(main_code, encoding="utf-8")
    with_settings = tmp_path / "pengaturan.xlsx"  # settings read from the sheet in Pyodide too
    with_settings.write_bytes(lite_build.embed(SKP_EXAMPLE.read_bytes(),
                                               "[capaian]\ncap_skp = 100\n"))
    payloads = {str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p.name):
                payload_from_xlsx(p) for p in [*WORKBOOKS, with_settings]}
    (tmp_path / "payloads.json").write_text(json.dumps(payloads), encoding="utf-8")

    _run(["node", str(Path(__file__).with_name("pyodide_run.mjs")), str(pyodide_dir),
          str(wheels), str(tmp_path / "main.py"), str(tmp_path / "payloads.json"),
          str(tmp_path / "out.json")])
    pyodide = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    pyodide.pop("_seconds")
    assert pyodide.pop("_platform") == "emscripten"
    assert pyodide.pop("_python").startswith("3.14")
    assert sorted(pyodide.pop("_scripts")) == sorted(lite_build.SCRIPTS)
    cpython = _cpython(main_code, payloads)
    assert sorted(pyodide) == sorted(cpython)
    for key in cpython:
        assert pyodide[key] == cpython[key], key
    # it did the work: results written, the summary in Validasi!A2 of every workbook
    example = cpython[f"{SKP_EXAMPLE.relative_to(ROOT)}/hitung_ulang"]
    assert len(example) > 3 and example[-1]["func"] == "activateSheet"
    assert cpython[f"{with_settings.name}/hitung_ulang"] != example
