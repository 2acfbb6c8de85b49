"""Fast reading of a large workbook: the only module that knows python-calamine.

openpyxl streams a million-row register in minutes (its shared-strings table alone takes tens of
seconds). In a large workbook the register is read column-wise by `xlsxgrid` (numpy over the
sheet's XML, only the columns the register needs), and the small sheets by python-calamine (Rust).
Calamine builds a sheet's whole cell grid, and a grid it cannot allocate aborts the process,
beyond any `except`: so calamine only gets a small sheet whose XML has been scanned and proven
ordinary (every cell carries its reference, no column beyond Z, no row beyond Excel's limit, no
namespace prefixes). A large sheet `xlsxgrid` cannot read, and any other workbook, goes through
openpyxl's bounded streaming reader, which refuses hostile files with a message.
"""
from __future__ import annotations

import re
import zipfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from . import xlsxgrid

# Below this size (uncompressed sheet XML, about 25,000 register rows) openpyxl is fast enough.
FAST_READ_ABOVE = 8 * 1024**2
# A sheet this large is read column-wise by `xlsxgrid`, not row by row.
LARGE_SHEET = 1024**2
EXCEL_MAX_ROW = 1_048_576
_BLOCK = 16 * 1024**2
# Literal-space patterns are searched at C speed; a reference after a tab or line break (legal
# XML, never written by Excel) makes the sheet not ordinary instead.
_FAR_COLUMN = re.compile(rb' r="[A-Z]{2}')
_HUGE_ROW = re.compile(rb' r="[A-Z]{0,3}[0-9]{8}')
_BIG_ROW = re.compile(rb' r="[A-Z]{0,3}([0-9]{7})"')
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
    """A `FastSource` for a large workbook whose small sheets are ordinary, else None.

    Small workbooks stay with openpyxl, which is fast enough for them.
    """
    with zipfile.ZipFile(path) as archive:
        parts = sheet_parts(archive)
        sizes = {name: archive.getinfo(part).file_size for name, part in parts.items() if part in archive.NameToInfo}
        if len(sizes) != len(parts) or sum(sizes.values()) < FAST_READ_ABOVE:
            return None
        large = {name for name, size in sizes.items() if size >= LARGE_SHEET}
        if not all(is_ordinary(archive, part) for name, part in parts.items() if name not in large):
            return None
    import python_calamine

    return FastSource(path, python_calamine.CalamineWorkbook.from_path(str(path)), parts, large)


class FastSource:
    """The `reader.WorkbookSource` interface for a large workbook (see `fast_source`), plus
    `head` and `columns` for reading a large sheet column-wise."""

    def __init__(self, path: Path, book, parts: dict[str, str], large: set[str]):
        self.path, self._book, self._parts, self._large = path, book, parts, large
        self.sheet_names: tuple[str, ...] = tuple(book.sheet_names)
        self._shared = None

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """Yield (Excel row number, values) for each non-blank row, as openpyxl's source does."""
        from .reader import MAX_COLUMNS, open_exact

        if sheet_name in self._large:  # never calamine: its grid was not proven allocatable
            with open_exact(self.path) as exact:
                yield from exact.rows(sheet_name)
            return
        sheet = self._book.get_sheet_by_name(sheet_name)
        first_row, first_column = sheet.start or (0, 0)
        for number, values in enumerate(sheet.iter_rows(), start=first_row + 1):
            values = ((None,) * first_column + tuple(None if value == "" else value for value in values))[:MAX_COLUMNS]
            if any(value is not None for value in values):
                yield number, values

    def head(self, sheet_name: str, count: int) -> list[tuple[int, tuple]] | None:
        """The first `count` non-blank rows of a large sheet, values as text; None for a small
        sheet (its `rows` are cheap) or one `xlsxgrid` cannot read."""
        from .reader import MAX_COLUMNS

        if sheet_name not in self._large or (shared := self._shared_strings()) is None:
            return None
        with zipfile.ZipFile(self.path) as archive:
            return xlsxgrid.first_rows(archive, self._parts[sheet_name], shared, count, MAX_COLUMNS)

    def columns(self, sheet_name: str, indices: list[int]) -> xlsxgrid.Columns | None:
        """The columns `indices` (0 = A) of a large sheet, one row per non-blank sheet row."""
        from .reader import MAX_COLUMNS

        if (shared := self._shared_strings()) is None:
            return None
        with zipfile.ZipFile(self.path) as archive:
            return xlsxgrid.read_columns(archive, self._parts[sheet_name], shared, indices, MAX_COLUMNS)

    def _shared_strings(self) -> xlsxgrid.SharedStrings | None:
        if self._shared is None:
            with zipfile.ZipFile(self.path) as archive:
                self._shared = xlsxgrid.read_shared_strings(archive, shared_strings_part(archive)) or False
        return self._shared or None


def shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    """The shared-strings part named by the workbook's relationships (usually xl/sharedStrings.xml)."""
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_RELS}Relationship"):
        if rel.get("Type", "").endswith("/sharedStrings"):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def is_ordinary(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet XML at `part` is safe for calamine (see the module docstring).

    Streams the part in blocks cut after a ``</row>``, so that no tag is split between two
    blocks: memory stays bounded whatever the part's size.
    """
    cells = references = rows = 0
    for piece in _row_pieces(archive, part):
        if not _ordinary_block(piece):
            return False
        cells += piece.count(b"<c ") + piece.count(b"<c>")
        references += piece.count(b' r="')
        rows += piece.count(b"<row")
    # Each row carries at most one reference of its own; every other one must be a cell's.
    return cells <= references - rows


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


def _ordinary_block(block: bytes) -> bool:
    if b":c " in block or b":row" in block or any(odd in block for odd in _ODD_SPACING):
        return False
    if _FAR_COLUMN.search(block) or _HUGE_ROW.search(block):
        return False
    return all(int(number) <= EXCEL_MAX_ROW for number in _BIG_ROW.findall(block))
