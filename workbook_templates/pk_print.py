"""The printed Perjanjian Kinerja in the PK template (openpyxl; the builder calls it).

* Pernyataan PK, the statement page, is formulas on Identitas, not values written
  by Hitung Ulang: it only echoes Identitas, so it is right the moment the clerk
  types (before any Hitung Ulang, in Excel and LibreOffice alike), Hitung Ulang
  never rewrites it, and it cannot go stale. One A4 page, portrait, fitted.
* Lampiran PK is written by Hitung Ulang (:mod:`workbook_templates.pk_dokumen`);
  here it gets its styles: conditional formatting keyed on the hidden Gaya Baris
  column, so a row is bold, lined or grey exactly while Hitung Ulang says what it
  is, and an empty page stays unformatted (nothing to print).
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from kinerja.rules.periode import NAMA_BULAN
from workbook_templates.cells import a1_range, col_letter
from workbook_templates.layout import Layout, Table
from workbook_templates.pk_dokumen import (
    AKHIR_INDIKATOR,
    AKHIR_PROGRAM,
    AKHIR_SASARAN,
    BAGIAN,
    ISI_A,
    ISI_B,
    JUDUL,
    JUMLAH,
    KEPALA_A,
    KEPALA_B,
    TEBAL,
)
from workbook_templates.textfit import text_height

INTRO = ("Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan "
         "akuntabel serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini:")
PIHAK_PERTAMA = "Selanjutnya disebut PIHAK PERTAMA."
PIHAK_KEDUA = "Selaku atasan pihak pertama, selanjutnya disebut PIHAK KEDUA."
JANJI = ("Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai "
         "lampiran perjanjian ini, dalam rangka mencapai target kinerja jangka menengah "
         "seperti yang telah ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan "
         "pencapaian target kinerja tersebut menjadi tanggung jawab kami.")
SUPERVISI = ("Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan "
             "evaluasi terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan "
             "yang diperlukan dalam rangka pemberian penghargaan dan sanksi.")
DOTS = "...................................."
# columns of the statement page: margin | label | ":" | value | gap | value
WIDTHS = {"A": 2, "B": 18, "C": 2, "D": 30, "E": 6, "F": 32}
TEXT_WIDTH = sum(WIDTHS.values()) - WIDTHS["A"]
LINE = Side(style="thin", color="FF595959")


def pernyataan(ws: Worksheet, layout: Layout) -> None:
    """The statement page: title, the parties, the pledge, place and date, signatures."""
    ident = layout.table("identitas")

    def ref(key: str) -> str:
        return f"'{ident.sheet}'!${ident.letter(key)}${ident.row(key)}"

    def echo(key: str, blank: str = "-") -> str:
        return f'=IF({ref(key)}="","{blank}",{ref(key)})'

    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width
    r = _Rows(ws)
    r.across(f'="PERJANJIAN KINERJA TAHUN "&{ref("tahun")}', Font(bold=True, size=14))
    r.across(f'=UPPER({ref("instansi")})', Font(bold=True, size=12))
    r.across(f'=UPPER({ref("unit_kerja")})', Font(bold=True, size=12))
    r.skip()
    r.paragraph(INTRO)
    for who, after in (("pertama", PIHAK_PERTAMA), ("kedua", PIHAK_KEDUA)):
        r.skip()
        for label, key in (("Nama", "nama"), ("NIP", "nip"), ("Pangkat/Golongan", "pangkat"),
                           ("Jabatan", "jabatan")):
            r.field(label, echo(f"pihak_{who}_{key}"))
        r.paragraph(after)
    r.skip()
    r.paragraph(JANJI)
    r.skip()
    r.paragraph(SUPERVISI)
    r.skip()
    tanggal = ref("tanggal")
    months = ",".join(f'"{m}"' for m in NAMA_BULAN)
    r.right(f'=IF({ref("tempat")}="","....................",{ref("tempat")})&", "&'
            f'IF(ISNUMBER({tanggal}),DAY({tanggal})&" "&CHOOSE(MONTH({tanggal}),{months})&" "&'
            f'YEAR({tanggal}),IF({tanggal}="","........................",{tanggal}))')
    r.pair("PIHAK KEDUA,", "PIHAK PERTAMA,", Font(bold=True))
    r.pair(echo("pihak_kedua_jabatan", ""), echo("pihak_pertama_jabatan", ""), height=30)
    for _ in range(4):
        r.skip()
    r.pair(echo("pihak_kedua_nama", DOTS), echo("pihak_pertama_nama", DOTS),
           Font(bold=True, underline="single"))
    r.pair(echo("pihak_kedua_pangkat", ""), echo("pihak_pertama_pangkat", ""))
    r.pair(*(f'=IF({ref(f"pihak_{w}_nip")}="","","NIP. "&{ref(f"pihak_{w}_nip")})'
             for w in ("kedua", "pertama")))
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.8
    ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.6
    # no print area: LibreOffice prints a hidden sheet that has one (measured, 7.4)
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = "FF7F7F7F"


class _Rows:
    """The statement page written downwards, one line (or paragraph) after another."""

    def __init__(self, ws: Worksheet):
        self.ws, self.row = ws, 1

    def _put(self, first: str, last: str, value: str, font: Font | None = None,
             align: str = "left", wrap: bool = False) -> None:
        cell = self.ws[f"{first}{self.row}"]
        cell.value = value
        cell.alignment = Alignment(horizontal=align, vertical="top", wrap_text=wrap)
        if font is not None:
            cell.font = font
        if first != last:
            self.ws.merge_cells(f"{first}{self.row}:{last}{self.row}")

    def skip(self) -> None:
        self.row += 1

    def across(self, value: str, font: Font) -> None:
        self._put("B", "F", value, font, "center")
        self.row += 1

    def paragraph(self, text: str) -> None:
        self._put("B", "F", text, align="justify", wrap=True)
        # wrapped text: LibreOffice does not grow the row by itself (textfit)
        self.ws.row_dimensions[self.row].height = text_height(text, TEXT_WIDTH, 1.2)
        self.row += 1

    def field(self, label: str, formula: str) -> None:
        self._put("B", "B", label)
        self._put("C", "C", ":")
        self._put("D", "F", formula, wrap=True)
        self.row += 1

    def right(self, value: str) -> None:
        self._put("E", "F", value, align="center")
        self.row += 1

    def pair(self, left: str, right: str, font: Font | None = None,
             height: float | None = None) -> None:
        self._put("B", "D", left, font, "center", wrap=height is not None)
        self._put("E", "F", right, font, "center", wrap=height is not None)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.row += 1


# --- the lampiran's styles ----------------------------------------------------------

GREY = PatternFill(bgColor="FFE7E6E6")
# what each kind of row looks like: bold, grey, and the sides lined per column group
# (l/r/t/b); Table B's Program/Kegiatan runs over two columns, so no line between them
STYLES: dict[str, tuple[bool, bool, dict[str, str]]] = {
    JUDUL: (True, False, {}),
    BAGIAN: (True, False, {}),
    TEBAL: (True, False, {}),
    KEPALA_A: (True, True, {"A:H": "lrtb"}),
    KEPALA_B: (True, True, {"A:A": "lrtb", "B:B": "ltb", "C:C": "rtb", "D:D": "lrtb"}),
    ISI_A: (False, False, {"A:H": "lr"}),
    AKHIR_INDIKATOR: (False, False, {"A:B": "lr", "C:H": "lrb"}),
    AKHIR_SASARAN: (False, False, {"A:H": "lrb"}),
    ISI_B: (False, False, {"A:A": "lr", "B:B": "l", "C:C": "r", "D:D": "lr"}),
    AKHIR_PROGRAM: (False, False, {"A:A": "lrb", "B:B": "lb", "C:C": "rb", "D:D": "lrb"}),
    JUMLAH: (True, False, {"A:A": "lrtb", "B:B": "ltb", "C:C": "rtb", "D:D": "lrtb"}),
}


def lampiran_styles(ws: Worksheet, table: Table) -> None:
    """Styles by the Gaya Baris column (hidden). No column carries a style: the right
    signature starts in the Target column and runs to the right over the TW columns."""
    first, last = table.data_first_row, table.data_first_row + table.capacity * table.page_rows - 1
    gaya = table.letter("gaya")
    ws.column_dimensions[gaya].hidden = True
    for name, (bold, grey, sides) in STYLES.items():
        formula = f'${gaya}{first}="{name}"'
        font = Font(bold=True) if bold else None
        if not sides:
            ws.conditional_formatting.add(
                a1_range(first, 1, last, table.col("gaya") - 1),
                FormulaRule(formula=[formula], font=font))
            continue
        for span, lined in sides.items():
            c1, c2 = (table.first_col + ord(x) - ord("A") for x in span.split(":"))
            border = Border(**{side: LINE for side, k in (("left", "l"), ("right", "r"),
                                                         ("top", "t"), ("bottom", "b"))
                               if k in lined})
            ws.conditional_formatting.add(
                f"{col_letter(c1)}{first}:{col_letter(c2)}{last}",
                FormulaRule(formula=[formula], font=font, border=border,
                            fill=GREY if grey else None))
