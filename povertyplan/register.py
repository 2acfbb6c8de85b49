"""The sheet `Hộ gia đình` (register of poor and near-poor households), validated column-wise.

Vectorised: a register can hold a million rows, so checks are pandas operations over whole
columns and messages are built only for the rows that fail. Messages identify a household only by
its row and `Mã hộ`; names and other personal data never leave this module.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .cells import clean_series
from .schema import AREA_NAMES, AREAS, CATEGORIES, CATEGORY_NAMES, INDICATOR_PREFIX, MARK, NEAR_POOR, POOR, REGISTER
from .sheets import RawTable
from .units import unit_key_series
from .validation import Collector

REQUIRED_TEXT = ("code", "head", "unit", "category")
MARK_COLUMNS = tuple(c.key for c in REGISTER.columns if c.key.startswith(INDICATOR_PREFIX)) + ("leaving",)
NUMBER_TYPES = (int, float, np.int64, np.int32, np.float64, np.float32)
_DECIMAL = r"-?\d+(?:\.\d+)?"
_THOUSANDS_DOTS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?"


def register_frame(table: RawTable) -> pd.DataFrame:
    """The register's cells as a DataFrame: one column per matched column key, plus `row`."""
    rows = [values for _, values in table.rows]
    frame = pd.DataFrame({key: [values[index] if index < len(values) else None for values in rows] for key, index in table.columns.items()})
    frame["row"] = [row for row, _ in table.rows]
    return frame


def parse_register(table: RawTable, units: pd.DataFrame, out: Collector, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the valid households: ``code, unit, category, row`` (category ``poor``/``near_poor``).

    Plus each optional column the sheet has (`parse_optional`): ``household_size`` (Int64),
    ``income`` (float, NaN when blank), ``lacks_<indicator>`` and ``leaving`` (bool, True for
    ``x``), ``area`` (``urban``/``rural``/None) and ``note`` (text). `frame` may come from a
    faster reader; by default it is built from `table`'s rows.
    """
    frame = register_frame(table) if frame is None else frame
    text = {}
    for key in REQUIRED_TEXT:
        text[key], repaired = clean_series(frame[key])
        out.repaired_rows(table, key, frame["row"][repaired])
    code, rows = text["code"], frame["row"]
    has_code = code != ""
    out.rows_error("household_code_missing", "dòng có số liệu nhưng thiếu mã hộ. Nhập mã hộ hoặc xóa dòng.", table, "code", rows[~has_code])
    duplicate = has_code & code.duplicated(keep="first")
    first_row = rows[has_code].groupby(code[has_code]).transform("first")
    texts = [f"mã hộ bị trùng với dòng {first}. Mỗi hộ chỉ có một mã; sửa hoặc xóa dòng trùng." for first in first_row[duplicate]]
    out.rows_error("duplicate_household", texts, table, "code", rows[duplicate], code[duplicate])
    blank_head = has_code & (text["head"] == "")
    out.rows_error("required", "ô này đang trống. Nhập họ tên chủ hộ.", table, "head", rows[blank_head], code[blank_head])
    unit = _units(text["unit"], units, has_code, rows, code, table, out)
    category = _categories(text["category"], has_code, rows, code, table, out)
    optional = parse_optional(frame, table, has_code, code, out)
    valid = has_code & ~duplicate & unit.notna() & category.notna()
    households = pd.DataFrame({"code": code, "unit": unit, "category": category, "row": rows, **optional})
    return households[valid].reset_index(drop=True)


def _units(names: pd.Series, units: pd.DataFrame, has_code, rows, code, table, out: Collector) -> pd.Series:
    known = dict(zip(unit_key_series(units["unit"]), units["unit"]))
    unit = unit_key_series(names).map(known)
    blank = has_code & (names == "")
    out.rows_error("required", "ô này đang trống. Nhập tên đơn vị của hộ.", table, "unit", rows[blank], code[blank])
    unknown = has_code & (names != "") & unit.isna()
    out.rows_error("unknown_unit", 'không có trong sheet "Chỉ tiêu". Sửa tên đơn vị cho khớp.', table, "unit", rows[unknown], code[unknown], names[unknown])
    return unit


def _categories(names: pd.Series, has_code, rows, code, table, out: Collector) -> pd.Series:
    category = unit_key_series(names, keep_spaces=True).map(CATEGORIES)
    blank = has_code & (names == "")
    out.rows_error("required", f'ô này đang trống. Chọn "{CATEGORY_NAMES[POOR]}" hoặc "{CATEGORY_NAMES[NEAR_POOR]}".', table, "category", rows[blank], code[blank])
    unknown = has_code & (names != "") & category.isna()
    out.rows_error("unknown_category", f'không hợp lệ. Chọn "{CATEGORY_NAMES[POOR]}" hoặc "{CATEGORY_NAMES[NEAR_POOR]}".', table, "category", rows[unknown], code[unknown], names[unknown])
    return category


def parse_optional(frame: pd.DataFrame, table: RawTable, has_code: pd.Series, code: pd.Series, out: Collector) -> dict[str, pd.Series]:
    """Validate the optional columns present in the sheet (poverty-standards.md); return them by key.

    Cells of rows without a household code are not checked (that row is already an error). No
    message shows a value: everything in these columns is the household's personal data. Only
    cells that need it are cleaned as text (a survey column is mostly blanks, `x` or numbers).
    """
    rows, columns = frame["row"], {}
    present = [key for key in frame.columns if key in table.columns]
    if "household_size" in present:
        columns["household_size"] = _household_size(*_number_cells(frame["household_size"]), has_code, rows, code, table, out)
    if "income" in present:
        columns["income"] = _income(*_number_cells(frame["income"]), has_code, rows, code, table, out)
    for key in (key for key in MARK_COLUMNS if key in present):
        columns[key] = _marks(frame[key], key, has_code, rows, code, table, out)
    if "area" in present:
        columns["area"] = _areas(_text_cells(frame["area"], tuple(AREA_NAMES.values())), has_code, rows, code, table, out)
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
    if pd.api.types.is_string_dtype(values) and values.dtype != object:  # the fast reader's text
        return clean_series(values)[0]
    raw = _as_object(values)
    text = pd.Series("", index=raw.index, dtype=object)
    known = raw.isin(clean)
    text[known] = raw[known]
    other = raw.notna() & ~known
    if other.any():
        text[other] = clean_series(raw[other])[0]
    return text


def _number_cells(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numbers, whether the cell is filled): numeric cells as they are, text cells through `numbers`."""
    if values.isna().all():  # the blank workbook's unused columns
        return pd.Series(np.nan, index=values.index, dtype="float64"), pd.Series(False, index=values.index)
    if pd.api.types.is_string_dtype(values) and values.dtype != object:  # the fast reader's text
        text = values.fillna("").str.strip()
        plain = text.str.fullmatch(_DECIMAL).fillna(False).astype(bool)  # most cells: cast at C speed
        number = pd.Series(np.nan, index=values.index, dtype="float64")
        number[plain] = text[plain].astype("float64")
        if (~plain).any():
            number[~plain] = numbers(text[~plain].astype(object))
        return number, (text != "").astype(bool)
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
    return number, filled


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
    whole = np.isfinite(size) & (size >= 1) & (size == size.round())
    bad = has_code & filled & ~whole
    out.rows_error("bad_household_size", "không phải số nguyên từ 1 trở lên. Nhập số nhân khẩu của hộ, ví dụ 4.", table, "household_size", rows[bad], code[bad])
    return size.where(whole).astype("Int64")


def _income(income, filled, has_code, rows, code, table, out: Collector) -> pd.Series:
    usable = np.isfinite(income) & (income >= 0)
    bad = has_code & filled & ~usable
    out.rows_error("bad_income", "không phải số tiền hợp lệ. Nhập thu nhập bình quân đầu người bằng chữ số, đồng/người/tháng, ví dụ 1500000.", table, "income", rows[bad], code[bad])
    return income.where(usable)


def _marks(values: pd.Series, key: str, has_code, rows, code, table, out: Collector) -> pd.Series:
    """True where the cell is `x` (any case, any spaces); anything else but a blank is an error."""
    if values.isna().all():  # the blank workbook's unused columns: nothing to check
        return pd.Series(False, index=values.index)
    mark = values.isin((MARK, MARK.upper()))
    bad = pd.Series(False, index=values.index)
    other = values.notna() & ~mark
    if other.any():
        folded = clean_series(_as_object(values[other]))[0].str.casefold()
        mark[other] = folded == MARK
        bad[other] = (folded != "") & (folded != MARK)
    bad &= has_code
    out.rows_error("bad_mark", f'chỉ đánh dấu "{MARK}" hoặc để trống.', table, key, rows[bad], code[bad])
    return mark.astype(bool)


def _areas(text, has_code, rows, code, table, out: Collector) -> pd.Series:
    area = unit_key_series(text, keep_spaces=True).map(AREAS)
    bad = has_code & (text != "") & area.isna()
    choices = " hoặc ".join(f'"{name}"' for name in AREA_NAMES.values())
    out.rows_error("unknown_area", f"không hợp lệ. Chọn {choices}, hoặc để trống.", table, "area", rows[bad], code[bad])
    return area.astype(object).where(area.notna(), None)
