"""One worksheet's XML with some cells rewritten and every other byte left as it was.

The part is never parsed into a tree and serialised again: the rows that
receive values are found in the text, rebuilt cell by cell (the cells not
written keep their original text), and spliced back between the untouched
stretches. Rows and cells stay in ascending order, a cell keeps its style,
text is written as an inline string (the shared-string table is not
touched), and the dimension grows to cover what was written.

Whatever this cannot rewrite safely (rows or cells without an address, rows
or cells out of order, a shared or array formula in a cell to be overwritten,
XML comments among the rows) raises :class:`SheetRefused` before anything is
written.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime

from workbook_templates.cells import col_index, col_letter

EPOCH = datetime(1899, 12, 30)
# a text needing more than a copy: markup characters, characters XML 1.0 forbids (OOXML
# spells them _xHHHH_, as Excel does), a look-alike of that spelling, edge whitespace
_SPECIAL = re.compile("[\x00-\x1f&<>\ufffe\uffff]|_x|^\\s|\\s$")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED_LOOKALIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_SPACE = re.compile(r"^\s|\s$|[\n\t\r]")
_ADDR = re.compile(r'\br="([A-Z]{1,3})(\d+)"')
_ROW_NO = re.compile(r'\br="(\d+)"')
_STYLE = re.compile(r'\bs="(\d+)"')
_SPANS = re.compile(r'\s*\bspans="[^"]*"')
_CUSTOM = re.compile(r'\bcustomFormat="(?:1|true)"')
_SHARED = re.compile(r'\bt="(?:shared|array|dataTable)"')
_HYPERLINK_TEXT = re.compile(r'^=HYPERLINK\(".*","([^"]*)"\)$')

# consecutive cells of one row from a first column: (column, values, formulas allowed);
# a text starting with "=" is a formula only where formulas are allowed
Segment = tuple[int, list, bool]


class SheetRefused(Exception):
    """The sheet's XML holds something the patcher cannot rewrite safely (Indonesian)."""


class SheetXml:
    """A worksheet part's text, split around its rows, ready to take writes."""

    def __init__(self, data: bytes, sheet: str):
        self.sheet = sheet
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SheetRefused(f"sheet '{sheet}' tidak tersimpan sebagai UTF-8") from None
        m = re.search(r"<(\w+:)?sheetData\b[^>]*?(/?)>", text)
        if m is None:
            raise SheetRefused(f"sheet '{sheet}' tidak memuat data sel (bukan worksheet biasa)")
        self.p = p = m.group(1) or ""
        if m.group(2):  # <sheetData/>: no rows yet
            self.head, self.body = text[:m.start()] + f"<{p}sheetData>", ""
            self.tail = f"</{p}sheetData>" + text[m.end():]
        else:
            close = text.find(f"</{p}sheetData>", m.end())
            if close < 0:
                raise SheetRefused(f"sheet '{sheet}' terpotong")
            self.head, self.body, self.tail = text[:m.end()], text[m.end():close], text[close:]
        if "<!--" in self.body or "<![CDATA[" in self.body or "<?" in self.body:
            raise SheetRefused(f"sheet '{sheet}' memuat komentar XML di antara baris")
        self._cell = re.compile(rf"(<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c>))", re.S)
        self._cell_start = re.compile(rf"<{p}c[\s/>]")
        self._formula = re.compile(rf"<{p}f\b([^>]*)")
        self.col_styles = self._col_styles()
        self._texts: dict[str, str] = {}  # text -> its <is> element (a page repeats labels)

    def _col_styles(self) -> dict[int, str]:
        """Column -> style of a <col> that gives one (what Excel gives a new cell there)."""
        out = {}
        for m in re.finditer(rf"<{self.p}col\b([^>]*)>", self.head):
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            if attrs.get("style", "0") != "0":
                for c in range(int(attrs.get("min", 1)), min(int(attrs.get("max", 1)), 999) + 1):
                    out[c] = attrs["style"]
        return out

    # -- the rows -------------------------------------------------------------

    def patch(self, writes: dict[int, list[Segment]]) -> tuple[bytes, bool]:
        """The part with ``writes`` (row -> its segments) applied, and whether a
        formula was removed (the calculation chain then names a cell that has none)."""
        whole = self._regenerated(writes)
        if whole is not None:
            return (self._with_dimension(_bounds(writes)) + whole + self.tail).encode(), False
        body, todo = self.body, sorted(writes)
        opening, closing = f"<{self.p}row", f"</{self.p}row>"
        pieces: list[str] = []
        i, n = 0, len(todo)  # todo[:i] are placed
        copied = pos = prev_row = 0  # body[:copied] is in pieces; body[:pos] is checked
        removed = False
        while True:
            start = body.find(opening, pos)
            if start < 0:
                break
            if body[pos:start].strip() or body[start + len(opening)] not in " \t\r\n>/":
                raise SheetRefused(f"sheet '{self.sheet}' memuat unsur tak dikenal di antara "
                                   "baris")
            gt = body.find(">", start)
            attrs = body[start + len(opening):gt]
            if attrs.endswith("/"):
                attrs, inner_at, pos = attrs[:-1], -1, gt + 1
            else:
                end = body.find(closing, gt)
                if end < 0:
                    raise SheetRefused(f"sheet '{self.sheet}' terpotong")
                inner_at, pos = gt + 1, end + len(closing)
            r = _row_no(attrs, self.sheet)
            if r <= prev_row:
                raise SheetRefused(f"sheet '{self.sheet}': baris {r} tidak berurutan")
            prev_row = r
            if i == n or todo[i] > r:
                continue  # untouched: copied with the stretch it belongs to
            pieces.append(body[copied:start])
            copied = start
            while i < n and todo[i] < r:  # new rows above this one
                pieces.append(self._new_row(todo[i], writes[todo[i]]))
                i += 1
            if i < n and todo[i] == r:
                inner = body[inner_at:pos - len(closing)] if inner_at >= 0 else ""
                row_xml, gone = self._rebuild(attrs, inner, r, writes[r])
                removed |= gone
                pieces.append(row_xml)
                copied = pos
                i += 1
        if body[pos:].strip():
            raise SheetRefused(f"sheet '{self.sheet}' memuat unsur tak dikenal di antara baris")
        pieces.append(body[copied:])
        pieces += [self._new_row(r, writes[r]) for r in todo[i:]]  # below everything
        text = self._with_dimension(_bounds(writes)) + "".join(pieces) + self.tail
        return text.encode("utf-8"), removed

    def _regenerated(self, writes: dict[int, list[Segment]]) -> str | None:
        """The rows written anew, when every cell in the sheet is one this write replaces
        and none carries a style or a formula (a print sheet's earlier output): only the
        rows' own attributes (a height) are kept; no cell needs reading."""
        body, p = self.body, self.p
        spans = {(col, len(values)) for segments in writes.values()
                 for col, values, _ in segments}
        if len(spans) != 1 or self.col_styles or ' s="' in body or f"<{p}f" in body or \
                "extLst" in body or _CUSTOM.search(body):
            return None
        (col, width), = spans
        rows = re.findall(rf'<{p}row r="(\d+)"([^>]*?)/?>', body)
        refs = re.findall(rf'<{p}c r="([A-Z]{{1,3}})(\d+)"', body)
        if len(rows) != body.count(f"<{p}row") or len(refs) != body.count(f"<{p}c") or \
                not {a for a, _ in refs} <= _span(col, width) or \
                not {int(d) for _, d in refs} <= writes.keys():
            return None
        attrs = {int(r): _SPANS.sub("", a) for r, a in rows}
        if list(attrs) != sorted(attrs) or len(attrs) != len(rows):
            return None
        out = []
        for r in sorted(attrs.keys() | writes.keys()):
            segments = writes.get(r)
            cells = self._plain_cells(r, segments) if segments else ""
            if cells or attrs.get(r, "").strip():
                out.append(f'<{p}row r="{r}"{attrs.get(r, "")}>{cells}</{p}row>')
        return "".join(out)

    def _with_dimension(self, bounds: tuple[int, int, int, int] | None) -> str:
        """The head with its dimension grown to cover the cells written."""
        head = self.head
        m = re.search(rf'<{self.p}dimension\b[^>]*?\bref="([^"]*)"', head)
        if bounds is None or m is None:
            return head
        old = m.group(1).replace("$", "").split(":")
        try:
            (r1, c1), (r2, c2) = _rc(old[0]), _rc(old[-1])
        except ValueError:
            return head
        br1, bc1, br2, bc2 = bounds
        ref = f"{col_letter(min(c1, bc1))}{min(r1, br1)}:{col_letter(max(c2, bc2))}{max(r2, br2)}"
        return head[:m.start(1)] + ref + head[m.end(1):]

    def _new_row(self, r: int, segments: list[Segment]) -> str:
        styles = self.col_styles
        cells = "".join([self._cell_xml(r, c, styles.get(c), v, f)
                         for c, (v, f) in _merged(segments) if v is not None]) if styles \
            else self._plain_cells(r, segments)
        return f'<{self.p}row r="{r}">{cells}</{self.p}row>' if cells else ""

    def _rebuild(self, attrs: str, inner: str, r: int,
                 segments: list[Segment]) -> tuple[str, bool]:
        """A row with its writes applied: (the row's text, whether a formula went)."""
        fast = self._replaced_whole(attrs, inner, r, segments)
        if fast is not None:
            return fast, False
        row_style = _STYLE.search(attrs) if _CUSTOM.search(attrs) else None
        row_style = row_style.group(1) if row_style else None
        # the cells left of the first one written are copied unread (cells are in order)
        at = inner.find(f'<{self.p}c r="{_letters(min(seg[0] for seg in segments))}{r}"')
        kept, inner = (inner[:at], inner[at:]) if at > 0 else ("", inner)
        old, tail = self._cells(inner, r)
        row = dict(_merged(segments))
        removed = added = False
        out = []
        formula_tag = f"<{self.p}f"
        for c in sorted(old.keys() | row.keys()):
            w = row.get(c)
            if w is None:
                out.append(old[c][0])
                continue
            value, formula = w
            before = old.get(c)
            if before is None:
                if value is not None:
                    added = True
                    out.append(self._cell_xml(r, c, row_style or self.col_styles.get(c), value,
                                              formula))
                continue
            whole, cell_attrs, content = before
            if value is None and not content and ' t="' not in cell_attrs:
                out.append(whole)  # already empty: nothing to clear, keep its bytes
                continue
            if content and formula_tag in content:
                self._refuse_shared(content, r, c)
                removed |= not (formula and isinstance(value, str) and value.startswith("="))
            s = _STYLE.search(cell_attrs)
            new = self._cell_xml(r, c, s.group(1) if s else None, value, formula)
            if new:
                out.append(whole if new == whole else new)
        if added and "spans=" in attrs:
            attrs = _SPANS.sub("", attrs)  # a hint only; a stale one is worse than none
        return f"<{self.p}row{attrs}>{kept}{''.join(out)}{tail}</{self.p}row>", removed

    def _replaced_whole(self, attrs: str, inner: str, r: int,
                        segments: list[Segment]) -> str | None:
        """The row written anew when every cell in it is one this write replaces and
        none carries a style or a formula (a print sheet's earlier output): nothing of
        the old row but its attributes needs keeping, so its cells are not parsed."""
        p = self.p
        if len(segments) != 1 or ' s="' in inner or f"<{p}f" in inner or \
                f"<{p}extLst" in inner or _CUSTOM.search(attrs):
            return None
        col, values, formula = segments[0]
        if self.col_styles and any(c in self.col_styles for c in range(col, col + len(values))):
            return None
        addrs = _ADDR.findall(inner)
        rs = str(r)
        if len(addrs) != len(self._cell_start.findall(inner)) or \
                any(d != rs for _, d in addrs) or \
                not {a for a, _ in addrs} <= _span(col, len(values)):
            return None
        if "spans=" in attrs:
            attrs = _SPANS.sub("", attrs)
        return f"<{p}row{attrs}>{self._plain_cells(r, segments)}</{p}row>"

    # -- the cells ------------------------------------------------------------

    def _cells(self, inner: str, r: int) -> tuple[dict[int, tuple[str, str, str]], str]:
        """Column -> (cell text, its attributes, its content) of a row, and what follows
        the cells (an extLst)."""
        found = self._cell.findall(inner)
        tail = ""
        if sum(len(w) for w, _, _ in found) != len(inner):  # something between the cells
            found, last = [], 0
            for cm in self._cell.finditer(inner):
                if inner[last:cm.start()].strip():
                    raise SheetRefused(f"sheet '{self.sheet}' baris {r}: unsur tak dikenal")
                found.append(cm.groups())
                last = cm.end()
            tail = inner[last:]
            if tail.strip() and not tail.lstrip().startswith(f"<{self.p}extLst"):
                raise SheetRefused(f"sheet '{self.sheet}' baris {r}: unsur tak dikenal")
        old: dict[int, tuple[str, str, str]] = {}
        prev = 0
        for cell in found:
            a = _ADDR.search(cell[1])
            if a is None:
                raise SheetRefused(f"sheet '{self.sheet}' baris {r}: sel tanpa alamat")
            c = _col(a.group(1))
            if c <= prev or a.group(2) != str(r):
                raise SheetRefused(f"sheet '{self.sheet}' baris {r}: sel tidak berurutan")
            prev = c
            old[c] = cell
        return old, tail

    def _refuse_shared(self, content: str, r: int, c: int) -> None:
        """A shared or array formula defined in a cell is used by other cells too."""
        f = self._formula.search(content)
        if f and _SHARED.search(f.group(1)) and ("ref=" in f.group(1) or "array" in f.group(1)):
            raise SheetRefused(
                f"sel {self.sheet}!{col_letter(c)}{r} berisi rumus bersama/array yang "
                "dipakai sel lain; hapus rumus itu dari kolom hasil lalu ulangi")

    def _plain_cells(self, r: int, segments: list[Segment]) -> str:
        """The cells of a row's writes, none styled: the common text cell written inline
        (a print sheet has ~100,000 of them), anything else by :meth:`_cell_xml`."""
        if len(segments) != 1:
            return "".join([self._cell_xml(r, c, None, v, f) for c, (v, f) in _merged(segments)
                            if v is not None])
        col, values, formula = segments[0]
        p, texts, rs = self.p, self._texts, str(r)
        out = []
        for letters, c, v in zip(_letter_run(col, len(values)), range(col, col + len(values)),
                                 values, strict=True):
            if v is None:
                continue
            if v.__class__ is str and not (formula and v[:1] == "="):
                inline = texts.get(v) or self._inline(v)
                out.append(f'<{p}c r="{letters}{rs}" t="inlineStr">{inline}</{p}c>')
            else:
                out.append(self._cell_xml(r, c, None, v, formula))
        return "".join(out)

    def _inline(self, text: str) -> str:
        """A text's <is> element (remembered: a print sheet repeats its labels)."""
        p = self.p
        space = ' xml:space="preserve"' if _SPACE.search(text) else ""
        inline = self._texts[text] = f"<{p}is><{p}t{space}>{_text(text)}</{p}t></{p}is>"
        return inline

    def _cell_xml(self, r: int, c: int, style: str | None, value: object,
                  formula: bool) -> str:
        p = self.p
        s = f' s="{style}"' if style else ""
        head = f'<{p}c r="{_letters(c)}{r}"{s}'
        if value is None:
            return f"{head}/>" if s else ""
        if isinstance(value, str):
            if formula and value.startswith("="):
                shown = _HYPERLINK_TEXT.search(value)
                cached = _text(shown.group(1)) if shown else ""
                return f'{head} t="str"><{p}f>{_text(value[1:])}</{p}f><{p}v>{cached}</{p}v>' \
                       f'</{p}c>'
            inline = self._texts.get(value) or self._inline(value)
            return f'{head} t="inlineStr">{inline}</{p}c>'
        if isinstance(value, bool):
            return f'{head} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
        if isinstance(value, int | float):
            if value != value or value in (float("inf"), float("-inf")):
                return f"{head}/>" if s else ""
            return f"{head}><{p}v>{value}</{p}v></{p}c>"
        if isinstance(value, datetime):
            return f"{head}><{p}v>{(value - EPOCH).total_seconds() / 86400}</{p}v></{p}c>"
        if isinstance(value, date):
            return f"{head}><{p}v>{(value - EPOCH.date()).days}</{p}v></{p}c>"
        return self._cell_xml(r, c, style, str(value), False)


def _text(text: str) -> str:
    """Text as XML character data, with what XML forbids spelt the OOXML way."""
    if not _SPECIAL.search(text):
        return text
    if "_x" in text:
        text = _ESCAPED_LOOKALIKE.sub(r"_x005F_\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _merged(segments: list[Segment]):
    """(column, (value, formulas allowed)) of a row's segments in column order; a later
    segment wins where two overlap."""
    if len(segments) == 1:
        col, values, formula = segments[0]
        return ((c, (v, formula)) for c, v in enumerate(values, start=col))
    row: dict[int, tuple[object, bool]] = {}
    for col, values, formula in segments:
        for c, v in enumerate(values, start=col):
            row[c] = (v, formula)
    return sorted(row.items())


def _bounds(writes: dict[int, list[Segment]]) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) around the segments that
    write a value: the dimension need only cover them."""
    rows, c1, c2 = [], 1 << 30, 0
    for r, segments in writes.items():
        for col, values, _ in segments:
            if values.count(None) != len(values):
                rows.append(r)
                c1, c2 = min(c1, col), max(c2, col + len(values) - 1)
    return (min(rows), c1, max(rows), c2) if rows else None


@functools.lru_cache(maxsize=64)
def _span(col: int, n: int) -> frozenset[str]:
    """The column letters of n columns from col, as a set."""
    return frozenset(_letter_run(col, n))


@functools.lru_cache(maxsize=64)
def _letter_run(col: int, n: int) -> tuple[str, ...]:
    """The column letters of n columns from col, in order."""
    return tuple(col_letter(c) for c in range(col, col + n))


@functools.lru_cache(maxsize=1024)
def _col(letters: str) -> int:
    return col_index(letters)


@functools.lru_cache(maxsize=1024)
def _letters(c: int) -> str:
    return col_letter(c)


def _row_no(attrs: str, sheet: str) -> int:
    m = _ROW_NO.search(attrs)
    if m is None:
        raise SheetRefused(f"sheet '{sheet}' memuat baris tanpa nomor")
    return int(m.group(1))


def _rc(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
    if m is None:
        raise ValueError(ref)
    return int(m.group(2)), col_index(m.group(1))
