"""Build real .xlsx workbooks in a temporary folder from compact literals."""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import openpyxl

from tests import reference_data


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write `sheets` (sheet name → rows of cell values) to `path` and return it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def rewrite_sheet(path: Path, target: Path, sheet: str, edit) -> Path:
    """Copy the workbook at `path` to `target` with one sheet's XML text changed by `edit`."""
    from povertyplan.bigsheet import sheet_parts

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy_:
        part = sheet_parts(source)[sheet]
        for item in source.infolist():
            data = source.read(item.filename)
            copy_.writestr(item, edit(data.decode()).encode() if item.filename == part else data)
    return target


def reference_sheets(**changes) -> dict[str, list[list]]:
    """The Bắc Sơn 2023 sheets, deep-copied so a test may change any cell."""
    sheets = copy.deepcopy(reference_data.sheets())
    sheets.update(changes)
    return sheets


def set_info(sheets: dict, label: str, value) -> dict:
    """Set (or add) one item of `Thông tin chung`; a value of None removes the item."""
    rows = sheets["Thông tin chung"]
    for row in rows[1:]:
        if row[0] == label:
            if value is None:
                rows.remove(row)
            else:
                row[1] = value
            return sheets
    if value is not None:
        rows.append([label, value])
    return sheets
