"""Finding the contract's sheets and header rows in whatever a workbook holds.

Pure functions over sheet names and rows; they know the schema, not openpyxl.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import Problem
from .schema import SheetSpec, name_key, plain_key

HEADER_SEARCH_ROWS = 30


@dataclass
class RawTable:
    """The rows of one sheet under its header row.

    `columns` maps a column key to its index in each row's values; `headers` maps the key to the
    header exactly as the workbook spells it (messages quote the workbook's own spelling).
    """

    spec: SheetSpec
    sheet: str
    header_row: int
    columns: dict[str, int]
    headers: dict[str, str]
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.columns

    def value(self, values: tuple, key: str) -> object:
        index = self.columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def header(self, key: str) -> str:
        return self.headers.get(key, self.spec.column(key).name)


def find_sheet(spec: SheetSpec, sheet_names: Iterable[str]) -> str | None:
    """Return the workbook's name for `spec`'s sheet (tolerant match), or None when absent."""
    names = list(sheet_names)
    for key_of in (name_key, plain_key):
        wanted = {key_of(name) for name in spec.names}
        for name in names:
            if key_of(name) in wanted:
                return name
    return None


def match_header(spec: SheetSpec, values: tuple) -> dict[str, int]:
    """Map column keys of `spec` to their positions in a candidate header row."""
    found: dict[str, int] = {}
    for key_of in (name_key, plain_key):
        lookup = {key_of(name): column.key for column in spec.columns for name in column.names}
        for index, value in enumerate(values):
            key = lookup.get(key_of(value)) if value is not None else None
            if key and key not in found and index not in found.values():
                found[key] = index
    return found


def locate_table(spec: SheetSpec, sheet: str, rows: list[tuple[int, tuple]]) -> RawTable | Problem:
    """Find the header row (the first row holding every required header, below any title block).

    Return the table of rows under it, or a Problem naming the missing headers and listing the
    headers that were found, so the official sees both what is wanted and what is there.
    """
    required = {column.key for column in spec.columns if column.required}
    best: tuple[int, tuple, dict[str, int]] | None = None
    for position, (row_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = match_header(spec, values)
        if required <= found.keys():
            headers = {key: str(values[index]).strip() for key, index in found.items()}
            return RawTable(spec, sheet, row_number, found, headers, rows[position + 1 :])
        if best is None or len(found) > len(best[2]):
            best = (row_number, values, found)
    return _missing_columns(spec, sheet, best, required)


def _missing_columns(spec: SheetSpec, sheet: str, best, required: set[str]) -> Problem:
    missing = [column.name for column in spec.columns if column.key in required and column.key not in (best[2] if best else {})]
    wanted = ", ".join(f'"{name}"' for name in missing)
    if best is None:
        return Problem("missing_column", f"sheet trống, thiếu cột {wanted}. Nhập dòng tiêu đề và số liệu theo mẫu.", sheet=sheet)
    seen = ", ".join(f'"{str(value).strip()}"' for value in best[1] if value is not None and str(value).strip()) or "không có"
    return Problem(
        "missing_column",
        f"không tìm thấy cột {wanted}. Các cột đang có: {seen}. Đặt tên cột đúng như mẫu.",
        sheet=sheet,
        row=best[0],
    )
