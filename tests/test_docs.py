"""The docs say what the product does now: FAQ from the catalog, pictures no older than the
layout they show, every picture referenced exists. Regenerate with ``python -m docs.screenshots``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from docs.faq import FAQ, faq_markdown, in_words
from docs.screenshots import IMG, MANIFEST, SHOTS, sheet_hash
from kinerja.findings import CATALOG
from workbook_templates.templates import LAYOUTS

REGENERATE = "run `python -m docs.screenshots` and commit docs/"
ROOT = IMG.parent.parent
PANDUAN = ROOT / "docs" / "panduan.md"
README = ROOT / "README.md"


def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["pictures"]


def test_faq_has_an_entry_for_every_finding_code():
    text = FAQ.read_text(encoding="utf-8")
    missing = [code for code in CATALOG if f"### `{code}`:" not in text]
    assert not missing, f"codes without an FAQ entry: {missing}; {REGENERATE} --faq"


def test_faq_is_what_the_catalog_gives():
    assert FAQ.read_text(encoding="utf-8") == faq_markdown(), f"docs/faq.md is stale; {REGENERATE}"


def test_faq_shows_placeholders_in_words():
    assert in_words("NIP {value!r}: {detail}") == "NIP ‹nilai yang ditemukan›: ‹rincian›"
    assert in_words("Kolom '{field}' wajib diisi") == "Kolom ‹nama kolom› wajib diisi"
    assert "{" not in faq_markdown()


def test_every_picture_of_the_pipeline_is_in_the_manifest_and_on_disk():
    pictures = manifest()
    for shot in SHOTS:
        assert f"{shot.name}.png" in pictures, f"{shot.name} not in manifest; {REGENERATE}"
        assert (IMG / f"{shot.name}.png").exists(), f"{shot.name}.png missing; {REGENERATE}"
        assert pictures[f"{shot.name}.png"]["sheet"] == shot.sheet


def _template_pictures():
    return [(name, e) for name, e in manifest().items() if e.get("template")]


@pytest.mark.parametrize(("name", "entry"), _template_pictures(), ids=lambda v: str(v)[:30])
def test_picture_is_not_older_than_the_layout_it_shows(name, entry):
    layout = LAYOUTS[entry["template"]]
    assert entry["layout_version"] == layout.layout_version, (
        f"{name} shows {entry['template']} layout {entry['layout_version']}, the template is now "
        f"{layout.layout_version}; {REGENERATE}")
    assert entry["layout_hash"] == sheet_hash(layout, entry["sheet"]), (
        f"{name}: sheet {entry['sheet']} of the {entry['template']} layout changed since the "
        f"picture was made; {REGENERATE}")


def test_rekap_pictures_show_the_rekap_columns_of_today(tmp_path):
    from python_calamine import CalamineWorkbook

    from sync.rekap import Rekap, write_rekap
    from sync.rekap_pk import HEADERS as PK_HEADERS
    from sync.rekap_pk import SHEET as PK_SHEET

    wb = CalamineWorkbook.from_path(str(write_rekap(Rekap(), tmp_path / "rekap.xlsx")))
    rekap = [(name, e) for name, e in manifest().items()
             if e.get("template") is None and not e.get("document")]
    assert rekap, "no rekap pictures in the manifest"
    for name, entry in rekap:
        if entry["sheet"] == PK_SHEET:  # written only when the master holds a PK
            headers = PK_HEADERS
        else:
            headers = [str(v) for v in wb.get_sheet_by_name(entry["sheet"]).to_python()[0] if v]
        assert entry["headers"] == headers, f"{name}: rekap columns changed; {REGENERATE}"


@pytest.mark.parametrize("doc", [PANDUAN, README], ids=["panduan", "README"])
def test_pictures_referenced_by_the_docs_come_from_the_pipeline(doc):
    text = doc.read_text(encoding="utf-8")
    if doc == README:
        text = text.split("<!-- tur -->")[1].split("<!-- /tur -->")[0]
    refs = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
    assert refs
    names = {f"{s.name}.png" for s in SHOTS}
    for ref in refs:
        assert ref.rsplit("/", 1)[-1] in names, f"{doc.name}: {ref} is not made by the pipeline"


def test_readme_tour_shows_the_three_pictures_of_issue_3():
    tour = README.read_text(encoding="utf-8").split("<!-- tur -->")[1].split("<!-- /tur -->")[0]
    for picture in ("skp_rhk.png", "skp_hasil.png", "skp_validasi.png"):
        assert f"docs/img/{picture}" in tour


def test_every_step_of_the_guide_has_a_picture_or_a_command():
    sections = re.split(r"\n### ", PANDUAN.read_text(encoding="utf-8"))[1:]
    bare = [s.splitlines()[0] for s in sections if "![" not in s and "```" not in s]
    assert not bare, f"steps without a screenshot or command: {bare}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_panduan_pdf_has_every_heading_of_the_guide():
    pdf = ROOT / "docs" / "panduan.pdf"
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   check=True, text=True).stdout.split())
    headings = re.findall(r"^#+ (.+)$", PANDUAN.read_text(encoding="utf-8"), flags=re.M)
    missing = [h for h in headings if re.sub(r"[`*]", "", h) not in text]
    assert not missing, f"docs/panduan.pdf lacks {missing}; {REGENERATE}"
