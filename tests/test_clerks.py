"""Hand-edited workbooks (tests/clerks): each reads equal to its twin or names its finding."""

from __future__ import annotations

import pytest

from tests.clerks import ClerkCase, build, content, twin
from workbook_templates.reader import read_skp


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[dict, list[ClerkCase]]:
    folder = tmp_path_factory.mktemp("juru_ketik")
    return content(read_skp(twin(folder))), build(folder)


def test_the_twin_reads_clean(tmp_path):
    skp = read_skp(twin(tmp_path))
    assert not [f for f in skp.findings if f.is_error], skp.findings
    assert (len(skp.pegawai), len(skp.rhk), len(skp.perilaku)) == (3, 8, 6)


def test_each_case_reads_as_its_twin_or_names_its_finding(corpus):
    expected, cases = corpus
    for case in cases:
        skp = read_skp(case.path)
        got = content(skp)
        errors = [f for f in skp.findings if f.is_error]
        if case.code is None:
            assert not errors, (case.name, errors)
            assert got == expected, case.name
            continue
        assert any(f.code == case.code and (case.sheet is None or f.sheet == case.sheet)
                   and (case.cell is None or f.cell == case.cell)
                   for f in skp.findings), (case.name, [(f.code, f.sheet, f.cell)
                                                        for f in skp.findings])
        differs = sum(len(set(got[t]) - set(expected[t])) for t in ("pegawai", "rhk",
                                                                     "perilaku"))
        assert differs == case.differs, (case.name, differs)  # other rows kept, as typed
        lost = sum(len(expected[t]) - len(got[t]) for t in ("pegawai", "rhk", "perilaku"))
        assert lost == case.rejected, (case.name, lost)
