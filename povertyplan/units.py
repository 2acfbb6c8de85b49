"""The sheets `Chỉ tiêu` (units and targets) and `Hộ gia đình` (register), validated to DataFrames."""
from __future__ import annotations

import re

import pandas as pd

from .cells import clean_text, is_blank, parse_count
from .schema import CATEGORIES, CATEGORY_NAMES, POOR, name_key
from .sheets import RawTable
from .validation import Collector

_TOTAL_LABELS = {"cộng", "tổng", "tổng cộng", "cộng chung", "toàn phường", "toàn xã", "tổng số"}
UNIT_COLUMNS = ["unit", "households", "poor_start", "target", "near_poor_start", "near_poor_target", "row"]


def unit_key(name: str) -> str:
    """Key under which unit names match across sheets: ``KHU PHỐ  9`` ~ ``Khu phố 9``."""
    return re.sub(r"\s+", "", name_key(name))


def parse_units(table: RawTable, out: Collector) -> pd.DataFrame:
    """One row per unit in plan order; a total row the official typed (``Cộng``) is skipped."""
    records, seen = [], {}
    for row, values in table.rows:
        name = out.text(table, row, values, "unit")
        if name_key(name) in _TOTAL_LABELS:
            out.warn("total_row_skipped", "dòng tổng do người dùng nhập được bỏ qua; chương trình tự tính dòng Cộng.", sheet=table.sheet, row=row, column=table.header("unit"))
            continue
        if not name:
            out.error("unit_name_missing", "dòng có số liệu nhưng thiếu tên đơn vị. Nhập tên đơn vị hoặc xóa dòng.", sheet=table.sheet, row=row, column=table.header("unit"))
            continue
        if unit_key(name) in seen:
            out.error("duplicate_unit", f"đơn vị bị trùng với dòng {seen[unit_key(name)]}. Mỗi đơn vị chỉ nhập một dòng.", sheet=table.sheet, row=row, column=table.header("unit"), value=name)
            continue
        seen[unit_key(name)] = row
        records.append(_unit_record(table, row, values, name, out))
    if not records and not out.has_errors:
        out.error("no_units", "chưa có đơn vị nào. Nhập mỗi khu phố/thôn một dòng.", sheet=table.sheet)
    return pd.DataFrame.from_records(records, columns=UNIT_COLUMNS)


def _unit_record(table: RawTable, row: int, values: tuple, name: str, out: Collector) -> dict:
    def count(key: str, required: bool) -> int | None:
        return out.parsed(table, row, values, key, parse_count, required=required) if table.has(key) else None

    record = {
        "unit": name,
        "households": count("households", True),
        "poor_start": count("poor_start", False),
        "target": count("target", True),
        "near_poor_start": count("near_poor_start", False),
        "near_poor_target": count("near_poor_target", False),
        "row": row,
    }
    if record["households"] == 0:
        out.error("no_households", "số hộ bằng 0 thì không tính được tỷ lệ. Nhập tổng số hộ của đơn vị.", sheet=table.sheet, row=row, column=table.header("households"), value="0")
    return record


def parse_register(table: RawTable, units: pd.DataFrame, out: Collector) -> pd.DataFrame:
    """One row per household: code, unit (canonical name), category, row. Personal data stays out of messages."""
    known = {unit_key(name): name for name in units["unit"]}
    records, codes = [], {}
    for row, values in table.rows:
        code = out.text(table, row, values, "code")
        where = {"household": code or None}
        if not code:
            out.error("household_code_missing", "dòng có số liệu nhưng thiếu mã hộ. Nhập mã hộ hoặc xóa dòng.", sheet=table.sheet, row=row, column=table.header("code"))
            continue
        if code in codes:
            out.error("duplicate_household", f"mã hộ bị trùng với dòng {codes[code]}. Mỗi hộ chỉ có một mã.", sheet=table.sheet, row=row, column=table.header("code"), **where)
            continue
        codes[code] = row
        out.text(table, row, values, "head", required=True, **where)
        unit = _register_unit(table, row, values, known, out, where)
        category = _category(table, row, values, out, where)
        records.append({"code": code, "unit": unit, "category": category, "row": row})
    return pd.DataFrame.from_records(records, columns=["code", "unit", "category", "row"])


def _register_unit(table, row, values, known, out, where) -> str | None:
    name = out.text(table, row, values, "unit", required=True, **where)
    if name and unit_key(name) not in known:
        out.error("unknown_unit", 'không có trong sheet "Chỉ tiêu". Sửa tên đơn vị cho khớp.', sheet=table.sheet, row=row, column=table.header("unit"), value=name, **where)
        return None
    return known.get(unit_key(name))


def _category(table, row, values, out, where) -> str | None:
    text = out.text(table, row, values, "category", required=True, **where)
    if text and name_key(text) not in CATEGORIES:
        out.error("unknown_category", f'không hợp lệ. Chọn "{CATEGORY_NAMES[POOR]}" hoặc "Hộ cận nghèo".', sheet=table.sheet, row=row, column=table.header("category"), value=text, **where)
        return None
    return CATEGORIES.get(name_key(text))


def reconcile_poor_counts(units: pd.DataFrame, register: pd.DataFrame | None, table: RawTable, out: Collector) -> pd.DataFrame:
    """Fill `poor_start` (and `near_poor_start`) from the register; a typed count that disagrees is an error."""
    units = units.copy()
    if register is None:
        for row, value in zip(units["row"], units["poor_start"]):
            if value is None or value != value:
                out.error("required", 'ô này đang trống. Nhập số hộ nghèo đầu năm, hoặc thêm sheet "Hộ gia đình".', sheet=table.sheet, row=int(row), column=table.header("poor_start") if table.has("poor_start") else "Hộ nghèo đầu năm")
        return units
    for category, column, label in (("poor", "poor_start", "hộ nghèo"), ("near_poor", "near_poor_start", "hộ cận nghèo")):
        counted = register[register["category"] == category].groupby("unit").size()
        counts = units["unit"].map(counted).fillna(0).astype("int64")
        for unit, row, typed, real in zip(units["unit"], units["row"], units[column], counts):
            if typed is not None and typed == typed and int(typed) != real:
                out.error("register_mismatch", f'số {label} đầu năm là {int(typed)} nhưng sheet "Hộ gia đình" có {real} {label} thuộc {unit}. Sửa cho khớp hoặc để trống ô này.', sheet=table.sheet, row=int(row), column=table.header(column))
        if column == "poor_start" or counts.any():
            units[column] = counts
    return units
