"""The sheet `Hộ gia đình` (register of poor and near-poor households), validated column-wise.

Vectorised: a register can hold a million rows, so checks are pandas operations over whole
columns and messages are built only for the rows that fail. Messages identify a household only by
its row and `Mã hộ`; names and other personal data never leave this module.
"""
from __future__ import annotations

import pandas as pd

from .cells import clean_series
from .schema import CATEGORIES, CATEGORY_NAMES, NEAR_POOR, POOR
from .sheets import RawTable
from .units import unit_key_series
from .validation import Collector

REQUIRED_TEXT = ("code", "head", "unit", "category")


def register_frame(table: RawTable) -> pd.DataFrame:
    """The register's cells as a DataFrame: one column per matched column key, plus `row`."""
    rows = [values for _, values in table.rows]
    frame = pd.DataFrame({key: [values[index] if index < len(values) else None for values in rows] for key, index in table.columns.items()})
    frame["row"] = [row for row, _ in table.rows]
    return frame


def parse_register(table: RawTable, units: pd.DataFrame, out: Collector, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the valid households: ``code, unit, category, row`` (category ``poor``/``near_poor``).

    `frame` may come from a faster reader; by default it is built from `table`'s rows.
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
    valid = has_code & ~duplicate & unit.notna() & category.notna()
    return pd.DataFrame({"code": code[valid], "unit": unit[valid], "category": category[valid], "row": rows[valid]}).reset_index(drop=True)


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
