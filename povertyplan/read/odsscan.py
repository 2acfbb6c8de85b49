"""What calamine does not say about an .ods (OpenDocument spreadsheet), found before it reads one.

python-calamine reads a cell holding an error value as a blank one (its issue 105) and cannot
tell a formula without a saved value; and calamine reads the whole of content.xml into dense
grids at once, so a small hostile file (a cell repeated a million times across 16,384 columns)
would ask it for terabytes. `scan` checks the package (parts, sizes, compression ratio, password,
DTD), then streams content.xml once with expat, counting the cells calamine would hold and
marking the cells it cannot report: an error (``calcext:value-type="error"``, shown as
LibreOffice shows it and named by the Excel code LibreOffice saves it as), and a formula with
neither a value nor a displayed text (written by a program that does not calculate).

Cells are located as calamine locates them: rows and cells counted with their repeats, covered
(merged) cells included, elements named with the usual prefixes (``table:``, ``office:``).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from povertyplan.errors import FileProblem
from povertyplan.messages import say
from povertyplan.read.cells import EXCEL_ERRORS, UNSAVED_FORMULA
from povertyplan.read.limits import (
    EXCEL_MAX_COLUMN,
    EXCEL_MAX_ROW,
    MAX_BOOK_CELLS,
    MAX_MARKED_CELLS,
    MAX_MEMBERS,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    RATIO_APPLIES_ABOVE,
)

Marks = dict[tuple[int, int], str]

_CELLS = ("table:table-cell", "table:covered-table-cell")
_VALUES = ("office:value", "office:string-value", "office:date-value", "office:time-value", "office:boolean-value")
# LibreOffice's own errors (shown as Err:NNN) as it saves them in .xlsx or .xls (other codes: #N/A).
_LIBREOFFICE_ERRORS = {
    502: "#VALUE!",
    503: "#NUM!",
    504: "#VALUE!",
    507: "#VALUE!",
    509: "#VALUE!",
    510: "#VALUE!",
    511: "#VALUE!",
    519: "#VALUE!",
    522: "#VALUE!",
    524: "#REF!",
    525: "#NAME?",
    532: "#DIV/0!",
}
_CHUNK = 1024**2
_PLAIN = (0, 1, False, False)  # a cell of one column, neither an error nor a formula


def scan(path: Path) -> dict[str, Marks]:
    """The marked cells of each sheet, by sheet name: (row, column), 0-based → the error code, or
    `UNSAVED_FORMULA`. Raise FileProblem for a damaged, protected, too large or hostile file."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_package(archive, path)
            with archive.open("content.xml") as stream:
                return _Content(path).read(stream)
    except FileProblem:
        raise
    except PermissionError:
        raise FileProblem(say("read.book_locked", name=path.name)) from None
    except MemoryError:
        raise FileProblem(say("read.book_too_big", name=path.name)) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        expat.ExpatError,
    ):
        # KeyError: no content.xml; ValueError: a repeat count that is no number; RuntimeError: an encrypted member
        raise FileProblem(say("read.book_damaged", name=path.name)) from None


def _check_package(archive: zipfile.ZipFile, path: Path) -> None:
    """Parts, sizes and ratio as for an .xlsx (docs/limits.md), then a password: the manifest
    lists the encrypted parts."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _hostile(path, say("read.why_parts", count=len(members), limit=MAX_MEMBERS))
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _hostile(path, say("read.why_unpacked", size=f"{MAX_UNPACKED_BYTES // 1024**3} GB"))
    for member in members:
        if member.file_size > RATIO_APPLIES_ABOVE and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _hostile(path, say("read.why_ratio", ratio=MAX_RATIO))
    if "META-INF/manifest.xml" in archive.NameToInfo:
        with archive.open("META-INF/manifest.xml") as stream:
            if b"encryption-data" in stream.read(MAX_PART_BYTES):
                raise FileProblem(say("read.book_password", name=path.name))


def _hostile(path: Path, why: str) -> FileProblem:
    return FileProblem(say("read.book_hostile", name=path.name, why=why))


def error_code(shown: str) -> str:
    """The Excel code of an error cell from the text LibreOffice shows in it (``#DIV/0!``, ``Err:502``)."""
    text = shown.strip().upper()
    if text in EXCEL_ERRORS:
        return text
    number = text.removeprefix("ERR:")
    return _LIBREOFFICE_ERRORS.get(int(number), "#N/A") if number.isdigit() and number != text else "#N/A"


class _Content:
    """One pass of expat over content.xml: where calamine will put each cell, and what it holds.

    The handlers run once per element of a file that may hold millions: they do the least they
    can (attributes as expat's list, a sheet's used area updated once per row).
    """

    def __init__(self, path: Path):
        self.path = path
        self.sheets: dict[str, Marks] = {}
        self.marks: Marks | None = None  # the current sheet's, None outside a sheet
        self.row = self.column = self.row_repeat = 0
        self.cell: tuple | None = None  # inside a cell: (first column, repeat, is error, is unsaved candidate)
        self.depth = self.cell_depth = 0
        self.paragraph = False  # the cell has a text:p (a displayed result)
        self.text: list[str] = []
        self.marked = 0
        self.held = 0  # cells calamine keeps while reading rows, all sheets
        self.area: list[int] | None = None  # the current sheet's first/last row and column holding a value
        self.row_first = self.row_end = 0  # the current row's first column holding a value; the column after its last

    def read(self, stream) -> dict[str, Marks]:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.ordered_attributes = True  # a list is cheaper than a dict, per element
        parser.StartDoctypeDeclHandler = self._doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        self.parser = parser
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return self.sheets

    def _doctype(self, *_) -> None:
        raise _hostile(self.path, say("read.why_dtd"))

    def _start(self, name: str, attributes: list) -> None:
        self.depth += 1
        if self.cell is not None:
            if name == "text:p" and self.depth == self.cell_depth + 1:
                self.paragraph = True
                if self.cell[2]:
                    self.parser.CharacterDataHandler = self.text.append
        elif self.marks is not None:
            if name in _CELLS:
                # Most cells hold a plain value: the list's names and values are looked through
                # for the few attributes (or the value "error") that need a closer look.
                closer = "table:formula" in attributes or "error" in attributes
                if closer or "table:number-columns-repeated" in attributes:
                    self._cell_start(dict(zip(attributes[::2], attributes[1::2])))
                else:
                    self._plain_cell("office:value-type" in attributes)
            elif name == "table:table-row":
                self.row_repeat = _count(dict(zip(attributes[::2], attributes[1::2])).get("table:number-rows-repeated"))
                self.column = self.row_end = 0
                self.row_first = -1
        elif name == "table:table":
            found = dict(zip(attributes[::2], attributes[1::2]))
            if "table:name" in found:
                self.marks = self.sheets[found["table:name"]] = {}
                self.row, self.area = 0, None

    def _plain_cell(self, holds: bool) -> None:
        if holds:
            if self.row_first < 0:
                self.row_first = self.column
            self.row_end = self.column + 1
        self.cell, self.cell_depth = _PLAIN, self.depth
        self.column += 1

    def _cell_start(self, attributes: dict) -> None:
        repeat = _count(attributes.get("table:number-columns-repeated"))
        formula = "table:formula" in attributes
        error = attributes.get("calcext:value-type") == "error"
        unsaved = formula and not error and not any(key in attributes for key in _VALUES)
        if formula or "office:value-type" in attributes:  # a cell calamine holds
            if self.row_first < 0:
                self.row_first = self.column
            self.row_end = self.column + repeat
        self.cell, self.cell_depth, self.paragraph = (self.column, repeat, error, unsaved), self.depth, False
        self.column += repeat

    def _end(self, name: str) -> None:
        self.depth -= 1
        if self.cell is not None:
            if self.depth == self.cell_depth - 1:
                cell, self.cell = self.cell, None
                if cell is not _PLAIN:
                    self._cell_done(cell)
            elif name == "text:p" and self.cell[2]:
                self.parser.CharacterDataHandler = None
        elif self.marks is not None:
            if name == "table:table-row":
                self._row_done()
            elif name == "table:table":
                self._sheet_done()

    def _cell_done(self, cell: tuple) -> None:
        column, repeat, error, unsaved = cell
        if error:
            self.parser.CharacterDataHandler = None
            self._mark(column, repeat, error_code("".join(self.text)))
            self.text.clear()
        elif unsaved and not self.paragraph:
            self._mark(column, repeat, UNSAVED_FORMULA)

    def _mark(self, column: int, repeat: int, mark: str) -> None:
        self.marked += repeat * self.row_repeat
        if self.marked > MAX_MARKED_CELLS:
            raise _hostile(self.path, say("read.why_marked", limit=MAX_MARKED_CELLS))
        for row in range(self.row, self.row + self.row_repeat):
            for at in range(column, column + repeat):
                self.marks[(row, at)] = mark

    def _row_done(self) -> None:
        if self.row_end:
            if self.row + self.row_repeat > EXCEL_MAX_ROW or self.row_end > EXCEL_MAX_COLUMN:
                raise _hostile(self.path, say("read.why_outside_grid", rows=EXCEL_MAX_ROW, columns=EXCEL_MAX_COLUMN))
            last_row, last_column = self.row + self.row_repeat - 1, self.row_end - 1
            area = self.area or [self.row, last_row, self.row_first, last_column]
            self.area = [area[0], last_row, min(area[2], self.row_first), max(area[3], last_column)]
            self.held += self.row_end
        self.row += self.row_repeat
        self._check_cells()

    def _sheet_done(self) -> None:
        self._check_cells()
        self.held += self._area_cells()
        self.marks = None

    def _area_cells(self) -> int:
        """The cells of the current sheet's used area, which calamine holds as one dense grid."""
        if not self.area:
            return 0
        first_row, last_row, first_column, last_column = self.area
        return (last_row - first_row + 1) * (last_column - first_column + 1)

    def _check_cells(self) -> None:
        """calamine holds every sheet's used area, plus each row as read, in memory at once."""
        if self.held + self._area_cells() > MAX_BOOK_CELLS:
            raise _hostile(self.path, say("read.why_cells", limit=MAX_BOOK_CELLS))


def _count(text: str | None) -> int:
    """A repeat count: 1 when absent; ValueError (damage) when no positive number."""
    if text is None:
        return 1
    count = int(text)
    if count < 1:
        raise ValueError(text)
    return count
