"""The sheets `Phân công` (who answers for which units) and `Nơi nhận` (recipients)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from povertyplan.contract.model import Assignment
from povertyplan.contract.schema import UNITS
from povertyplan.messages import say
from povertyplan.read.cells import clean_text, excel_error, is_unsaved_formula
from povertyplan.read.sheets import RawTable
from povertyplan.validate.units import empty, numbered_only, undouble, unit_key
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


# The cells a member's row must have.
_MEMBER_COLUMNS = ("member", "position", "units")


def parse_assignments(
    table: RawTable,
    units: pd.DataFrame,
    out: Collector,
    units_table: RawTable,
    aliases: dict[str, str | None] | None = None,
    exempt: frozenset[int] = frozenset(),
) -> tuple[Assignment, ...]:
    """Members with their units; unknown units are errors, units nobody answers for are errors.

    `units_table` (the sheet `Chỉ tiêu`) lets a unit nobody answers for be shown at its own row.
    `aliases` (`unitnames.reconcile_names`): other names of units, by `unit_key`; None for a name
    whose problem is reported already. Units at the rows `exempt` (reported already) need no member.
    When the column of units has a problem, which units nobody answers for is said in its
    message (the official may have meant them there), not once more per unit.
    """
    members = _read_members(table, {**unit_lookup(units["unit"]), **(aliases or {})}, out)
    uncovered = ", ".join(
        name
        for name, row in zip(units["unit"], units["row"])
        if name not in members.answered_by and int(row) not in exempt
    )
    for row in members.blank:
        text = say("validate.member_units_blank", units=uncovered) if uncovered else say("validate.required")
        out.error("required", text, sheet=table.sheet, row=row, column=table.header("units"))
    for row, part, written in members.unknown:
        more = " " + say("validate.units_uncovered", units=uncovered) if uncovered else ""
        out.error(
            "unknown_unit",
            _unknown_unit_text(part, written) + more,
            sheet=table.sheet,
            row=row,
            column=table.header("units"),
            value=written,
        )
    if not members.rows:
        out.error(
            "no_assignments",
            say("validate.no_assignments"),
            sheet=table.sheet,
            row=table.header_row + 1,
            column=table.header("member"),
        )
    elif not (members.broken or members.unknown):
        _check_everyone_covered(units, members.answered_by, table, out, units_table, exempt)
    return tuple(members.assignments)


@dataclass
class _Members:
    """What `_read_members` found: the members, who answers for which unit (its first row), the
    rows whose units are blank, the unknown units (row, unit, cell), whether any units cell is
    unusable, and how many rows are members (numbered blank rows are not)."""

    assignments: list[Assignment] = field(default_factory=list)
    answered_by: dict[str, int] = field(default_factory=dict)
    blank: list[int] = field(default_factory=list)
    unknown: list[tuple[int, str, str]] = field(default_factory=list)
    broken: bool = False
    rows: int = 0


def _read_members(table: RawTable, lookup: dict[str, str | None], out: Collector) -> _Members:
    """Read the members' rows; report the problems of a cell, leave those of the units column to the caller."""
    found = _Members()
    for row, values in table.rows:
        if numbered_only(table, values):
            continue
        found.rows += 1
        if _incomplete_row(table, row, values, out):
            _cover(_resolve(plain_text(table.value(values, "units")), lookup)[0], row, found.answered_by)
            continue
        member = out.text(table, row, values, "member", required=True)
        position = out.text(table, row, values, "position", required=True)
        written = _undoubled(out.text(table, row, values, "units"), table, row, out)
        if not written:
            found.broken = True
            if empty(table.value(values, "units")):
                found.blank.append(row)
        names, missing = _resolve(written, lookup) if lookup else ([], [])  # no units: that error is reported already
        found.unknown += [(row, part, written) for part in missing]
        for name in names:
            if name in found.answered_by:
                out.warn(
                    "unit_assigned_twice",
                    say("validate.unit_assigned_twice", unit=name, row=found.answered_by[name]),
                    sheet=table.sheet,
                    row=row,
                    column=table.header("units"),
                )
        _cover(names, row, found.answered_by)
        found.assignments.append(Assignment(member, position, written, tuple(names)))
    return found


def plain_text(raw: object) -> str:
    """A cell as clean text, "" when blank or unusable (an Excel error, a formula without value), reporting nothing."""
    return "" if excel_error(raw) or is_unsaved_formula(raw) else clean_text(raw)[0]


def _resolve(written: str, lookup: dict[str, str | None]) -> tuple[list[str], list[str]]:
    """(the units `written` names, the parts naming no unit); an alias for None is neither."""
    names, missing = [], []
    for part in split_units(written) if written else ():
        key = unit_key(part)
        if key not in lookup:
            missing.append(part)
        elif lookup[key] is not None:
            names.append(lookup[key])
    return names, missing


def _cover(names: list[str], row: int, answered_by: dict[str, int]) -> None:
    for name in names:
        answered_by.setdefault(name, row)


def _incomplete_row(table: RawTable, row: int, values: tuple, out: Collector) -> bool:
    """A row with two or more of its cells blank is one problem (a stray or unfinished row): one
    error naming them. The units it names still count as answered for."""
    blank = [key for key in _MEMBER_COLUMNS if empty(table.value(values, key))]
    if len(blank) < 2:
        return False
    columns = ", ".join(f'"{table.header(key)}"' for key in blank)
    out.error(
        "incomplete_row",
        say("validate.incomplete_row", columns=columns),
        sheet=table.sheet,
        row=row,
        column=table.header(blank[0]),
    )
    return True


def _undoubled(written: str, table: RawTable, row: int, out: Collector) -> str:
    """The units as written, each without a word typed twice (``Thôn Thôn 1 + 2``), with a warning."""
    pieces = re.split(f"({_SEPARATORS.pattern})", written)
    fixed = [undouble(piece) if index % 2 == 0 else (piece, "") for index, piece in enumerate(pieces)]
    words = [word for _, word in fixed if word]
    if not words:
        return written
    text = "".join(piece for piece, _ in fixed)
    out.warn(
        "word_typed_twice",
        say("validate.word_typed_twice", word=words[0], fixed=text),
        sheet=table.sheet,
        row=row,
        column=table.header("units"),
        value=written,
    )
    return text


def _unknown_unit_text(part: str, written: str) -> str:
    if part == written:
        return say("validate.unknown_unit", units=UNITS.name)
    return say("validate.unknown_unit_named", part=part, units=UNITS.name)


def _check_everyone_covered(
    units: pd.DataFrame,
    answered_by: dict,
    table: RawTable,
    out: Collector,
    units_table: RawTable,
    exempt: frozenset[int] = frozenset(),
) -> None:
    """Every unit has a member; the units without one are one problem (one member's units
    left out, often), so several are one message, at the first of them."""
    missing = [
        (name, int(row))
        for name, row in zip(units["unit"], units["row"])
        if name not in answered_by and int(row) not in exempt
    ]
    if not missing:
        return
    name, row = missing[0]
    where = {"sheet": units_table.sheet, "row": row, "column": units_table.header("unit")}
    if len(missing) == 1:
        out.error(
            "unit_unassigned",
            say("validate.unit_unassigned", column=table.header("units"), sheet=table.sheet),
            value=name,
            **where,
        )
    else:
        listed = ", ".join(f"{name} (dòng {row})" for name, row in missing)
        out.error(
            "unit_unassigned",
            say("validate.units_unassigned", units=listed, column=table.header("units"), sheet=table.sheet),
            **where,
        )


def parse_recipients(table: RawTable, out: Collector) -> tuple[str, ...]:
    """Recipients as written, without the dash and end punctuation the layout adds."""
    recipients = []
    for row, values in table.rows:
        text = out.text(table, row, values, "recipient").lstrip("-–•+ ").rstrip(";.,: ")
        if text:
            recipients.append(text)
    if not recipients:
        out.error(
            "no_recipients",
            say("validate.no_recipients"),
            sheet=table.sheet,
            row=table.header_row + 1,
            column=table.header("recipient"),
        )

    return tuple(recipients)
