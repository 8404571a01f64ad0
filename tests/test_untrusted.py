"""Untrusted workbooks: every bad input of the corpus gets its specific finding, nothing crashes."""

import openpyxl
import pytest
from typer.testing import CliRunner

from kinerja.cli import app
from tests.corpus import build
from workbook_templates.guard import MAX_UNCOMPRESSED_BYTES, inspect
from workbook_templates.reader import read_workbook


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("korpus"))


def test_corpus_covers_the_issue(corpus):
    assert len(corpus) >= 24
    assert {c.code for c in corpus} >= {
        "BERKAS_RUSAK", "BUKAN_WORKBOOK", "BERKAS_TERENKRIPSI", "SHEET_HILANG", "KOLOM_BERUBAH",
        "VERSI_TEMPLAT_LAMA", "NIP_TIDAK_VALID", "TANGGAL_TIDAK_VALID", "NIP_GANDA",
        "BERKAS_BERMAKRO", "TAUTAN_EKSTERNAL", "BERKAS_BERBAHAYA", "RUMUS_GALAT", "BUKAN_TEMPLAT",
        "KONFLIK_DATA", "BERKAS_GANDA"}


def test_every_case_gets_its_finding_from_the_reader(corpus):
    for case in [c for c in corpus if not c.sync_only]:
        data = read_workbook(case.path)
        found = {(f.code, f.sheet) for f in data.findings}
        if case.code is None:
            assert not [f for f in data.findings if f.is_error], (case.name, data.findings)
        else:
            assert any(code == case.code and (case.sheet is None or sheet == case.sheet)
                       for code, sheet in found), (case.name, found)
        if case.readable and case.code in (None, "BERKAS_BERMAKRO", "TAUTAN_EKSTERNAL"):
            assert data.pegawai, case.name  # good rows are kept


def test_validate_cli_names_each_problem_and_goes_on(corpus):
    result = CliRunner().invoke(app, ["validate", "--json", *(str(c.path) for c in corpus)])
    assert result.exit_code == 1
    for case in corpus:
        if case.code and not case.sync_only:
            assert case.code in result.output, case.name


def test_hostile_files_are_refused_before_any_parser(corpus):
    for case in corpus:
        if case.code == "BERKAS_BERBAHAYA":
            assert [f.code for f in inspect(case.path)] == ["BERKAS_BERBAHAYA"]
    assert MAX_UNCOMPRESSED_BYTES == 400 * 1024 * 1024


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_text_that_looks_like_a_formula_is_read_as_text(corpus):
    case = next(c for c in corpus if c.name == "teks diawali =")
    data = read_workbook(case.path)
    assert data.pegawai[0].nama.startswith("=HYPERLINK")
