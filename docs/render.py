"""One sheet of a real workbook as a picture: openpyxl copy → LibreOffice PDF → cropped PNG.

To print one sheet, a temporary copy of the workbook is made in which every
other sheet is hidden (LibreOffice does not export hidden sheets) and the
chosen sheet is active, has a print area of the interesting rows and is fitted
on one page. The PDF page is then cropped to its ink: a low-resolution PPM
(trivial to parse, so no imaging library is needed) gives the bounding box of
the non-white pixels, and ``pdftoppm -x -y -W -H`` renders just that box at the
resolution that makes it ``width`` pixels wide.
"""

from __future__ import annotations

import html
import math
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

PROBE_DPI = 50
PAD_PX = 14
MAX_DPI = 130  # a narrow sheet is not blown up beyond this
CHAR_WIDTH = 1.0  # characters per unit of Excel column width
LINE_PT = 15.0


class RenderError(RuntimeError):
    """Raised when LibreOffice or poppler fails, or the PDF does not show the chosen sheet."""


@dataclass(frozen=True)
class Area:
    """What of a sheet to print: the last row (None: up to the last filled row) and
    the columns (None: up to the last filled column)."""

    last_row: int | None = None
    cols: tuple[str, str] | None = None  # first and last column letters to print
    max_rows: int | None = None  # at most this many rows when last_row is None


def used_area(ws) -> tuple[int, int]:
    """The last row and column holding a value or a chart (template rows are styled far
    below the data, so ``max_row`` is no guide)."""
    last_row = last_col = 1
    for row in ws.iter_rows():
        for c in row:
            if c.value not in (None, ""):
                last_row, last_col = max(last_row, c.row), max(last_col, c.column)
    for chart in ws._charts:
        to = getattr(chart.anchor, "to", None) or chart.anchor._from
        last_row, last_col = max(last_row, to.row + 1), max(last_col, to.col + 1)
    return last_row, last_col


def one_sheet_copy(src: Path, sheet: str, dest: Path, area: Area = Area()) -> Path:
    """A copy of ``src`` in which only ``sheet`` prints, fitted on one landscape page.

    The copy is edited as a zip (workbook.xml and the sheet's XML) rather than loaded
    and saved with openpyxl, which would re-generate charts and lose their data labels.
    """
    wb = load_workbook(src, read_only=False)
    if sheet not in wb.sheetnames:
        raise RenderError(f"{src.name} has no sheet {sheet!r}")
    index = wb.sheetnames.index(sheet)
    last_row, last_col = used_area(wb[sheet])
    if area.last_row:
        last_row = area.last_row
    elif area.max_rows:
        last_row = min(last_row, area.max_rows)
    first, last = area.cols or ("A", get_column_letter(last_col))
    quoted = "'" + sheet.replace("'", "''") + "'"
    print_area = f"{quoted}!${first}$1:${last}${last_row}"
    heights = fitted_heights(wb[sheet], last_row)
    with zipfile.ZipFile(src) as zin:
        book = zin.read("xl/workbook.xml").decode("utf-8")
        rels = zin.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        part = _sheet_part(book, rels, sheet)
        parts = {name: zin.read(name) for name in zin.namelist()}
    parts["xl/workbook.xml"] = _only_sheet_book(book, sheet, index, print_area).encode()
    parts[part] = _set_heights(_fit_one_page(parts[part].decode("utf-8")), heights).encode()
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return dest


def fitted_heights(ws, last_row: int) -> dict[int, float]:
    """Row heights (points) that show wrapped text whole, as Excel's autofit would on
    opening; LibreOffice keeps the default height for rows of an .xlsx without one."""
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            widths.update(dict.fromkeys(range(dim.min, (dim.max or dim.min) + 1), dim.width))
    # a merged cell wraps over the width of all its columns (the PK statement's paragraphs)
    spans = {(m.min_row, m.min_col): range(m.min_col, m.max_col + 1)
             for m in ws.merged_cells.ranges}
    heights = {}
    for row in ws.iter_rows(min_row=1, max_row=last_row):
        lines = 1
        for c in row:
            # a formula's own text says nothing of the length of what it shows
            if isinstance(c.value, str) and c.alignment and c.alignment.wrap_text and \
                    not c.value.startswith("="):
                width = sum(widths.get(k, 8.43) for k in spans.get((c.row, c.column),
                                                                    (c.column,)))
                per_line = max(width / CHAR_WIDTH, 1)
                lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line)
                                       for part in c.value.split("\n")))
        given = ws.row_dimensions[row[0].row].height or 0  # the writer's own, if taller
        if lines > 1 or given > LINE_PT:
            heights[row[0].row] = max(round(lines * LINE_PT, 1), given)
    return heights


def _set_heights(xml: str, heights: dict[int, float]) -> str:
    def row_tag(m: re.Match) -> str:
        ht = heights.get(int(m[1]))
        return m[0] if ht is None else _attr(_attr(m[0], "ht", str(ht)), "customHeight", "1")

    return re.sub(r'<row\b[^>]*?\br="(\d+)"[^>]*>', row_tag, xml)


def _attr(tag: str, name: str, value: str) -> str:
    """``tag`` (an opening tag's text) with attribute ``name`` set to ``value``."""
    tag = re.sub(rf'\s{name}="[^"]*"', "", tag)
    end = -2 if tag.endswith("/>") else -1
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def _sheet_part(book: str, rels: str, sheet: str) -> str:
    for tag in re.findall(r"<sheet\b[^>]*>", book):
        if html.unescape(re.search(r'name="([^"]*)"', tag)[1]) == sheet:
            rid = re.search(r'r:id="([^"]*)"', tag)[1]
            for rel in re.findall(r"<Relationship\b[^>]*>", rels):
                if f'Id="{rid}"' in rel:
                    target = re.search(r'Target="([^"]*)"', rel)[1]
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise RenderError(f"sheet {sheet!r} not found in workbook.xml")


def _only_sheet_book(book: str, sheet: str, index: int, print_area: str) -> str:
    def sheet_tag(m: re.Match) -> str:
        tag = m[0]
        name = html.unescape(re.search(r'name="([^"]*)"', tag)[1])
        return _attr(tag, "state", "visible" if name == sheet else "hidden")

    book = re.sub(r"<sheet\b[^>]*>", sheet_tag, book)
    book = re.sub(r"<workbookView\b[^>]*>",
                  lambda m: _attr(_attr(m[0], "activeTab", str(index)), "firstSheet", "0"), book)
    book = re.sub(rf'<definedName name="_xlnm\.Print_(Area|Titles)" localSheetId="{index}"'
                  r"[^>]*>[^<]*</definedName>", "", book)
    name = (f'<definedName name="_xlnm.Print_Area" localSheetId="{index}">'
            f"{html.escape(print_area, quote=False)}</definedName>")
    if "<definedNames>" in book:
        return book.replace("<definedNames>", "<definedNames>" + name, 1)
    return book.replace("</sheets>", f"</sheets><definedNames>{name}</definedNames>", 1)


_AFTER_PAGE_SETUP = ("headerFooter", "rowBreaks", "colBreaks", "customProperties",
                     "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                     "legacyDrawingHF", "picture", "oleObjects", "controls",
                     "webPublishItems", "tableParts", "extLst")


def _fit_one_page(xml: str) -> str:
    fit = '<pageSetUpPr fitToPage="1"/>'
    if re.search(r"<pageSetUpPr\b[^>]*/>", xml):
        xml = re.sub(r"<pageSetUpPr\b[^>]*/>", fit, xml, count=1)
    elif re.search(r"<sheetPr\b[^>]*/>", xml):
        xml = re.sub(r"<sheetPr\b([^>]*?)\s*/>", rf"<sheetPr\1>{fit}</sheetPr>", xml, count=1)
    elif "</sheetPr>" in xml:
        xml = xml.replace("</sheetPr>", fit + "</sheetPr>", 1)
    else:
        xml = re.sub(r"(<worksheet\b[^>]*>)", rf"\1<sheetPr>{fit}</sheetPr>", xml, count=1)
    xml = re.sub(r"<(pageMargins|pageSetup|printOptions)\b[^>]*/>", "", xml)
    xml = re.sub(r"<headerFooter\b[^>]*(/>|>.*?</headerFooter>)", "", xml, flags=re.S)
    page = ('<pageMargins left="0.2" right="0.2" top="0.2" bottom="0.2" header="0" '
            'footer="0"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
            'fitToHeight="1"/>')
    for tag in _AFTER_PAGE_SETUP:
        m = re.search(rf"<{tag}\b", xml)
        if m:
            return xml[:m.start()] + page + xml[m.start():]
    return xml.replace("</worksheet>", page + "</worksheet>")


def soffice_pdf(files: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Convert workbooks (or HTML) to PDF with one LibreOffice call and a private profile."""
    outdir.mkdir(parents=True, exist_ok=True)
    run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)], timeout=300)
    pdfs = [outdir / f"{f.stem}.pdf" for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RenderError(f"LibreOffice made no PDF for {missing}")
    return pdfs


def pdf_text(pdf: Path, page: int = 1) -> str:
    return run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"])


def pdf_pages(pdf: Path) -> int:
    info = run(["pdfinfo", str(pdf)])
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def ink_box(pdf: Path, dpi: int = PROBE_DPI) -> tuple[float, float, float, float]:
    """Bounding box of the non-white pixels of page 1, in inches: (x, y, w, h)."""
    data = run_bytes(["pdftoppm", "-f", "1", "-l", "1", "-r", str(dpi), str(pdf)])
    width, height, pixels = _parse_ppm(data)
    stride = width * 3
    top = bottom = None
    left, right = width, 0
    for y in range(height):
        row = pixels[y * stride:(y + 1) * stride]
        lead = len(row) - len(row.lstrip(b"\xff"))
        if lead == len(row):
            continue
        trail = len(row) - len(row.rstrip(b"\xff"))
        top = y if top is None else top
        bottom = y
        left = min(left, lead // 3)
        right = max(right, width - trail // 3)
    if top is None:
        raise RenderError(f"{pdf.name}: page 1 is blank")
    return (left / dpi, top / dpi, (right - left) / dpi, (bottom + 1 - top) / dpi)


def pdf_png(pdf: Path, out: Path, width: int = 1400) -> Path:
    """Page 1 of ``pdf`` cropped to its ink, at most ``width`` pixels wide."""
    x, y, w, h = ink_box(pdf)
    dpi = min((width - 2 * PAD_PX) / w, MAX_DPI)
    px = [round(x * dpi) - PAD_PX, round(y * dpi) - PAD_PX, round(w * dpi) + 2 * PAD_PX,
          round(h * dpi) + 2 * PAD_PX]
    px[0], px[1] = max(px[0], 0), max(px[1], 0)
    stem = out.with_suffix("")
    run(["pdftoppm", "-f", "1", "-l", "1", "-singlefile", "-png", "-r", f"{dpi:.3f}",
         "-x", str(px[0]), "-y", str(px[1]), "-W", str(px[2]), "-H", str(px[3]),
         str(pdf), str(stem)])
    return out


def render_sheet(src: Path, sheet: str, out: Path, *, area: Area = Area(),
                 expect: str | None = None, width: int = 1400,
                 work: Path | None = None, profile: Path | None = None) -> Path:
    """Render one sheet of ``src`` to ``out`` (PNG); ``expect`` must appear on the page."""
    with tempfile.TemporaryDirectory() as tmp:
        work = work or Path(tmp)
        profile = profile or Path(tmp) / "profile"
        copy = one_sheet_copy(src, sheet, work / f"{out.stem}.xlsx", area)
        (pdf,) = soffice_pdf([copy], work / "pdf", profile)
        check_pdf(pdf, expect or sheet)
        return pdf_png(pdf, out, width)


def check_pdf(pdf: Path, expect: str, any_pages: bool = False) -> None:
    """The PDF is one page (a document: its first page) that shows ``expect`` (the sheet's
    title): the right sheet."""
    pages = pdf_pages(pdf)
    text = pdf_text(pdf)
    if (pages != 1 and not any_pages) or expect not in " ".join(text.split()):
        raise RenderError(f"{pdf.name}: {pages} page(s), expected one showing {expect!r}")


def run(cmd: list[str], timeout: float = 120) -> str:
    return run_bytes(cmd, timeout).decode("utf-8", "replace")


def run_bytes(cmd: list[str], timeout: float = 120) -> bytes:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise RenderError(f"{cmd[0]} failed: {exc} {detail.decode(errors='replace')}") from exc
    return done.stdout


def _parse_ppm(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (P6, maxval 255)."""
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise RenderError("pdftoppm did not give an 8-bit PPM")
    return int(fields[1]), int(fields[2]), data[pos + 1:]
