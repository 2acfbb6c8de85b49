"""Finding the contract's sheets and header rows in whatever a workbook holds.

Pure functions over sheet names and rows; they know the schema, not openpyxl.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter

from povertyplan.read.cells import is_blank, is_unsaved_formula
from povertyplan.read.legacy import TCVN3, VNI, convert_like
from povertyplan.errors import Problem, shorten
from povertyplan.contract.schema import SheetSpec, name_key, plain_key
from povertyplan.messages import say

HEADER_SEARCH_ROWS = 30
# Data rows a sheet may hold. A commune has tens of units, members and recipients; only the
# household register is long (up to Excel's own limit). A bound keeps a hostile sheet cheap.
MAX_ROWS = 10_000
MAX_ROWS_BY_SHEET = {"register": 1_048_576}
# Sheets whose rows are personal data: a message never quotes a row that is not a header.
PERSONAL_SHEETS = {"register"}


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
    # A large register read column-wise by `bigsheet` comes as a DataFrame instead of `rows`.
    frame: object = None
    # Column key → its column in the sheet (0 = A), to tell which of the sheet's cells are used.
    positions: dict[str, int] = field(default_factory=dict)

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
    for key_of_name, keys_of_text in _MATCHES:
        wanted = {key_of_name(name) for name in spec.names}
        for name in names:
            if wanted.intersection(keys_of_text(name)):
                return name
    return None


def legacy_keys(text: object) -> list[str]:
    """The `plain_key`s `text` has once converted from TCVN3 or VNI (`legacy.convert_like`): a
    name typed in an old encoding whose font the file did not keep (``Sè hé`` is ``Số hộ``)."""
    if not isinstance(text, str):
        return []
    return [plain_key(converted) for encoding in (TCVN3, VNI) if (converted := convert_like(text, encoding))]


# How a name of the contract and a workbook's text are keyed, loosest last: exactly (but case and
# spaces), without diacritics, then converted from an old encoding.
_MATCHES = (
    (name_key, lambda text: [name_key(text)]),
    (plain_key, lambda text: [plain_key(text)]),
    (plain_key, legacy_keys),
)


def match_header(spec: SheetSpec, values: tuple) -> dict[str, int]:
    """Map column keys of `spec` to their positions in a candidate header row.

    A column's own name is looked for before its aliases (`Hộ nghèo đầu năm` is found even when
    another cell of the row says `Hộ nghèo`, one of its aliases), exact spelling before plain.
    """
    found: dict[str, int] = {}
    # Loosest key last (`_MATCHES`); with each key, a column's own name before its aliases.
    for key_of_name, keys_of_text in _MATCHES:
        for aliases in (False, True):
            lookup = {
                key_of_name(name): column.key
                for column in spec.columns
                for name in (column.aliases if aliases else (column.name,))
            }
            for index, value in enumerate(values):
                key = next((lookup[k] for k in keys_of_text(value) if k in lookup), None) if value is not None else None
                if key and key not in found and index not in found.values():
                    found[key] = index
    return found


def locate_table(spec: SheetSpec, sheet: str, rows: Iterable[tuple[int, tuple]]) -> RawTable | Problem:
    """Find the header row (the first row holding every required header, below any title block).

    Return the table of rows under it, or a Problem naming the missing headers and listing the
    headers that were found, so the official sees both what is wanted and what is there.
    `rows` may be a stream: the rows under the header are read once and kept only in the
    columns of `spec` (extra columns are ignored, so they cost no memory).
    """
    rows = iter(rows)
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    found = find_header(spec, head)
    if found is None:
        return _missing_columns(spec, sheet, head)
    position, row_number, values, columns = found
    body = _project(chain(head[position + 1 :], rows), list(columns.values()), spec, sheet)
    if isinstance(body, Problem):
        return body
    return header_table(spec, sheet, row_number, values, columns, body)


def find_header(spec: SheetSpec, head: list[tuple[int, tuple]]) -> tuple[int, int, tuple, dict[str, int]] | None:
    """The first of `head`'s rows holding every required header of `spec`: (its position in
    `head`, its row number, its values, the column key → position map), or None."""
    required = {column.key for column in spec.columns if column.required}
    for position, (row_number, values) in enumerate(head):
        found = match_header(spec, values)
        if required <= found.keys():
            return position, row_number, values, found
    return None


def header_table(
    spec: SheetSpec, sheet: str, row_number: int, values: tuple, found: dict[str, int], rows: list, frame=None
) -> RawTable:
    """The table under the header row `values` (found at `row_number`), its cells kept in the
    columns `found` in that order (`rows`), or given whole as `frame`."""
    headers = {key: str(values[index]).strip() for key, index in found.items()}
    return RawTable(spec, sheet, row_number, {key: i for i, key in enumerate(found)}, headers, rows, frame, dict(found))


def _project(
    rows: Iterable[tuple[int, tuple]], indexes: list[int], spec: SheetSpec, sheet: str
) -> list[tuple[int, tuple]] | Problem:
    """Keep, of each row, the cells at `indexes` in that order; drop rows blank in all of them.

    More than the sheet's row limit of non-blank rows (counted before projection, so rows of
    ignored columns count too) is refused: the rest of a hostile sheet is never read.
    """
    limit = MAX_ROWS_BY_SHEET.get(spec.key, MAX_ROWS)
    take, needed = itemgetter(*indexes), max(indexes) + 1
    kept: list[tuple[int, tuple]] = []
    for count, (row_number, values) in enumerate(rows, start=1):
        if count > limit:
            return Problem("too_many_rows", say("read.too_many_rows", limit=limit), sheet=sheet, row=row_number)
        if len(values) < needed:
            values = values + (None,) * (needed - len(values))
        cells = take(values) if len(indexes) > 1 else (values[indexes[0]],)
        if cells.count(None) < len(cells) and not all(
            is_blank(cell) and not is_unsaved_formula(cell) for cell in cells
        ):
            kept.append((row_number, cells))
    return kept


def _missing_columns(spec: SheetSpec, sheet: str, head: list[tuple[int, tuple]]) -> Problem:
    """The headers missing from the row of `head` that holds the most of them."""
    required = {column.key for column in spec.columns if column.required}
    best = max(
        ((row_number, values, match_header(spec, values)) for row_number, values in head),
        key=lambda item: len(item[2]),
        default=None,
    )
    missing = [
        column.name for column in spec.columns if column.key in required and column.key not in (best[2] if best else {})
    ]
    wanted = ", ".join(f'"{name}"' for name in missing)
    if best is None:
        return Problem("missing_column", say("read.empty_sheet", wanted=wanted), sheet=sheet)
    if spec.key in PERSONAL_SHEETS and not best[2]:
        # No cell matched a header: this row is likely a household's data, which is never quoted.
        return Problem(
            "missing_column", say("read.header_not_found", wanted=wanted, rows=HEADER_SEARCH_ROWS), sheet=sheet
        )
    seen = ", ".join(
        f'"{shorten(str(value).strip(), 40)}"' for value in best[1] if value is not None and str(value).strip()
    )
    return Problem(
        "missing_column",
        say("read.column_not_found", wanted=wanted, seen=seen)
        if seen
        else say("read.column_not_found_no_columns", wanted=wanted),
        sheet=sheet,
        row=best[0],
    )
