"""How Excel names a cell, as messages and formulas show it: column ``B``, cell ``B7``."""

from __future__ import annotations


def column_letter(index: int) -> str:
    """Excel's letters of the 0-based column `index`: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_reference(row: int, column: int) -> str:
    """``B7`` for row 7 (as Excel numbers it), column 1 (0 = A)."""
    return f"{column_letter(column)}{row}"
