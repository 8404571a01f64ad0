"""The README's main job and its command table stay true."""

import re
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from kinerja.cli import app

ROOT = Path(__file__).parent.parent


def test_demo_consolidates_the_examples(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Unit belum mengirim: Dinas Pekerjaan Umum dan Penataan Ruang" in result.output
    # every office's Perjanjian Kinerja is stored, none quarantined
    assert re.search(r"Karantina\s*│\s*0 │", result.output)
    assert not re.search(r"^Karantina ", result.output, re.MULTILINE)
    assert "Perjanjian Kinerja diterima (unit-tahun): 3" in result.output
    assert "Dinas Kesehatan 2025: capaian organisasi" in result.output
    wb = openpyxl.load_workbook(tmp_path / "rekap.xlsx")
    assert "Ringkasan" in wb.sheetnames
    again = CliRunner().invoke(app, ["demo"])
    assert again.exit_code == 0 and re.search(r"Tidak berubah\s*│\s*[1-9]", again.output)


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, name
        assert f"kinerja {name}" in readme, name
