"""The sheet `Hộ gia đình` (register of poor and near-poor households), validated column-wise.

Vectorised: a register can hold a million rows, so checks are pandas operations over whole
columns and messages are built only for the rows that fail. Messages identify a household only by
its row and `Mã hộ`; names and other personal data never leave this module.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from povertyplan.messages import say
from povertyplan.read.cells import UNSAVED_FORMULA, UNSAVED_MARK
from povertyplan.contract.schema import (
    AREA_NAMES,
    AREAS,
    CATEGORIES,
    CATEGORY_NAMES,
    INDICATOR_PREFIX,
    MARK,
    NEAR_POOR,
    POOR,
    REGISTER,
    UNITS,
)
from povertyplan.contract.standards import RURAL, URBAN
from povertyplan.contract.vnformat import group_thousands

from povertyplan.read.sheets import RawTable
from povertyplan.read.textcolumns import arrow_chunks, clean_series, is_arrow_text, one_character_cells, text_series
from povertyplan.validate.units import lookup_by_key, unit_key
from povertyplan.validate.collector import Collector

REQUIRED_TEXT = ("code", "head", "unit", "category")
MARK_COLUMNS = tuple(c.key for c in REGISTER.columns if c.key.startswith(INDICATOR_PREFIX)) + ("leaving",)
NUMBER_TYPES = (int, float, np.int64, np.int32, np.float64, np.float32)
_DECIMAL = r"-?\d+(?:\.\d+)?"
# No household counts more people; a larger number is an ID or a total typed in the wrong column.
MAX_HOUSEHOLD_SIZE = 100
# đồng per person per month: above is no register's income; most below means thousands of đồng.
MAX_INCOME = 100_000_000
THOUSANDS_BELOW = 10_000
_THOUSANDS_DOTS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?"


def register_frame(table: RawTable) -> pd.DataFrame:
    """The register's cells as a DataFrame: one column per matched column key, plus `row`."""
    rows = [values for _, values in table.rows]
    frame = pd.DataFrame({key: [_cell(values, index) for values in rows] for key, index in table.columns.items()})
    frame["row"] = [row for row, _ in table.rows]
    return frame


def _cell(values: tuple, index: int) -> object:
    """The cell at `index`; an unsaved formula as `UNSAVED_MARK`, as the fast reader gives it."""
    value = values[index] if index < len(values) else None
    return UNSAVED_MARK if value is UNSAVED_FORMULA else value


def parse_register(
    table: RawTable,
    units: pd.DataFrame,
    out: Collector,
    frame: pd.DataFrame,
    aliases: dict[str, str | None] | None = None,
) -> pd.DataFrame:
    """Return the valid households: ``code, head, unit, category, row`` (category ``poor``/``near_poor``;
    ``head``, the head of household's name, is for the review list alone).

    Plus each optional column the sheet has (`parse_optional`): ``household_size`` (Int64),
    ``income`` (float, NaN when blank), ``lacks_<indicator>`` and ``leaving`` (bool, True for
    ``x``), ``area`` (``urban``/``rural``/None) and ``note`` (text). Text columns are
    Arrow-backed (pandas ``str``). `frame` holds the cells: `register_frame` of `table`'s rows,
    or the fast reader's columns. `aliases`: other names of units (`unitnames.reconcile_names`).

    A row with a code and two or more of the other required cells blank (a stray or unfinished
    row) is one error naming them, and is not checked further.
    """
    rows, text = frame["row"].to_numpy(), {}
    for key in REQUIRED_TEXT:
        text[key], repaired = _clean_text(frame[key])
        out.repaired_rows(table, key, rows[repaired])
    code = text["code"]
    has_code = (code != "").to_numpy(dtype=bool)
    _rows_error(out, "household_code_missing", say("validate.household_code_missing"), table, "code", ~has_code, rows)
    has_code = has_code & ~_incomplete_rows(text, has_code, rows, code, table, out)
    duplicate, first = _duplicates(code, has_code)

    def repeated(index: int) -> str:  # messages are built only for the duplicates printed
        return say("validate.duplicate_household", row=rows[first[index]])

    _rows_error(out, "duplicate_household", repeated, table, "code", duplicate, rows, code)
    blank_head = has_code & (text["head"] == "").to_numpy(dtype=bool)
    _rows_error(out, "required", say("validate.head_empty"), table, "head", blank_head, rows, code)
    unit = _units(text["unit"], units, has_code, rows, code, table, out, aliases or {})
    category = _categories(text["category"], has_code, rows, code, table, out)
    optional = parse_optional(frame, table, has_code, code, out)
    valid = has_code & ~duplicate & unit.notna().to_numpy() & category.notna().to_numpy()
    households = pd.DataFrame(
        {"code": code, "head": text["head"], "unit": unit, "category": category, "row": frame["row"], **optional}
    )
    return households if valid.all() else households[valid].reset_index(drop=True)


def _incomplete_rows(
    text: dict[str, pd.Series], has_code: np.ndarray, rows: np.ndarray, code: pd.Series, table: RawTable, out: Collector
) -> np.ndarray:
    """Rows with a code and two or more of `head`, `unit`, `category` blank, each reported once."""
    keys = [key for key in REQUIRED_TEXT if key != "code"]
    blank = np.column_stack([(text[key] == "").to_numpy(dtype=bool) for key in keys])
    incomplete = has_code & (blank.sum(axis=1) >= 2)
    if incomplete.any():
        at = np.flatnonzero(incomplete)

        def listed(index: int) -> str:  # built only for the rows printed
            return say(
                "validate.incomplete_row",
                columns=", ".join(f'"{table.header(key)}"' for key, empty in zip(keys, blank[at[index]]) if empty),
            )

        _rows_error(out, "incomplete_row", listed, table, "code", incomplete, rows, code)
    return incomplete


def _clean_text(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(the column as clean Arrow-backed text, ``""`` where blank; which cells were repaired)."""
    text, repaired = clean_series(values)
    return (text if is_arrow_text(text) else text.astype("str")), repaired.to_numpy(dtype=bool)


def _rows_error(
    out: Collector,
    code: str,
    text: str | Callable[[int], str],
    table: RawTable,
    key: str,
    bad: np.ndarray,
    rows: np.ndarray,
    households: pd.Series | None = None,
    values: pd.Series | None = None,
) -> None:
    """`Collector.rows_error` for the rows where `bad` holds, skipped at once when there are none."""
    if bad.any():
        out.rows_error(
            code,
            text,
            table,
            key,
            rows[bad],
            None if households is None else households[bad],
            None if values is None else values[bad],
        )


def _duplicates(code: pd.Series, has_code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(which rows repeat an earlier row's household code, the position of that earlier row for each).

    A stable sort brings equal codes together in row order, so each run starts at its code's
    first row. A register already in code order (the usual export) needs no sort.
    """
    duplicate, positions = np.zeros(len(code), dtype=bool), np.flatnonzero(has_code)
    codes = arrow_chunks(code)
    codes = codes if len(positions) == len(codes) else codes.take(positions)
    if len(codes) < 2 or pc.all(pc.less(codes.slice(0, len(codes) - 1), codes.slice(1))).as_py():
        return duplicate, np.empty(0, dtype=np.int64)
    order = pc.sort_indices(codes).to_numpy()
    ordered = codes.take(order)
    repeat = np.concatenate(
        ([False], pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1)).to_numpy(zero_copy_only=False))
    )
    run_start = np.maximum.accumulate(np.where(repeat, 0, np.arange(len(order))))
    first = np.empty(len(code), dtype=np.int64)
    first[positions[order[repeat]]] = positions[order[run_start[repeat]]]
    duplicate[positions[order[repeat]]] = True
    return duplicate, first[duplicate]


def _units(
    names: pd.Series, units: pd.DataFrame, has_code, rows, code, table, out: Collector, aliases: dict[str, str | None]
) -> pd.Series:
    """Each household's unit as `Chỉ tiêu` names it; a name whose problem is reported already
    (an alias for None) gives no unit and no error."""
    known = {unit_key(name): name for name in units["unit"]} | {
        key: name for key, name in aliases.items() if name is not None
    }
    unit = lookup_by_key(names, known)
    named = (names != "").to_numpy(dtype=bool)
    _rows_error(out, "required", say("validate.household_unit_empty"), table, "unit", has_code & ~named, rows, code)
    unknown = has_code & named & unit.isna().to_numpy()
    reported = [key for key, name in aliases.items() if name is None]
    if reported and unknown.any():
        unknown &= lookup_by_key(names, dict.fromkeys(reported, "")).isna().to_numpy()
    _rows_error(
        out,
        "unknown_unit",
        say("validate.household_unit_unknown", units=UNITS.name),
        table,
        "unit",
        unknown,
        rows,
        code,
        names,
    )
    return unit


def _categories(names: pd.Series, has_code, rows, code, table, out: Collector) -> pd.Series:
    category = lookup_by_key(names, CATEGORIES, keep_spaces=True)
    named = (names != "").to_numpy(dtype=bool)
    _rows_error(
        out,
        "required",
        say("validate.category_empty", poor=CATEGORY_NAMES[POOR], near_poor=CATEGORY_NAMES[NEAR_POOR]),
        table,
        "category",
        has_code & ~named,
        rows,
        code,
    )
    unknown = has_code & named & category.isna().to_numpy()
    _rows_error(
        out,
        "unknown_category",
        say("validate.unknown_category", poor=CATEGORY_NAMES[POOR], near_poor=CATEGORY_NAMES[NEAR_POOR]),
        table,
        "category",
        unknown,
        rows,
        code,
        names,
    )
    return category


def parse_optional(
    frame: pd.DataFrame, table: RawTable, has_code: np.ndarray, code: pd.Series, out: Collector
) -> dict[str, pd.Series]:
    """Validate the optional columns present in the sheet (poverty-standards.md); return them by key.

    Cells of rows without a household code are not checked (that row is already an error). No
    message shows a value: everything in these columns is the household's personal data. Only
    cells that need it are cleaned as text (a survey column is mostly blanks, `x` or numbers).
    """
    rows, columns = frame["row"].to_numpy(), {}
    present = [key for key in frame.columns if key in table.columns]
    if "household_size" in present:
        columns["household_size"] = _household_size(
            *_number_cells(frame["household_size"]), has_code, rows, code, table, out
        )
    if "income" in present:
        columns["income"] = _income(*_number_cells(frame["income"]), has_code, rows, code, table, out)
    for key in (key for key in MARK_COLUMNS if key in present):
        columns[key] = _marks(frame[key], key, has_code, rows, code, table, out)
    if "area" in present:
        columns["area"] = _areas(
            _text_cells(frame["area"], tuple(AREA_NAMES.values())), has_code, rows, code, table, out
        )
    if "note" in present:
        columns["note"] = _text_cells(frame["note"])
    return columns


def _as_object(values: pd.Series) -> pd.Series:
    """Blank cells as None even in a numeric column (where pandas holds them as NaN)."""
    return values.astype(object).where(values.notna(), None)


def _text_cells(values: pd.Series, clean: tuple[str, ...] = ()) -> pd.Series:
    """The column as clean text, ``""`` where blank; values in `clean` are taken as they are."""
    if values.isna().all():  # the blank workbook's unused columns
        return pd.Series("", index=values.index, dtype=object)
    if is_arrow_text(values):  # the fast reader's text
        return clean_series(values)[0]
    raw = _as_object(values)
    text = pd.Series("", index=raw.index, dtype=object)
    known = raw.isin(clean)
    text[known] = raw[known]
    other = raw.notna() & ~known
    if other.any():
        text[other] = clean_series(raw[other])[0]
    return text


def _number_cells(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(numbers, whether the cell is filled): numeric cells as they are, text cells through `numbers`."""
    if values.isna().all():  # the blank workbook's unused columns
        return pd.Series(np.nan, index=values.index, dtype="float64"), np.zeros(len(values), dtype=bool)
    if is_arrow_text(values):  # the fast reader's text
        return _arrow_number_cells(values)
    raw = _as_object(values)
    numeric = raw.map(type).isin(NUMBER_TYPES)
    number = pd.Series(np.nan, index=raw.index, dtype="float64")
    number[numeric] = raw[numeric].astype("float64")
    filled = numeric.copy()
    typed = raw.notna() & ~numeric
    if typed.any():
        text = clean_series(raw[typed])[0]
        number[typed] = numbers(text)
        filled[typed] = text != ""
    return number, filled.to_numpy(dtype=bool)


def _arrow_number_cells(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`_number_cells` of Arrow-backed text: plain numbers (``1500000``, ``-2.5``: most cells) are
    cast at C speed; the others are cleaned and read by `numbers`, as the exact reader's text is."""
    array = arrow_chunks(values)
    valid = array.is_valid()
    plain = pc.and_kleene(valid, pc.ascii_is_decimal(array)).to_numpy(
        zero_copy_only=False
    )  # false, not null, where blank
    filled = valid.to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(filled & ~plain)
    if len(rest):
        candidates = array.take(rest)
        decimal = pc.and_(
            pc.match_substring_regex(candidates, f"^{_DECIMAL}$"),
            pc.invert(pc.match_substring_regex(candidates, f"^{_THOUSANDS_DOTS}$")),
        )
        plain[rest[decimal.to_numpy(zero_copy_only=False)]] = True
    number = np.full(len(array), np.nan)
    number[plain] = pc.cast(array.filter(pa.array(plain)), pa.float64()).to_numpy()
    other = np.flatnonzero(filled & ~plain)
    if len(other):
        text = clean_series(text_series(array.take(other), pd.RangeIndex(len(other))))[0].astype(object)
        number[other] = numbers(text).to_numpy()
        filled[other] = (text != "").to_numpy(dtype=bool)
    return pd.Series(number, index=values.index), filled


def numbers(text: pd.Series) -> pd.Series:
    """Clean cell text to numbers, vectorised; NaN where blank or not a number.

    ``1500000``, ``1.500.000`` (thousands dots), ``1 500 000`` and ``1500000,5`` (decimal comma)
    are numbers; words, ``1,500,000``, ``inf`` and Excel errors are not.
    """
    compact = text.str.replace("[\\s\u00a0\u202f]", "", regex=True)  # literal no-break spaces: valid in RE2 too
    grouped = compact.str.fullmatch(_THOUSANDS_DOTS)
    compact = compact.where(~grouped, compact.str.replace(".", "", regex=False)).str.replace(",", ".", regex=False)
    return pd.to_numeric(compact.where(compact.str.fullmatch(_DECIMAL)), errors="coerce").astype("float64")


def _household_size(size, filled, has_code, rows, code, table, out: Collector) -> pd.Series:
    whole = (np.isfinite(size) & (size >= 1) & (size == size.round())).to_numpy()
    _rows_error(
        out,
        "bad_household_size",
        say("validate.bad_household_size"),
        table,
        "household_size",
        has_code & filled & ~whole,
        rows,
        code,
    )
    too_many = whole & (size > MAX_HOUSEHOLD_SIZE).to_numpy()
    _rows_error(
        out,
        "household_size_too_large",
        say("validate.household_size_too_large", most=MAX_HOUSEHOLD_SIZE),
        table,
        "household_size",
        has_code & filled & too_many,
        rows,
        code,
    )
    return size.where(whole & ~too_many).astype("Int64")


def _income(income, filled, has_code, rows, code, table, out: Collector) -> pd.Series:
    """Incomes in đồng per person per month. Above MAX_INCOME is an error at its cell; most of
    them below THOUSANDS_BELOW is one error for the column (typed in thousands of đồng)."""
    usable = (np.isfinite(income) & (income >= 0)).to_numpy()
    _rows_error(out, "bad_income", say("validate.bad_income"), table, "income", has_code & filled & ~usable, rows, code)
    too_large = usable & (income > MAX_INCOME).to_numpy()
    _rows_error(
        out,
        "income_too_large",
        say("validate.income_too_large", most=group_thousands(MAX_INCOME)),
        table,
        "income",
        has_code & filled & too_large,
        rows,
        code,
    )
    usable = usable & ~too_large
    positive = has_code & usable & (income > 0).to_numpy()
    small = positive & (income < THOUSANDS_BELOW).to_numpy()
    if 2 * small.sum() > positive.sum():
        out.error(
            "income_in_thousands",
            say(
                "validate.income_in_thousands",
                small=int(small.sum()),
                total=int(positive.sum()),
                below=group_thousands(THOUSANDS_BELOW),
            ),
            sheet=table.sheet,
            row=int(rows[np.argmax(small)]),
            column=table.header("income"),
        )
    return income.where(usable)


def _marks(values: pd.Series, key: str, has_code, rows, code, table, out: Collector) -> pd.Series:
    """True where the cell is `x` (any case, any spaces); anything else but a blank is an error."""
    if values.isna().all():  # the blank workbook's unused columns: nothing to check
        return pd.Series(False, index=values.index)
    mark, filled = _plain_marks(values)
    bad = np.zeros(len(values), dtype=bool)
    other = np.flatnonzero(filled & ~mark)
    if len(other):
        folded = clean_series(_as_object(values.iloc[other]))[0].str.casefold().to_numpy()
        mark[other] = folded == MARK
        bad[other] = (folded != "") & (folded != MARK)
    _rows_error(out, "bad_mark", say("validate.bad_mark", mark=MARK), table, key, bad & has_code, rows, code)
    return pd.Series(mark, index=values.index)


def _plain_marks(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(whether a cell is exactly `x` or `X`, whether it is filled): most marked cells are."""
    if is_arrow_text(values):
        return one_character_cells(values, MARK + MARK.upper())
    return values.isin((MARK, MARK.upper())).to_numpy(dtype=bool, copy=True), values.notna().to_numpy(dtype=bool)


def _areas(text, has_code, rows, code, table, out: Collector) -> pd.Series:
    area = lookup_by_key(text, AREAS, keep_spaces=True)
    bad = has_code & (text != "").to_numpy(dtype=bool) & area.isna().to_numpy()
    _rows_error(
        out,
        "unknown_area",
        say("validate.unknown_area", urban=AREA_NAMES[URBAN], rural=AREA_NAMES[RURAL]),
        table,
        "area",
        bad,
        rows,
        code,
    )

    return area.astype(object).where(area.notna(), None)
