"""Hidden rows and columns: read as data like any other, with one warning per sheet naming them.

An official may hide a row of last year's households or a column of working figures and forget
it; the program counts what is there, so it says which cells the official may not see.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from povertyplan.contract.cellref import column_letter
from povertyplan.messages import say
from povertyplan.read.sheets import RawTable
from povertyplan.validate.collector import Collector

# Ranges of rows a warning lists before it cuts the list short.
_LISTED = 8


def hidden_warnings(tables: list[RawTable], hidden_of: Callable[[str], object], out: Collector) -> None:
    """One warning per table whose header or data rows, or read columns, its sheet hides.

    `hidden_of(sheet)` gives the sheet's hidden `rows` (Excel numbers) and `columns` (0 = A).
    """
    for table in tables:
        hidden = hidden_of(table.sheet)
        if not (hidden.rows or hidden.columns):
            continue
        read = (
            table.frame["row"].to_numpy()
            if table.frame is not None
            else np.array([row for row, _ in table.rows], dtype=np.int64)
        )
        rows = np.intersect1d(np.asarray(hidden.rows, dtype=np.int64), np.append(read, table.header_row)).tolist()
        columns = sorted(set(hidden.columns) & set(table.positions.values()))
        parts = ([say("validate.hidden_rows", rows=_ranges(rows, str))] if rows else []) + (
            [say("validate.hidden_columns", columns=_ranges(columns, column_letter))] if columns else []
        )
        if parts:
            out.warn("hidden_cells", say("validate.hidden_cells", cells=" và ".join(parts)), sheet=table.sheet)


def _ranges(numbers: list[int], shown: Callable[[int], str]) -> str:
    """``5, 7–9, 12``: consecutive numbers as one range, at most `_LISTED` ranges."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = ", ".join(
        shown(first) if first == last else f"{shown(first)}–{shown(last)}" for first, last in runs[:_LISTED]
    )
    return text + (", …" if len(runs) > _LISTED else "")
