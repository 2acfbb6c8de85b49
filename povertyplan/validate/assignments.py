"""The sheets `Phân công` (who answers for which units) and `Nơi nhận` (recipients)."""
from __future__ import annotations

import re

import pandas as pd

from povertyplan.contract.model import Assignment
from povertyplan.contract.schema import UNITS
from povertyplan.messages import say
from povertyplan.read.sheets import RawTable
from povertyplan.validate.units import unit_key
from povertyplan.validate.collector import Collector

_SEPARATORS = re.compile(r"\s*(?:[+,;&]|\bvà\b)\s*")
_TRAILING_ID = re.compile(r"^(.*?)\s*(\d+[A-Za-z]?)$")


def split_units(text: str) -> list[str]:
    """Split ``Khu phố 9 + 4`` into ``["Khu phố 9", "Khu phố 4"]``.

    Officials write a unit's generic word once and then only the numbers (`Khu phố 8 +12`,
    `Thôn 1, 2 và 5`): a bare number borrows the word of the name before it.
    """
    names, word = [], ""
    for part in filter(None, _SEPARATORS.split(text.strip())):
        match = _TRAILING_ID.match(part)
        if match and not match[1] and word:
            part = f"{word} {match[2]}"
        elif match and match[1]:
            word = match[1]
        names.append(part)
    return names


def unit_lookup(units: pd.Series) -> dict[str, str]:
    """Keys under which each unit may be named: full name, and initials + number (`KP9`, `TDP 3`)."""
    lookup: dict[str, str] = {}
    for name in units:
        lookup[unit_key(name)] = name
        match = _TRAILING_ID.match(name)
        if match and match[1]:
            initials = "".join(word[0] for word in match[1].split())
            lookup.setdefault(unit_key(initials + match[2]), name)
    return lookup


def parse_assignments(table: RawTable, units: pd.DataFrame, out: Collector, units_table: RawTable) -> tuple[Assignment, ...]:
    """Members with their units; unknown units are errors, units nobody answers for are errors.

    `units_table` (the sheet `Chỉ tiêu`) lets a unit nobody answers for be shown at its own row.
    """
    lookup = unit_lookup(units["unit"])
    assignments, answered_by = [], {}
    for row, values in table.rows:
        member = out.text(table, row, values, "member", required=True)
        position = out.text(table, row, values, "position", required=True)
        written = out.text(table, row, values, "units", required=True)
        names = []
        for part in split_units(written) if lookup else ():  # no units: that error is reported already
            name = lookup.get(unit_key(part))
            if name is None:
                out.error("unknown_unit", _unknown_unit_text(part, written), sheet=table.sheet, row=row, column=table.header("units"), value=written)
                continue
            if name in answered_by:
                out.warn("unit_assigned_twice", say("validate.unit_assigned_twice", unit=name, row=answered_by[name]), sheet=table.sheet, row=row, column=table.header("units"))
            answered_by.setdefault(name, row)
            names.append(name)
        assignments.append(Assignment(member, position, written, tuple(names)))
    _check_everyone_covered(units, answered_by, table, out, units_table)
    return tuple(assignments)


def _unknown_unit_text(part: str, written: str) -> str:
    if part == written:
        return say("validate.unknown_unit", units=UNITS.name)
    return say("validate.unknown_unit_named", part=part, units=UNITS.name)


def _check_everyone_covered(units: pd.DataFrame, answered_by: dict, table: RawTable, out: Collector, units_table: RawTable) -> None:
    if not table.rows:
        out.error("no_assignments", say("validate.no_assignments"), sheet=table.sheet, row=table.header_row + 1, column=table.header("member"))
        return
    for name, row in zip(units["unit"], units["row"]):
        if name not in answered_by:
            out.error("unit_unassigned", say("validate.unit_unassigned", column=table.header("units"), sheet=table.sheet), sheet=units_table.sheet, row=int(row), column=units_table.header("unit"), value=name)


def parse_recipients(table: RawTable, out: Collector) -> tuple[str, ...]:
    """Recipients as written, without the dash and end punctuation the layout adds."""
    recipients = []
    for row, values in table.rows:
        text = out.text(table, row, values, "recipient").lstrip("-–•+ ").rstrip(";.,: ")
        if text:
            recipients.append(text)
    if not recipients:
        out.error("no_recipients", say("validate.no_recipients"), sheet=table.sheet, row=table.header_row + 1, column=table.header("recipient"))

    return tuple(recipients)
