"""What calamine does not say about an .xls (Excel 97–2003), found before calamine reads it.

python-calamine reads a cell holding an error value (``#DIV/0!``, ``#N/A``…) as a blank one
(its issue 105), and builds each sheet as one dense grid from the cells' positions, so a cell
placed outside Excel's grid, or a forged sheet size, would make it ask for terabytes. `scan`
walks the records of the workbook stream (MS-XLS): the globals give each sheet's substream
(BoundSheet8) and tell a password-protected file (FilePass); in each sheet, a Formula record whose
saved result is an error, or a BoolErr record holding one, marks its cell, and every cell record
is checked to lie in the 65,536 × 256 grid.

Formulas always carry a saved result in this format, so no formula is "unsaved" here.
olefile (the OLE2 container) is imported by this module only.
"""

from __future__ import annotations

import struct
from pathlib import Path

import olefile

from povertyplan.errors import FileProblem
from povertyplan.messages import say
from povertyplan.read.limits import MAX_MARKED_CELLS, MAX_XLS_BYTES, XLS_MAX_COLUMN, XLS_MAX_ROW

# Error codes of BErr (MS-XLS 2.5.10).
ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _DIMENSIONS = 0x0809, 0x000A, 0x002F, 0x0085, 0x0200
_FORMULA, _BOOLERR, _MULRK = 0x0006, 0x0205, 0x00BD
# Records that place one cell (row, column first) and that calamine reads: Number, Label, RString,
# BoolErr, RK, LabelSst, Formula; MulRk places a run of cells.
_CELLS = frozenset((0x0203, 0x0204, 0x00D6, _BOOLERR, 0x027E, 0x00FD, _FORMULA))
_HEADER = struct.Struct("<HH")
_MAX_DIFAT_RESERVED = 2**24
_POSITION = struct.Struct("<HH")

Marks = dict[tuple[int, int], str]


def scan(path: Path) -> list[Marks]:
    """The error cells of each sheet, in the workbook's order: (row, column), 0-based → error text.

    Raise FileProblem for a file that is too big, protected by a password, no workbook, damaged,
    or hostile (a cell or sheet size outside the grid of Excel 97–2003).
    """
    stream = _workbook_stream(path)
    marked = 0
    found = []
    for position in _sheet_positions(stream, path):
        marks = _sheet_marks(stream, position, path)
        marked += len(marks)
        if marked > MAX_MARKED_CELLS:
            why = say("read.why_marked", limit=MAX_MARKED_CELLS)
            raise FileProblem(say("read.book_hostile", name=path.name, why=why))
        found.append(marks)
    return found


def _workbook_stream(path: Path) -> bytes:
    """The bytes of the workbook stream (``Workbook``, or ``Book`` in Excel 5/95 files)."""
    try:
        size = path.stat().st_size
        if size > MAX_XLS_BYTES:
            raise FileProblem(say("read.xls_too_big", name=path.name, size=MAX_XLS_BYTES // 1024**2))
        with open(path, "rb") as stream:
            _check_header(stream.read(512), size, path)
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):  # an .xlsx with a password
                raise FileProblem(say("read.book_password", name=path.name))
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    return ole.openstream(name).read()
            if ole.exists("WordDocument"):
                raise FileProblem(say("read.xls_is_word", name=path.name))
            raise FileProblem(say("read.xls_not_workbook", name=path.name))
    except FileProblem:
        raise
    except PermissionError:
        raise FileProblem(say("read.book_locked", name=path.name)) from None
    except MemoryError:
        raise FileProblem(say("read.book_too_big", name=path.name)) from None
    except Exception:  # olefile raises OSError, struct.error, IndexError… on a damaged container
        raise FileProblem(say("read.book_damaged", name=path.name)) from None


def _check_header(header: bytes, size: int, path: Path) -> None:
    """The OLE2 header's counts, from which calamine reserves memory before reading: consistent
    with the file's size, or the file is refused (a forged count would make calamine, which does
    not check them, ask for gigabytes and end the program)."""
    if len(header) < 512:
        raise FileProblem(say("read.book_damaged", name=path.name))
    sector_shift, mini_shift = struct.unpack_from("<HH", header, 30)
    fat_sectors = int.from_bytes(header[44:48], "little")
    # calamine reads the DIFAT length from bytes 62–65 (the mini FAT's start and length, mixed):
    # 0xFFFF plus a small number of mini FAT sectors in a real file.
    difat_reserved = int.from_bytes(header[62:66], "little")
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise FileProblem(say("read.book_damaged", name=path.name))
    if fat_sectors << sector_shift > size or difat_reserved > _MAX_DIFAT_RESERVED:
        raise FileProblem(say("read.book_hostile", name=path.name, why=say("read.why_ole_header")))


def _sheet_positions(stream: bytes, path: Path) -> list[int]:
    """Where each sheet's substream starts, from the globals' BoundSheet8 records, in order."""
    positions = []
    for kind, start, size in _records(stream, 0):
        if kind == _FILEPASS and size >= 2 and stream[start : start + 2] != b"\x00\x00":
            raise FileProblem(say("read.book_password", name=path.name))
        if kind == _BOUNDSHEET:
            if size < 4:
                raise FileProblem(say("read.book_damaged", name=path.name))
            position = int.from_bytes(stream[start : start + 4], "little")
            if position + 4 > len(stream):
                raise FileProblem(say("read.book_damaged", name=path.name))
            positions.append(position)
        elif kind == _EOF:
            break
    return positions


def _records(stream: bytes, position: int):
    """(record type, start of its data, its size) from `position` to the end of the stream."""
    end = len(stream)
    while position + 4 <= end:
        kind, size = _HEADER.unpack_from(stream, position)
        yield kind, position + 4, min(size, end - position - 4)
        position += 4 + size


def _sheet_marks(stream: bytes, position: int, path: Path) -> Marks:
    """The error cells of the sheet whose substream starts at `position`, checking every cell's place.

    Substreams nested in a sheet (an embedded chart) are skipped, as calamine skips them.
    """
    marks: Marks = {}
    depth, seen_bof = 0, False
    for kind, start, size in _records(stream, position):
        if kind == _BOF:
            depth, seen_bof = (depth + 1 if seen_bof else depth), True
        elif kind == _EOF:
            if not depth:
                break
            depth -= 1
        elif depth:
            continue
        elif kind in _CELLS and size >= 4:
            row, column = _POSITION.unpack_from(stream, start)
            if column >= XLS_MAX_COLUMN:
                raise _outside(path)
            error = _error_of(stream, kind, start, size)
            if error is not None:
                marks[(row, column)] = error
        elif kind == _MULRK and size >= 6:
            row, first = _POSITION.unpack_from(stream, start)
            if first + (size - 6) // 6 > XLS_MAX_COLUMN:
                raise _outside(path)
        elif kind == _DIMENSIONS:
            _check_dimensions(stream[start : start + size], path)
    return marks


def _error_of(stream: bytes, kind: int, start: int, size: int) -> str | None:
    """The error a Formula's saved result or a BoolErr holds, or None."""
    if kind == _FORMULA and size >= 14 and stream[start + 12 : start + 14] == b"\xff\xff" and stream[start + 6] == 2:
        return ERRORS.get(stream[start + 8], "#VALUE!")
    if kind == _BOOLERR and size >= 8 and stream[start + 7] == 1:
        return ERRORS.get(stream[start + 6], "#VALUE!")
    return None


def _check_dimensions(data: bytes, path: Path) -> None:
    """A sheet's declared size, from which calamine reserves memory: within the grid, or refused."""
    if len(data) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", data)
    elif len(data) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", data)
    else:
        return
    if first_column > 0xFF or last_column < first_column:  # calamine then counts from column A
        first_column = 0
    if not (last_row and last_column):
        return
    # calamine counts rows as last - first, wrapping round below zero
    if first_row > last_row or (last_row - first_row) * (last_column - first_column) > XLS_MAX_ROW * XLS_MAX_COLUMN:
        raise _outside(path)


def _outside(path: Path) -> FileProblem:
    return FileProblem(say("read.book_hostile", name=path.name, why=say("read.why_outside_xls_grid")))
