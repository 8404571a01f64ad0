"""Where things sit in a standard workbook, as data.

A :class:`Layout` declares a template's sheets and tables; each
:class:`Table` declares its columns in order. Column letters are derived from
that order (``first_col`` + position) and never written down anywhere, so the
builder, the reader, the patch and ``kinerja template --describe`` cannot
disagree. Use it like this::

    from workbook_templates.skp_layout import SKP

    rhk = SKP.table("rhk")
    rhk.col("realisasi")        # 1-based column index, e.g. 10
    rhk.letter("realisasi")     # "J"
    rhk.cell("realisasi", 7)    # "J7"
    rhk.data_first_row          # first Excel row below the header

A one-row table (``one_row=True``, e.g. Identitas) is a key/value form laid
out downwards: one field per row, its label in ``first_col`` and its value in
the column right of it. For such a table ``row(key)`` is the field's row,
``col(key)`` the value column and ``cell(key)`` the value cell.

A wrong key is a developer error and raises :class:`LayoutError` at once.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from kinerja.rulepack import PACKS
from workbook_templates.cells import a1, col_letter

ColumnType = Literal["text", "number", "date", "rating", "choice", "nip", "target"]
Io = Literal["input", "output"]

STAMP_SHEET = "_kinerja"
"""The hidden sheet that says what a workbook is: key in column A, value in B."""

STAMP_KEYS = ("template_id", "layout_version", "rule_pack")


class LayoutError(KeyError):
    """Raised when code asks a layout for a table or column it does not declare."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Strict):
    """One column of a table (or one field of a one-row form)."""

    key: str  # the model field name, e.g. "realisasi"; "target_tw1" is target_tw[0]
    header: str  # the Indonesian label the clerk sees
    type: ColumnType = "text"
    io: Io = "input"
    required: bool = False
    choices: tuple[str, ...] = ()  # allowed values (dropdown); for type rating/choice
    width: float = 14
    note: str = ""  # shown as the cell's input prompt in Excel
    choices_from: str = ""  # dropdown from another table's column, "table.column" (e.g. "rhk.iki")


class Table(_Strict):
    """A block of columns under a header row on one sheet."""

    key: str  # "rhk", "hasil", ...
    sheet: str
    name: str  # Excel table name (input lists) or the block's name
    header_row: int
    first_col: int = 1
    columns: tuple[Column, ...]
    kind: Io = "input"
    one_row: bool = False
    title: str = ""  # printed in A1 of the sheet
    capacity: int = 0  # rows prepared (coloured, unlocked, validated) below the header
    page_rows: int = 0  # a print document: one page of this many rows per employee
    chart: str = ""  # a column of an output table drawn as a bar chart beside it

    @model_validator(mode="after")
    def _unique_keys(self) -> Table:
        keys = [c.key for c in self.columns]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"table {self.key}: duplicate column keys {sorted(dupes)}")
        return self

    @cached_property
    def _index(self) -> dict[str, int]:
        return {c.key: i for i, c in enumerate(self.columns)}

    def _pos(self, key: str) -> int:
        try:
            return self._index[key]
        except KeyError:
            raise LayoutError(f"table {self.key!r} has no column {key!r}") from None

    def column(self, key: str) -> Column:
        """The declaration of a column."""
        return self.columns[self._pos(key)]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def col(self, key: str) -> int:
        """1-based column index of a column (of the value column for a one-row form)."""
        if self.one_row:
            self._pos(key)
            return self.first_col + 1
        return self.first_col + self._pos(key)

    def letter(self, key: str) -> str:
        """Column letters of a column, e.g. "J"."""
        return col_letter(self.col(key))

    def row(self, key: str) -> int:
        """Excel row of a field of a one-row form."""
        if not self.one_row:
            raise LayoutError(f"table {self.key!r} is a list; ask cell(key, excel_row)")
        return self.data_first_row + self._pos(key)

    def cell(self, key: str, excel_row: int | None = None) -> str:
        """A1 address of a column on an Excel row (or of a one-row form's field)."""
        if self.one_row:
            return a1(self.row(key), self.col(key))
        if excel_row is None:
            raise LayoutError(f"table {self.key!r} is a list; give the Excel row")
        return a1(excel_row, self.col(key))

    @property
    def data_first_row(self) -> int:
        """First Excel row below the header row."""
        return self.header_row + 1

    @property
    def last_col(self) -> int:
        """1-based index of the table's last column."""
        return self.first_col + (1 if self.one_row else len(self.columns) - 1)

    @property
    def headers(self) -> list[str]:
        """The header labels in order: what row ``header_row`` must say (lists only)."""
        return [c.header for c in self.columns]

    def outputs(self) -> list[Column]:
        return [c for c in self.columns if c.io == "output"]


class Layout(_Strict):
    """A whole template: its sheets in order and the tables on them."""

    template_id: Literal["SKP", "PK"]
    layout_version: int
    rule_pack: str
    title: str
    sheets: tuple[str, ...]  # visible sheets in order (the stamp sheet is added by the builder)
    instructions_sheet: str = "Petunjuk"
    instructions: tuple[str, ...] = ()
    tables: tuple[Table, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Layout:
        keys = [t.key for t in self.tables]
        if len(keys) != len(set(keys)):
            raise ValueError(f"layout {self.template_id}: duplicate table keys")
        for t in self.tables:
            if t.sheet not in self.sheets:
                raise ValueError(f"table {t.key}: sheet {t.sheet!r} is not in sheets")
        return self

    def has_table(self, key: str) -> bool:
        return any(t.key == key for t in self.tables)

    def without(self, keys: set[str], version: int) -> Layout:
        """An older version of this layout: the tables and columns in ``keys`` removed
        ("table" or "table.column"). The reader reads old workbooks with it."""
        tables = tuple(
            Table(**{**t.model_dump(exclude={"columns"}),
                     "columns": tuple(c for c in t.columns if f"{t.key}.{c.key}" not in keys)})
            for t in self.tables if t.key not in keys)
        sheets = tuple(s for s in self.sheets if any(t.sheet == s for t in tables)
                       or not any(t.sheet == s for t in self.tables))
        return Layout(**{**self.model_dump(exclude={"tables", "sheets", "layout_version"}),
                         "tables": tables, "sheets": sheets, "layout_version": version})

    def table(self, key: str) -> Table:
        """The table with this key ("rhk", "hasil", ...)."""
        for t in self.tables:
            if t.key == key:
                return t
        raise LayoutError(f"layout {self.template_id} has no table {key!r}")

    def tables_on(self, sheet: str) -> list[Table]:
        return [t for t in self.tables if t.sheet == sheet]

    @property
    def stamp(self) -> dict[str, str | int]:
        """The values written to the stamp sheet."""
        return {"template_id": self.template_id, "layout_version": self.layout_version,
                "rule_pack": self.rule_pack}

    def describe(self) -> dict:
        """The layout as plain data (``kinerja template --describe``)."""
        pack = PACKS.get(self.rule_pack)  # the pack the stamp names, with its legal source
        return {
            "template_id": self.template_id,
            "layout_version": self.layout_version,
            "rule_pack": self.rule_pack,
            **({"rule_pack_nama": pack.nama, "rule_pack_versi": pack.versi,
                "rule_pack_berlaku": pack.berlaku, "rule_pack_sumber": list(pack.sumber)}
               if pack else {}),
            "sheets": list(self.sheets),
            **({"pages": {t.sheet: t.page_rows for t in self.tables if t.page_rows}}
               if any(t.page_rows for t in self.tables) else {}),
            "tables": [
                {
                    "key": t.key, "sheet": t.sheet, "table": t.name, "kind": t.kind,
                    "one_row": t.one_row, "header_row": t.header_row,
                    "first_data_row": t.data_first_row,
                    "columns": [
                        {"key": c.key, "header": c.header, "type": c.type, "io": c.io,
                         "required": c.required, "choices": list(c.choices),
                         "cell" if t.one_row else "column":
                             t.cell(c.key) if t.one_row else t.letter(c.key),
                         **({"note": c.note} if c.note else {}),
                         **({"choices_from": c.choices_from} if c.choices_from else {})}
                        for c in t.columns
                    ],
                }
                for t in self.tables
            ],
        }


def outputs_unchanged(versions: dict[int, Layout], version: int) -> bool:
    """Whether Hitung Ulang may write into a workbook of an older layout version: every
    table holding an output column is where the newest layout has it, or is missing
    together with its whole sheet (a print sheet added later is simply not written)."""
    old = versions.get(version)
    if old is None:
        return False
    newest = versions[max(versions)]
    mixed = [t for t in newest.tables if any(c.io == "output" for c in t.columns)]
    return all(old.table(t.key) == t if old.has_table(t.key) else t.sheet not in old.sheets
               for t in mixed)
