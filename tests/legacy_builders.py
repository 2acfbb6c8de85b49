"""Workbooks typed in the old Vietnamese encodings: each text cell written as a font draws it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from povertyplan.read.legacy import TCVN3_CAPITALS, encode, font_encoding

# The font a cell is typed in, given (sheet, row from 1, column from 1, value); None for Unicode.
FontOf = Callable[[str, int, int, object], "str | None"]


def write_typed_workbook(path: Path, sheets: dict[str, list[list]], font_of: FontOf, fonts_kept: bool = True) -> Path:
    """Write `sheets` to `path`, each text cell typed in the encoding of its font (`font_of`), as
    a keyboard driver such as Unikey types it; the font is kept in the cell unless `fonts_kept`
    is False (a file whose fonts were lost). A cell in a capital font (``.VnTimeH``) holds the
    value's capitals."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                font = font_of(name, row_number, column, value) if isinstance(value, str) else None
                encoding = font_encoding(font)
                cell = sheet.cell(row_number, column)
                if encoding is None:
                    cell.value = value
                    continue
                cell.value = encode(value.upper() if encoding == TCVN3_CAPITALS else value, encoding)
                if fonts_kept:
                    cell.font = Font(name=font, size=13)
    book.save(path)
    return path


def everywhere(font: str) -> FontOf:
    """Every text cell in `font`."""
    return lambda sheet, row, column, value: font


def garbled(text: str) -> str:
    """`text` saved as UTF-8 and opened as Windows-1252, as Windows reads it (the five bytes
    Windows-1252 leaves unassigned become the control characters of the same number)."""
    return "".join(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in text.encode("utf-8"))
