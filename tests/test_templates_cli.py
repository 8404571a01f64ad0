"""`kinerja template` through the real CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kinerja.cli import app
from workbook_templates.reader import read_workbook
from workbook_templates.skp_layout import SKP

runner = CliRunner()


def test_template_writes_a_readable_workbook(tmp_path):
    out = tmp_path / "baru.xlsx"
    result = runner.invoke(app, ["template", "skp", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ditulis" in result.output
    data = read_workbook(out)
    assert data.stamp.template_id == "SKP"
    assert data.findings == []


def test_template_pk(tmp_path):
    out = tmp_path / "pk.xlsx"
    assert runner.invoke(app, ["template", "pk", "-o", str(out)]).exit_code == 0
    assert read_workbook(out).stamp.template_id == "PK"


def test_describe_prints_the_layout():
    result = runner.invoke(app, ["template", "skp", "--describe"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d == json.loads(json.dumps(SKP.describe()))
    rhk = next(t for t in d["tables"] if t["key"] == "rhk")
    assert rhk["sheet"] == "RHK" and rhk["table"] == "tblRHK"
    rating = next(c for c in rhk["columns"] if c["key"] == "rating_hasil")
    assert rating["choices"] == ["Di Atas Ekspektasi", "Sesuai Ekspektasi",
                                 "Di Bawah Ekspektasi"]
    assert rating["io"] == "input" and rating["column"] == SKP.table("rhk").letter("rating_hasil")


def test_unknown_template_is_refused():
    result = runner.invoke(app, ["template", "lkj"])
    assert result.exit_code != 0


def test_help_is_indonesian():
    result = runner.invoke(app, ["template", "--help"])
    assert result.exit_code == 0
    assert "Tulis templat" in result.output
