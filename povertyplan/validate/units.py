"""The sheets `Chỉ tiêu` (units and targets) and `Hộ gia đình` (register), validated to DataFrames."""
from __future__ import annotations

import re

import pandas as pd

from povertyplan.read.cells import parse_count
from povertyplan.contract.schema import REGISTER, UNITS, name_key
from povertyplan.messages import say
from povertyplan.read.sheets import RawTable
from povertyplan.validate.collector import Collector

_TOTAL_LABELS = {"cộng", "tổng", "tổng cộng", "cộng chung", "toàn phường", "toàn xã", "tổng số"}
UNIT_COLUMNS = ["unit", "households", "poor_start", "target", "near_poor_start", "near_poor_target", "row"]


def unit_key(name: str) -> str:
    """Key under which unit names match across sheets: ``KHU PHỐ  9`` ~ ``Khu phố 9``."""
    return re.sub(r"\s+", "", name_key(name))


def lookup_by_key(names: pd.Series, table: dict[str, str], keep_spaces: bool = False) -> pd.Series:
    """``table[unit_key(name)]`` for each name of a column of clean text, NaN where not found.

    With `keep_spaces` the key is `schema.name_key`. Computed once per distinct name: a
    million-row register names only a few dozen units; the result is Arrow-backed text.
    """
    codes, distinct = pd.factorize(names, use_na_sentinel=False)
    key_of = name_key if keep_spaces else unit_key
    found = [table.get(key_of(name)) for name in distinct]
    if found == list(distinct) and names.dtype == "str":  # every name typed as the table has it: nothing to copy
        return names
    return pd.Series(pd.array(found, dtype="str").take(codes), index=names.index)


def parse_units(table: RawTable, out: Collector) -> pd.DataFrame:
    """One row per unit in plan order; a total row the official typed (``Cộng``) is skipped."""
    records, seen = [], {}
    for row, values in table.rows:
        name = out.text(table, row, values, "unit")
        if name_key(name) in _TOTAL_LABELS:
            out.warn("total_row_skipped", say("validate.total_row_skipped"), sheet=table.sheet, row=row, column=table.header("unit"))
            continue
        if not name:
            out.error("unit_name_missing", say("validate.unit_name_missing"), sheet=table.sheet, row=row, column=table.header("unit"))
            continue
        if unit_key(name) in seen:
            out.error("duplicate_unit", say("validate.duplicate_unit", row=seen[unit_key(name)]), sheet=table.sheet, row=row, column=table.header("unit"), value=name)
            continue
        seen[unit_key(name)] = row
        records.append(_unit_record(table, row, values, name, out))
    if not records and not table.rows:
        out.error("no_units", say("validate.no_units"), sheet=table.sheet, row=table.header_row + 1, column=table.header("unit"))
    return pd.DataFrame.from_records(records, columns=UNIT_COLUMNS)


def _unit_record(table: RawTable, row: int, values: tuple, name: str, out: Collector) -> dict:
    def count(key: str, required: bool) -> int | None:
        return out.parsed(table, row, values, key, parse_count, required=required) if table.has(key) else None

    record = {
        "unit": name,
        "households": count("households", True),
        "poor_start": count("poor_start", False),
        "target": count("target", False),  # all blank when the assigned target is to be split: _check_blank_targets
        "near_poor_start": count("near_poor_start", False),
        "near_poor_target": count("near_poor_target", False),
        "row": row,
    }
    if record["households"] == 0:
        out.error("no_households", say("validate.no_households"), sheet=table.sheet, row=row, column=table.header("households"), value="0")
    return record


def reconcile_poor_counts(units: pd.DataFrame, register: pd.DataFrame | None, table: RawTable, out: Collector) -> pd.DataFrame:
    """Fill `poor_start` (and `near_poor_start`) from the register; a typed count that disagrees is an error."""
    units = units.copy()
    if register is None:
        for row, value in zip(units["row"], units["poor_start"]):
            if value is None or value != value:
                out.error("required", say("validate.poor_start_empty", register=REGISTER.name), sheet=table.sheet, row=int(row), column=table.header("poor_start") if table.has("poor_start") else UNITS.column("poor_start").name)

        return units
    for category, column in (("poor", "poor_start"), ("near_poor", "near_poor_start")):
        counted = register[register["category"] == category].groupby("unit").size()
        counts = units["unit"].map(counted).fillna(0).astype("int64")
        for unit, row, typed, real in zip(units["unit"], units["row"], units[column], counts):
            if typed is not None and typed == typed and int(typed) != real:
                if category == "poor":
                    text = say("validate.register_mismatch_poor", typed=int(typed), register=REGISTER.name, counted=real, unit=unit)
                else:
                    text = say("validate.register_mismatch_near_poor", typed=int(typed), register=REGISTER.name, counted=real, unit=unit)
                out.error("register_mismatch", text, sheet=table.sheet, row=int(row), column=table.header(column))


        if column == "poor_start" or counts.any():
            units[column] = counts
    return units
