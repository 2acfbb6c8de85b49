"""Regenerate the example workbook in inputs/: the blank 2023 workbook, filled with the reference data.

Run from the project folder: ``python -m tests.make_example``. The example carries no optional
register columns (income, indicators): it reproduces the real 2023 plan of phường Bắc Sơn, whose
text has no deprivation figures (see `reference_data.register_sheet(survey=True)` for those).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl

from povertyplan.api import new_workbook
from povertyplan.contract.schema import name_key
from tests import reference_data

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx"
YEAR = 2023


def fill_blank(blank: Path, sheets: dict[str, list[list]], target: Path) -> Path:
    """Fill the blank workbook at `blank` with `sheets` (header row + rows per sheet) and save it as `target`.

    `Thông tin chung` values go beside their labels, in order for a repeated label; table rows go
    under the headers of the same name. A label or header the blank workbook lacks is an error.
    """
    book = openpyxl.load_workbook(blank)
    for name, rows in sheets.items():
        if name == "Thông tin chung":
            _fill_info(book[name], rows[1:])
        else:
            _fill_table(book[name], rows[0], rows[1:])
    book.save(target)
    return target


def _fill_info(sheet, items: list[list]) -> None:
    free = {}
    for row in range(2, sheet.max_row + 1):
        free.setdefault(name_key(sheet.cell(row, 1).value), []).append(row)
    for label, value in items:
        rows = free.get(name_key(label))
        if not rows:
            raise ValueError(f"the blank workbook has no free row for {label!r}")
        sheet.cell(rows.pop(0), 2, value)


def _fill_table(sheet, header: list, rows: list[list]) -> None:
    columns = {name_key(cell.value): cell.column for cell in sheet[1] if cell.value}
    missing = [name for name in header if name_key(name) not in columns]
    if missing:
        raise ValueError(f"sheet {sheet.title!r} of the blank workbook has no column {missing}")
    for offset, values in enumerate(rows, start=2):
        for name, value in zip(header, values):
            sheet.cell(offset, columns[name_key(name)], value)


def make_example(target: Path = EXAMPLE) -> Path:
    """Write the example workbook to `target` (replacing it) and return its path."""
    with tempfile.TemporaryDirectory() as folder:
        blank = new_workbook(Path(folder) / "blank.xlsx", YEAR)
        filled = fill_blank(blank, reference_data.sheets(), Path(folder) / "filled.xlsx")
        shutil.move(filled, target)
    return target


if __name__ == "__main__":
    print(f"Đã ghi: {make_example(Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLE)}")
