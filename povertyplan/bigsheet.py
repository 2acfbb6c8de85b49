"""Fast reading of a large workbook: the only module that knows python-calamine and fastexcel.

openpyxl streams a million-row register in minutes (its shared-strings table alone takes tens of
seconds); calamine, in Rust, reads it in seconds: python-calamine for the small sheets, fastexcel
for the register, column-wise. Calamine builds the sheet's whole cell grid, and a grid it cannot allocate aborts the
process, beyond any `except`. So the fast path is taken only for a sheet whose XML has been
scanned and proven ordinary: every cell carries its reference, no column beyond Z, no row beyond
Excel's limit, no namespace prefixes. Anything else goes through openpyxl's bounded streaming
reader, which refuses hostile files with a message. The grid is then at most 26 × 1,048,576 cells.
"""
from __future__ import annotations

import re
import zipfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

# Below this size (uncompressed sheet XML, about 25,000 register rows) openpyxl is fast enough and
# also reports error values and unsaved formulas at their cell.
FAST_READ_ABOVE = 8 * 1024**2
# A sheet this large is read column-wise by fastexcel, not row by row.
LARGE_SHEET = 1024**2
EXCEL_MAX_ROW = 1_048_576
_BLOCK = 16 * 1024**2
# Literal-space patterns are searched at C speed; a reference after a tab or line break (legal
# XML, never written by Excel) makes the sheet not ordinary instead.
_FAR_COLUMN = re.compile(rb' r="[A-Z]{2}')
_HUGE_ROW = re.compile(rb' r="[A-Z]{0,3}[0-9]{8}')
_BIG_ROW = re.compile(rb' r="[A-Z]{0,3}([0-9]{7})"')
_ROW_NUMBER = re.compile(rb'<row[^>]* r="([0-9]+)"')
_ODD_SPACING = (b'\tr="', b'\nr="', b'\rr="')


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part (``xl/worksheets/sheet3.xml``), from workbook.xml and its rels.

    Both parts are small and were already checked for DTDs by `reader.check_file`.
    """
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_DOC_RELS}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def fast_source(path: Path):
    """A `CalamineSource` for a large workbook whose every sheet is ordinary, else None.

    Small workbooks stay with openpyxl, which also reports Excel error values and formulas
    without a saved value at their cell; calamine shows both as blank.
    """
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        sizes = [archive.getinfo(part).file_size for part in parts.values() if part in archive.NameToInfo]
        if len(sizes) != len(parts) or sum(sizes) < FAST_READ_ABOVE:
            return None
        first_rows = {name: scan_is_ordinary(archive, part) for name, part in parts.items()}
        if None in first_rows.values():
            return None
        large = {name for name, part in parts.items() if archive.getinfo(part).file_size >= LARGE_SHEET}
    import python_calamine

    return CalamineSource(path, python_calamine.CalamineWorkbook.from_path(str(path)), first_rows, large)


class CalamineSource:
    """The `reader.WorkbookSource` interface over python-calamine (see `fast_source`)."""

    def __init__(self, path: Path, book, first_rows: dict[str, int], large: set[str]):
        self.path, self._book, self._first_rows, self._large = path, book, first_rows, large
        self.sheet_names: tuple[str, ...] = tuple(book.sheet_names)

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """Yield (Excel row number, values) for each non-blank row, as openpyxl's source does."""
        from .reader import MAX_COLUMNS

        sheet = self._book.get_sheet_by_name(sheet_name)
        first_row, first_column = sheet.start or (0, 0)
        for number, values in enumerate(sheet.iter_rows(), start=first_row + 1):
            values = ((None,) * first_column + tuple(None if value == "" else value for value in values))[:MAX_COLUMNS]
            if any(value is not None for value in values):
                yield number, values

    def grid(self, sheet_name: str) -> tuple[int, pd.DataFrame] | None:
        """A large sheet's whole grid as text, column-wise, with the Excel number of its first
        row; None for a small sheet (its `rows` are cheap) or when fastexcel cannot read it."""
        import fastexcel

        first_row = self._first_rows.get(sheet_name)
        if sheet_name not in self._large or not first_row:
            return None
        try:
            reader = fastexcel.read_excel(str(self.path))
            grid = reader.load_sheet(sheet_name, header_row=None, dtypes="string", eager=True).to_pandas()
        except Exception:  # calamine's own error types: the row reader explains the problem
            return None
        return first_row, grid


def scan_is_ordinary(archive: zipfile.ZipFile, part: str) -> int | None:
    """The Excel number of the sheet's first row holding a value if the sheet XML at `part` is
    safe for calamine (see the module docstring), else None (0 for a sheet without values).

    Streams the part in blocks cut after a ``</row>``, so that no tag is split between two
    blocks: memory stays bounded whatever the part's size.
    """
    cells = references = rows = 0
    first_row = None
    for piece in _row_pieces(archive, part):
        if not _ordinary_block(piece):
            return None
        cells += piece.count(b"<c ") + piece.count(b"<c>")
        references += piece.count(b' r="')
        rows += piece.count(b"<row")
        first_row = first_row or _first_value_row(piece)
    # Each row carries at most one reference of its own; every other one must be a cell's.
    if cells > references - rows:
        return None
    return first_row or 0


def _row_pieces(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    carry = b""
    with archive.open(part) as stream:
        while block := stream.read(_BLOCK):
            buffer = carry + block
            cut = buffer.rfind(b"</row>")
            if cut < 0 and len(buffer) > 4 * _BLOCK:  # one row this long is no register row
                yield b":row"  # marks the piece as not ordinary
                return
            cut = cut + len(b"</row>") if cut >= 0 else 0
            yield buffer[:cut]
            carry = buffer[cut:]
    yield carry


def _first_value_row(block: bytes) -> int | None:
    """The row number of the first cell with a value (as calamine starts its grid there)."""
    found = [at for at in (block.find(b"<v>"), block.find(b"<is>"), block.find(b"<v ")) if at >= 0]
    if not found:
        return None
    row = _ROW_NUMBER.search(block, block.rfind(b"<row", 0, min(found)))
    return int(row[1]) if row else None


def _ordinary_block(block: bytes) -> bool:
    if b":c " in block or b":row" in block or any(odd in block for odd in _ODD_SPACING):
        return False
    if _FAR_COLUMN.search(block) or _HUGE_ROW.search(block):
        return False
    return all(int(number) <= EXCEL_MAX_ROW for number in _BIG_ROW.findall(block))
