"""Unit names across sheets: a unit renamed in `Chỉ tiêu` alone is one problem, not one per household and member.

`Hộ gia đình` and `Phân công` name the units of `Chỉ tiêu`. When exactly one name they use is not
in `Chỉ tiêu`, and exactly one row of `Chỉ tiêu` is named by neither (or has no usable name: blank,
or a name an earlier row has), that row is the one problem: one error there, quoting the name the
other sheets use, and that name stands for the row's unit everywhere else (`aliases`), so the
households and members naming it are not reported again.
"""

from __future__ import annotations

import pandas as pd

from povertyplan.contract.schema import ASSIGNMENTS, REGISTER
from povertyplan.messages import say
from povertyplan.read.cells import UNSAVED_MARK, clean_text, excel_error
from povertyplan.read.sheets import RawTable
from povertyplan.validate.assignments import plain_text, split_units, unit_lookup
from povertyplan.validate.collector import Collector
from povertyplan.validate.units import Units, report_loose_row, unit_key


def register_names(frame: pd.DataFrame | None) -> dict[str, str]:
    """The units the register's rows name, by `unit_key`: looked at once per distinct cell value."""
    if frame is None or "unit" not in frame:
        return {}
    names: dict[str, str] = {}
    for raw in pd.unique(frame["unit"].dropna()):
        text = "" if raw == UNSAVED_MARK or excel_error(raw) else clean_text(raw)[0]
        if text:
            names.setdefault(unit_key(text), text)
    return names


def assignment_names(table: RawTable | None) -> dict[str, str]:
    """The units `Phân công` names, by `unit_key`."""
    names: dict[str, str] = {}
    for _, values in table.rows if table is not None else ():
        for part in split_units(plain_text(table.value(values, "units"))):
            names.setdefault(unit_key(part), part)
    return names


def reconcile_names(
    units: Units, in_register: dict[str, str], in_assignments: dict[str, str], table: RawTable, out: Collector
) -> dict[str, str | None]:
    """Report the rows of `Chỉ tiêu` without a usable name; return the aliases of unit names.

    An alias maps the `unit_key` of a name the other sheets use to the unit of `Chỉ tiêu` it
    stands for, or to None when that unit's row has no usable name (reported here).
    """
    frame = units.frame
    known = {unit_key(name) for name in frame["unit"]}
    lookup = unit_lookup(frame["unit"])
    unknown = {key: name for key, name in in_register.items() if key not in known}
    unknown |= {key: name for key, name in in_assignments.items() if key not in lookup and key not in unknown}
    used = {key for key in in_register if key in known} | {
        unit_key(lookup[key]) for key in in_assignments if key in lookup
    }
    idle = [
        (name, int(row))
        for name, row in zip(frame["unit"], frame["row"])
        if unit_key(name) not in used and int(row) not in units.name_only_rows
    ]
    if len(unknown) != 1 or len(units.loose) + len(idle) != 1:
        for loose in units.loose:
            report_loose_row(loose, table, out)
        return {}
    key, other = next(iter(unknown.items()))
    sheets = ", ".join(
        f'"{spec.name}"' for spec, names in ((REGISTER, in_register), (ASSIGNMENTS, in_assignments)) if key in names
    )
    where = {"sheet": table.sheet, "column": table.header("unit")}
    if idle:
        name, row = idle[0]
        out.error(
            "unit_renamed", say("validate.unit_renamed", sheets=sheets, other=other), row=row, value=name, **where
        )
        return {key: name}
    loose = units.loose[0]
    if loose.duplicate_of is None:
        out.error(
            "unit_name_missing",
            say("validate.unit_name_missing_elsewhere", sheets=sheets, other=other),
            row=loose.row,
            **where,
        )
    else:
        out.error(
            "duplicate_unit",
            say("validate.duplicate_unit_elsewhere", first=loose.duplicate_of, sheets=sheets, other=other),
            row=loose.row,
            value=loose.name,
            **where,
        )
    return {key: None}
