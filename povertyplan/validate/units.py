"""The sheets `Chỉ tiêu` (units and targets) and `Hộ gia đình` (register), validated to DataFrames."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from povertyplan.contract.schema import CATEGORY_NAMES, NEAR_POOR, POOR, REGISTER, UNITS, name_key
from povertyplan.messages import say
from povertyplan.read.cells import is_blank, is_unsaved_formula, parse_count
from povertyplan.read.sheets import RawTable
from povertyplan.validate.collector import Collector

_TOTAL_LABELS = {"cộng", "tổng", "tổng cộng", "cộng chung", "toàn phường", "toàn xã", "tổng số"}
UNIT_COLUMNS = ["unit", "households", "poor_start", "target", "near_poor_start", "near_poor_target", "row"]
# A word (or two or three: `Khu phố`, `Tổ dân phố`) typed twice at the start of a name, before the rest.
_DOUBLED = re.compile(r"^([^\W\d_]+(?:\s+[^\W\d_]+){0,2})\s+\1(?=\s+\S)", re.IGNORECASE)
# The counts a unit's row must have: a row with none of them holds only a name.
_REQUIRED_COUNTS = ("households", "target")


def undouble(name: str) -> tuple[str, str]:
    """(`name` without its first word(s) typed twice, the doubled words or ""): ``Thôn Thôn 1`` →
    (``Thôn 1``, ``Thôn``)."""
    match = _DOUBLED.match(name)
    return (name[: match.end(1)] + name[match.end() :], match[1]) if match else (name, "")


def unit_key(name: str) -> str:
    """Key under which unit names match across sheets: ``KHU PHỐ  9`` ~ ``Khu phố 9`` ~ ``Khu phố Khu phố 9``."""
    return re.sub(r"\s+", "", name_key(undouble(name)[0]))


@dataclass(frozen=True)
class LooseRow:
    """A row of `Chỉ tiêu` with figures but no usable name: none (`duplicate_of` None) or one an
    earlier row has (`duplicate_of` that row). Reported by `unitnames.report_loose_rows`, which
    may know the name the other sheets give it."""

    row: int
    name: str
    duplicate_of: int | None = None


@dataclass
class Units:
    """`parse_units`' result: the units (`UNIT_COLUMNS`), the loose rows not reported yet, and
    the rows that hold only a unit's name (reported; the unit is kept so other sheets may name it)."""

    frame: pd.DataFrame
    loose: list[LooseRow] = field(default_factory=list)
    name_only_rows: set[int] = field(default_factory=set)

    @property
    def duplicated_rows(self) -> frozenset[int]:
        """The rows of units whose name a later row repeats."""
        return frozenset(loose.duplicate_of for loose in self.loose if loose.duplicate_of is not None)


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


def parse_units(table: RawTable, out: Collector) -> Units:
    """One row per unit in plan order; a total row the official typed (``Cộng``) is skipped, and
    so is a row holding only its number in `TT` (a numbered blank row of a template)."""
    records, seen, parsed = [], {}, Units(pd.DataFrame())
    for row, values in table.rows:
        if numbered_only(table, values):
            continue
        name = out.text(table, row, values, "unit")
        if name_key(name) in _TOTAL_LABELS:
            out.warn(
                "total_row_skipped",
                say("validate.total_row_skipped"),
                sheet=table.sheet,
                row=row,
                column=table.header("unit"),
            )
            continue
        if not name or unit_key(name) in seen:
            parsed.loose.append(LooseRow(row, name, seen.get(unit_key(name)) if name else None))
            continue
        seen[unit_key(name)] = row
        name = _undoubled(name, table, row, out)
        if all(empty(table.value(values, key)) for key in _REQUIRED_COUNTS):
            parsed.name_only_rows.add(row)
            out.error(
                "unit_name_only",
                say("validate.unit_name_only", columns=", ".join(f'"{table.header(key)}"' for key in _REQUIRED_COUNTS)),
                sheet=table.sheet,
                row=row,
                column=table.header("unit"),
                value=name,
            )
            records.append(dict.fromkeys(UNIT_COLUMNS) | {"unit": name, "row": row})
            continue
        records.append(_unit_record(table, row, values, name, out))
    if not records and not parsed.loose:
        out.error(
            "no_units",
            say("validate.no_units"),
            sheet=table.sheet,
            row=table.header_row + 1,
            column=table.header("unit"),
        )
    parsed.frame = pd.DataFrame.from_records(records, columns=UNIT_COLUMNS)
    return parsed


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
        out.error(
            "no_households",
            say("validate.no_households"),
            sheet=table.sheet,
            row=row,
            column=table.header("households"),
            value="0",
        )
    return record


def numbered_only(table: RawTable, values: tuple) -> bool:
    """Whether a row holds nothing but its number in `TT` (a numbered blank row of a template)."""
    return table.has("tt") and all(empty(table.value(values, key)) for key in table.columns if key != "tt")


def empty(value: object) -> bool:
    """Whether a cell holds nothing at all (a formula without a saved value holds something)."""
    return is_blank(value) and not is_unsaved_formula(value)


def _undoubled(name: str, table: RawTable, row: int, out: Collector) -> str:
    """`name` without a word typed twice (``Thôn Thôn 1``), with a warning when there was one."""
    fixed, word = undouble(name)
    if word:
        out.warn(
            "word_typed_twice",
            say("validate.word_typed_twice", word=word, fixed=fixed),
            sheet=table.sheet,
            row=row,
            column=table.header("unit"),
            value=name,
        )
    return fixed


def report_loose_row(loose: LooseRow, table: RawTable, out: Collector) -> None:
    """The error of a row without a usable name, when the other sheets do not tell which unit it is."""
    if loose.duplicate_of is None:
        out.error(
            "unit_name_missing",
            say("validate.unit_name_missing"),
            sheet=table.sheet,
            row=loose.row,
            column=table.header("unit"),
        )
    else:
        out.error(
            "duplicate_unit",
            say("validate.duplicate_unit", row=loose.duplicate_of),
            sheet=table.sheet,
            row=loose.row,
            column=table.header("unit"),
            value=loose.name,
        )


def reconcile_poor_counts(
    units: pd.DataFrame,
    register: pd.DataFrame | None,
    table: RawTable,
    out: Collector,
    unsure: frozenset[int] = frozenset(),
) -> pd.DataFrame:
    """Fill `poor_start` (and `near_poor_start`) from the register; a typed count that disagrees is an error.

    Disagreements of one column are one problem (the register and the column do not tell the
    same story: one household moved to another unit makes two units disagree): one message.
    Units at the rows `unsure` (a later row has the same name: whose figures these are is
    reported already) are not compared.
    """
    units = units.copy()
    if register is None:
        for row, value in zip(units["row"], units["poor_start"]):
            if value is None or value != value:
                out.error(
                    "required",
                    say("validate.poor_start_empty", register=REGISTER.name),
                    sheet=table.sheet,
                    row=int(row),
                    column=table.header("poor_start") if table.has("poor_start") else UNITS.column("poor_start").name,
                )

        return units
    for category, column in ((POOR, "poor_start"), (NEAR_POOR, "near_poor_start")):
        counted = register[register["category"] == category].groupby("unit").size()
        counts = units["unit"].map(counted).fillna(0).astype("int64")
        typed = [
            (unit, int(row), int(value), int(real))
            for unit, row, value, real in zip(units["unit"], units["row"], units[column], counts)
            if value is not None and value == value and int(value) != real and int(row) not in unsure
        ]
        _report_mismatches(typed, category, column, table, out)
        if column == "poor_start" or counts.any():
            units[column] = counts
    return units


# Units a message about counts that disagree names one by one; it counts the others.
_MISMATCHES_LISTED = 5


def _report_mismatches(
    mismatches: list[tuple[str, int, int, int]], category: str, column: str, table: RawTable, out: Collector
) -> None:
    """One error for the (unit, row, typed, counted) of one column (households of `category`) that
    disagree with the register."""
    if len(mismatches) == 1:
        unit, row, typed, real = mismatches[0]
        if category == POOR:
            text = say("validate.register_mismatch_poor", typed=typed, register=REGISTER.name, counted=real, unit=unit)
        else:
            text = say(
                "validate.register_mismatch_near_poor", typed=typed, register=REGISTER.name, counted=real, unit=unit
            )
        out.error("register_mismatch", text, sheet=table.sheet, row=row, column=table.header(column))
    elif mismatches:
        listed = "; ".join(
            say("validate.mismatch_item", unit=unit, row=row, typed=typed, counted=real)
            for unit, row, typed, real in mismatches[:_MISMATCHES_LISTED]
        )
        more = (
            say("validate.mismatch_more", count=len(mismatches) - _MISMATCHES_LISTED)
            if len(mismatches) > _MISMATCHES_LISTED
            else ""
        )
        out.error(
            "register_mismatch",
            say(
                "validate.register_mismatches",
                label=CATEGORY_NAMES[category].lower(),
                register=REGISTER.name,
                count=len(mismatches),
                units=listed + more,
            ),
            sheet=table.sheet,
            row=mismatches[0][1],
            column=table.header(column),
        )
