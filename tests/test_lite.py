"""The xlwings Lite buttons: stored in the workbook as Lite stores code, same work as the desktop.

The Lite code (main.py) is taken out of a template written by ``kinerja
template`` and run on the xlwings remote engine, the engine Lite's Python
side uses; tests/test_lite_pyodide.py runs the same code under Pyodide.
"""

from __future__ import annotations

import io
import os
import types
import zipfile
from pathlib import Path
from xml.etree import ElementTree

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import openpyxl  # noqa: E402
import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from addin import entry, lite_build  # noqa: E402
from kinerja.cli import app  # noqa: E402
from tests.xlwings_harness import apply_actions, payload_from_xlsx, xw  # noqa: E402

EXAMPLE = "examples/dinas_pendidikan/SKP_2025.xlsx"


def lite_module(path) -> types.ModuleType:
    """The workbook's main.py as a module, as Lite loads it."""
    module = types.ModuleType("main")
    code = lite_build.lite_code(path)["main.py"]
    exec(compile(code, "main.py", "exec"), module.__dict__)
    return module


@pytest.fixture(scope="module")
def lite_main(tmp_path_factory) -> types.ModuleType:
    return lite_module(_template(tmp_path_factory.mktemp("lite")))


def _template(tmp_path, *extra: str, jenis: str = "skp"):
    out = tmp_path / f"{jenis}.xlsx"
    result = CliRunner().invoke(app, ["template", jenis, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def _actions(path, run) -> list[dict]:
    book = xw.Book(json=payload_from_xlsx(path))
    run(book)
    return book.json()["actions"]


def test_template_carries_the_lite_code_where_lite_keeps_it(tmp_path):
    path = _template(tmp_path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rels = ElementTree.fromstring(parts["_rels/.rels"])
    pane = [r.get("Target") for r in rels if r.get("Type") == lite_build.REL_TASKPANES]
    assert pane == ["xl/webextensions/taskpanes.xml"]
    ext = ElementTree.fromstring(parts["xl/webextensions/webextension1.xml"])
    ref = ext.find(f"{{{lite_build.WE_NS}}}reference")
    assert (ref.get("id"), ref.get("storeType")) == ("wa200008175", "OMEX")
    types_xml = parts["[Content_Types].xml"].decode()
    assert lite_build.CT_WEBEXTENSION in types_xml and lite_build.CT_TASKPANES in types_xml
    requirements = lite_build.lite_code(path)["requirements.txt"]
    assert requirements.split()[0] == "xlwings" and "pydantic" in requirements
    module = lite_module(path)
    assert callable(module.hitung_ulang) and callable(module.periksa)
    # the rest of the template is what the builder wrote: the clerk's sheets all there
    assert openpyxl.load_workbook(path).sheetnames[:2] == ["Petunjuk", "Identitas"]


def test_every_lite_script_runs_a_ribbon_action():
    assert {control for _, control in lite_build.SCRIPTS.values()} == set(entry.ACTIONS)


@pytest.mark.parametrize("path", [EXAMPLE, "examples/bkpsdm/PK_2025.xlsx"])
def test_lite_hitung_ulang_writes_what_the_desktop_button_writes(tmp_path, path, lite_main):
    lite = _actions(path, lite_main.hitung_ulang)
    desktop = _actions(path, entry.hitung_ulang)
    assert desktop[-1]["func"] == "alert"
    # no alert: the summary goes into Validasi!A2 and that sheet comes to the front
    assert lite[:-2] == desktop[:-1]
    message, front = lite[-2:]
    assert message["func"] == "setValues" and (message["start_row"], message["start_column"]) \
        == (1, 0)
    assert message["values"] == [[desktop[-1]["args"][0]]]
    assert front["func"] == "activateSheet"
    out = apply_actions(path, lite, tmp_path / "hasil.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.active.title == "Validasi"
    assert wb["Validasi"]["A2"].value.startswith("Hitung Ulang selesai:")


def test_lite_reads_settings_from_the_kinerja_conf_sheet(tmp_path):
    """A stricter cap on capaian in the instansi's settings changes the capaian Lite writes."""
    toml = tmp_path / "kinerja.toml"
    toml.write_text("[capaian]\ncap_skp = 100\n", encoding="utf-8")
    module = lite_module(_template(tmp_path, "--pengaturan", str(toml)))
    source = tmp_path / "isi.xlsx"
    lite_build.embed_file(EXAMPLE, source, settings=toml)

    def capaian(actions) -> list:
        return [v for a in actions if a["func"] == "setValues" for row in a["values"]
                for v in row if isinstance(v, float)]

    capped = capaian(_actions(source, module.hitung_ulang))
    default = capaian(_actions(EXAMPLE, module.hitung_ulang))
    assert max(default) > 100 and max(capped) <= 100


def test_broken_settings_sheet_is_reported_in_the_workbook(tmp_path, lite_main):
    toml = tmp_path / "kinerja.toml"
    toml.write_text("[capaian]\ncap_skp = 100\n", encoding="utf-8")
    source = tmp_path / "rusak.xlsx"
    lite_build.embed_file(EXAMPLE, source, settings=toml)
    data = lite_build.embed(source.read_bytes(), "[capaian]\ncap_skp = seratus\n")
    source.write_bytes(data)
    actions = _actions(source, lite_main.hitung_ulang)
    assert [a["func"] for a in actions] == ["setValues", "activateSheet"]  # nothing else
    assert "Sheet kinerja.conf tidak dapat dipakai" in actions[0]["values"][0][0]


def test_embedding_twice_keeps_one_copy_and_the_rest_byte_for_byte():
    original = Path(EXAMPLE).read_bytes()
    once = lite_build.embed(original)
    assert lite_build.embed(once) == once
    with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(once)) as b:
        for name in a.namelist():
            if name not in ("[Content_Types].xml", "_rels/.rels"):
                assert a.read(name) == b.read(name), name


def test_cli_lite_refuses_what_is_not_a_workbook(tmp_path):
    bad = tmp_path / "bukan.xlsx"
    bad.write_text("bukan zip")
    result = CliRunner().invoke(app, ["addin", "lite", str(bad)])
    assert result.exit_code == 2 and "bukan berkas .xlsx" in " ".join(result.output.split())
