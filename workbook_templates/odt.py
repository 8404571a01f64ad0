"""A small writer of flat ODT text documents (.fodt), printed to PDF by LibreOffice Writer.

Why a text document and not a sheet: Writer flows a table over as many pages as
its rows need, repeats the table's header rows on every page, wraps long text
and grows the row for it, and keeps a signature block together; a sheet does
none of that in LibreOffice. The document is plain XML, so no new dependency.

Use it like this::

    doc = Document(landscape=True, footer="SKP Ani")
    doc.para("SASARAN KINERJA PEGAWAI", "title")
    doc.table([4, 30, 20], [["No", "Uraian", "Target"]], rows, header_rows=1)
    write_pdf([doc], ["ani.pdf"], out_dir)
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')
A4 = (21.0, 29.7)  # cm
MARGIN = 1.5  # cm on every side
FONT = "DejaVu Sans"
LINE = "0.5pt solid #000000"

# paragraph styles: name -> (properties of the paragraph, properties of its text)
PARAGRAPHS = {
    "P": ("", ""),
    "title": ('fo:text-align="center"', 'fo:font-size="12pt" fo:font-weight="bold"'),
    "center": ('fo:text-align="center"', ""),
    "heading": ('fo:margin-top="0.25cm" fo:margin-bottom="0.1cm" fo:keep-with-next="always"',
                'fo:font-weight="bold"'),
    "bold": ("", 'fo:font-weight="bold"'),
    "label": ('fo:margin-top="0.15cm"', 'fo:font-weight="bold"'),
    "small": ("", 'fo:font-size="7.5pt"'),
    "break": ('fo:break-before="page"', ""),  # starts a new page (the next employee)
}


@dataclass
class Cell:
    """A table cell: its text lines, how many columns it spans, bold or not."""

    text: str | list[str] = ""
    span: int = 1
    bold: bool = False
    fill: bool = False  # a grey band (group rows, header rows)


@dataclass
class Document:
    landscape: bool = False
    footer: str = ""
    body: list[str] = field(default_factory=list)
    _tables: int = 0
    _columns: list[str] = field(default_factory=list)

    @property
    def text_width(self) -> float:
        """Width of the text area in cm."""
        return (A4[1] if self.landscape else A4[0]) - 2 * MARGIN

    def para(self, text: str = "", style: str = "P") -> None:
        self.body.append(f'<text:p text:style-name="{style}">{_text(text)}</text:p>')

    def page_break(self) -> None:
        self.body.append('<text:p text:style-name="break"/>')

    def table(self, widths: list[float], head: list[list], rows: list[list], *,
              borders: bool = True, keep_together: bool = False) -> None:
        """A table whose columns share the text width in proportion to ``widths``;
        the ``head`` rows repeat at the top of every page the table runs over."""
        self._tables += 1
        name = f"T{self._tables}"
        total = sum(widths)
        for i, w in enumerate(widths):
            self._columns.append(
                f'<style:style style:name="{name}.{i}" style:family="table-column">'
                f'<style:table-column-properties style:column-width='
                f'"{self.text_width * w / total:.3f}cm"/></style:style>')
        keep = ' style:may-break-between-rows="false" fo:keep-with-next="auto"' \
            if keep_together else ""
        self._columns.append(
            f'<style:style style:name="{name}" style:family="table"><style:table-properties '
            f'style:width="{self.text_width:.3f}cm" table:align="left"{keep}/></style:style>')
        out = [f'<table:table table:name="{name}" table:style-name="{name}">']
        out += [f'<table:table-column table:style-name="{name}.{i}"/>' for i in range(len(widths))]
        if head:
            out.append("<table:table-header-rows>")
            out += [_row(r, borders, header=True) for r in head]
            out.append("</table:table-header-rows>")
        out += [_row(r, borders) for r in rows]
        out.append("</table:table>")
        self.body.append("".join(out))

    def image(self, data: bytes, width_cm: float, height_cm: float, mime: str) -> None:
        """A picture (PNG or SVG bytes) in its own paragraph."""
        b64 = base64.b64encode(data).decode()
        self.body.append(
            f'<text:p text:style-name="center"><draw:frame text:anchor-type="as-char" '
            f'svg:width="{width_cm}cm" svg:height="{height_cm}cm"><draw:image '
            f'draw:mime-type="{mime}"><office:binary-data>{b64}</office:binary-data>'
            f"</draw:image></draw:frame></text:p>")

    def xml(self) -> str:
        w, h = (A4[1], A4[0]) if self.landscape else A4
        orientation = "landscape" if self.landscape else "portrait"
        paragraphs = "".join(
            f'<style:style style:name="{n}" style:family="paragraph">'
            f"<style:paragraph-properties {p}/><style:text-properties {t}/></style:style>"
            for n, (p, t) in PARAGRAPHS.items())
        cells = "".join(
            f'<style:style style:name="{name}" style:family="table-cell">'
            f'<style:table-cell-properties fo:padding="0.06cm" {border}{fill}/></style:style>'
            for name, border, fill in (
                ("C", f'fo:border="{LINE}"', ""), ("CF", f'fo:border="{LINE}"',
                                                    ' fo:background-color="#e6e6e6"'),
                ("N", 'fo:border="none"', ""), ("NF", 'fo:border="none"', "")))
        rows = ('<style:style style:name="R" style:family="table-row"><style:table-row-properties '
                'fo:keep-together="always"/></style:style>')  # a row is not split over pages
        footer = (f'<style:footer><text:p text:style-name="small">{_text(self.footer)}'
                  f"{' - ' if self.footer else ''}halaman <text:page-number/></text:p>"
                  "</style:footer>")
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} '
            'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">'
            f'<office:font-face-decls><style:font-face style:name="{FONT}" '
            f"svg:font-family=\"'{FONT}'\"/></office:font-face-decls>"
            '<office:styles><style:default-style style:family="paragraph">'
            f'<style:text-properties style:font-name="{FONT}" fo:font-size="8.5pt" '
            'fo:language="id" fo:country="ID"/></style:default-style>'
            '<style:style style:name="B" style:family="text"><style:text-properties '
            'fo:font-weight="bold"/></style:style></office:styles>'
            f'<office:automatic-styles><style:page-layout style:name="pm1">'
            f'<style:page-layout-properties fo:page-width="{w}cm" fo:page-height="{h}cm" '
            f'style:print-orientation="{orientation}" fo:margin-top="{MARGIN}cm" '
            f'fo:margin-bottom="1cm" fo:margin-left="{MARGIN}cm" '
            f'fo:margin-right="{MARGIN}cm"/><style:footer-style><style:header-footer-properties '
            'fo:min-height="0.4cm" fo:margin-top="0.2cm"/></style:footer-style>'
            f"</style:page-layout>{paragraphs}{cells}{rows}{''.join(self._columns)}"
            '</office:automatic-styles><office:master-styles><style:master-page '
            f'style:name="Standard" style:page-layout-name="pm1">{footer}</style:master-page>'
            f"</office:master-styles><office:body><office:text>{''.join(self.body)}"
            "</office:text></office:body></office:document>")


def _text(text: str) -> str:
    """Escaped text; runs of spaces kept (ODF collapses them otherwise)."""
    out = escape(text)
    return out.replace("  ", " <text:s/>")


def _row(cells: list, borders: bool, header: bool = False) -> str:
    out = ['<table:table-row table:style-name="R">']
    for c in cells:
        if not isinstance(c, Cell):
            c = Cell(c if isinstance(c, list) else "" if c is None else str(c))
        style = ("C" if borders else "N") + ("F" if c.fill or header else "")
        span = f' table:number-columns-spanned="{c.span}"' if c.span > 1 else ""
        lines = c.text if isinstance(c.text, list) else str(c.text).split("\n")
        pstyle = "bold" if c.bold or header else "P"
        paras = "".join(f'<text:p text:style-name="{pstyle}">{_text(x)}</text:p>' for x in lines)
        out.append(f'<table:table-cell table:style-name="{style}" office:value-type="string"'
                   f"{span}>{paras}</table:table-cell>")
        out += ["<table:covered-table-cell/>"] * (c.span - 1)
    out.append("</table:table-row>")
    return "".join(out)


class PdfRefused(Exception):
    """Raised when LibreOffice is missing or makes no PDF; the message says why (Indonesian)."""


def write_pdf(docs: list[Document], names: list[str], out_dir: Path,
              timeout: int = 300) -> list[Path]:
    """Print documents to PDF files ``out_dir/name`` with one LibreOffice call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfRefused("LibreOffice (soffice) tidak ditemukan, jadi PDF tidak dapat dibuat. "
                         "Pasang LibreOffice lalu ulangi.")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kinerja-odt-") as tmp:
        work = Path(tmp)
        sources = []
        for doc, name in zip(docs, names, strict=True):
            src = work / f"{Path(name).stem}.fodt"
            src.write_text(doc.xml(), encoding="utf-8")
            sources.append(src)
        done = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
             "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "pdf"),
             *map(str, sources)], capture_output=True, timeout=timeout, check=False)
        made = []
        for src, name in zip(sources, names, strict=True):
            pdf = work / "pdf" / f"{src.stem}.pdf"
            if not pdf.exists():
                raise PdfRefused("LibreOffice gagal membuat PDF: "
                                 f"{done.stderr.decode(errors='replace')[:300]}")
            made.append(Path(shutil.move(pdf, out_dir / name)))
    return made
