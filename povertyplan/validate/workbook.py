"""From a workbook file to a validated `Workbook`, every problem collected on the way."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa

from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import ASSIGNMENTS, INFO, INFO_ITEMS, RECIPIENTS, REGISTER, SHEETS, UNITS
from povertyplan.errors import Problem, WorkbookInvalid, shorten
from povertyplan.messages import say
from povertyplan.read.cells import EXCEL_ERRORS, UNSAVED_MARK, excel_error_text, is_blank, unsaved_text
from povertyplan.read.sheets import HEADER_SEARCH_ROWS, RawTable, find_header, find_sheet, header_table, locate_table
from povertyplan.read.source import open_workbook
from povertyplan.read.textcolumns import blank_rows, clean_series
from povertyplan.read.textfindings import TextFindings
from povertyplan.validate.assignments import parse_assignments, parse_recipients
from povertyplan.validate.collector import Collector
from povertyplan.validate.encodings import report_text_findings
from povertyplan.validate.hidden import hidden_warnings
from povertyplan.validate.info import headerless_info_table, item_cells, parse_info
from povertyplan.validate.register import parse_register, register_frame
from povertyplan.validate.unitnames import assignment_names, reconcile_names, register_names
from povertyplan.validate.units import Units, parse_units, reconcile_poor_counts

RowsOf = Callable[[str], Iterable[tuple[int, tuple]]]


class ColumnSource(Protocol):
    """A workbook that also reads a large sheet's columns whole (`bigsheet.FastSource`)."""

    def head(self, sheet_name: str, count: int) -> list[tuple[int, tuple]] | None: ...

    def columns(self, sheet_name: str, indices: list[int]): ...


def read_workbook(path: str | os.PathLike) -> Workbook:
    """Read and validate the workbook at `path`; raise WorkbookInvalid listing every problem."""
    with open_workbook(path) as source:
        return parse_workbook(
            source.sheet_names,
            source.rows,
            source if hasattr(source, "columns") else None,
            getattr(source, "findings", None),
            getattr(source, "hidden", None),
            getattr(source, "warnings", ()),
        )


def parse_workbook(
    sheet_names: Iterable[str],
    rows_of: RowsOf,
    columns_of: ColumnSource | None = None,
    findings: TextFindings | None = None,
    hidden_of: Callable[[str], object] | None = None,
    file_warnings: Iterable[Problem] = (),
) -> Workbook:
    """Validate the contract's sheets, given the workbook's sheet names and a row source
    (and, for a large workbook, a source of whole columns: see `bigsheet.FastSource`; and where
    the source knows them, the rows and columns each sheet hides: `hidden.hidden_warnings`).

    One problem, one message: a check that depends on figures of a sheet with errors does not
    run (counts compared with an invalid register would only echo its errors), and names used
    across sheets are reconciled first (`unitnames`), so a unit renamed in one place is one error.

    `findings`: the text the source converted from an old encoding or found garbled while the
    sheets were read (complete once they are located), reported before anything else is checked,
    so a garbled cell gets its own error, not the errors its text would cause.
    `file_warnings`: what the source found about the file as a whole (a stylesheet read past).
    """
    out, sheet_names = Collector(), tuple(sheet_names)
    for problem in file_warnings:
        out.add(problem)
    tables = _locate_tables(sheet_names, rows_of, out, columns_of)
    report_text_findings(findings, tables, out)
    if any(tables.get(spec.key) is None for spec in SHEETS if spec.required):
        raise WorkbookInvalid(_ordered(out.problems))
    info = parse_info(tables[INFO.key], out)
    parsed_units = parse_units(tables[UNITS.key], out)
    register, register_state, aliases = _households(
        tables, parsed_units, find_sheet(REGISTER, sheet_names) is not None, out
    )
    units = _counts(parsed_units, register, register_state, tables[UNITS.key], out)
    units_table, exempt = tables[UNITS.key], frozenset(parsed_units.name_only_rows)
    _check_blank_targets(units[~units["row"].isin(exempt)], tables[INFO.key], units_table, out)
    assignments = parse_assignments(tables[ASSIGNMENTS.key], units, out, units_table, aliases, exempt)
    recipients = parse_recipients(tables[RECIPIENTS.key], out)
    _check_assigned_target(info, units, tables[INFO.key], out)
    _check_assigned_near_poor_target(info, units, register_state == VALID, tables, out)
    if hidden_of is not None:
        hidden_warnings([table for table in tables.values() if table is not None], hidden_of, out)
    problems = _ordered(out.problems + out.repair_warnings())
    if out.has_errors or info is None:
        raise WorkbookInvalid(problems)
    # Unit targets left blank (all of them) stay missing values: aggregate.split proposes them.
    units = units.astype({column: "int64" for column in ("households", "poor_start")})
    units["target"] = units["target"].astype("int64" if _known(*units["target"]) else "Int64")
    return Workbook(info, units, register, assignments, recipients, tuple(problems))


# What the register's households are worth for the checks of `Chỉ tiêu`: ABSENT without households
# to count (no sheet, or its header only); INVALID when the sheet is there but its header or a
# household has an error; VALID otherwise.
ABSENT, VALID, INVALID = "absent", "valid", "invalid"


def _households(
    tables: dict, units: Units, sheet_present: bool, out: Collector
) -> tuple[pd.DataFrame | None, str, dict]:
    """(the valid households or None, the register's state, the aliases of unit names): the
    unit names of the other sheets are reconciled with `Chỉ tiêu` before any household is checked."""
    errors_before = _errors(out)
    frame = _register_frame(tables.get(REGISTER.key), units.frame, out)
    errors = _errors(out) - errors_before
    aliases = reconcile_names(
        units, register_names(frame), assignment_names(tables[ASSIGNMENTS.key]), tables[UNITS.key], out
    )
    errors_before = _errors(out)
    register = parse_register(tables[REGISTER.key], units.frame, out, frame, aliases) if frame is not None else None
    if register is not None:
        state = INVALID if errors or _errors(out) > errors_before else VALID
    else:
        state = INVALID if sheet_present and tables.get(REGISTER.key) is None else ABSENT
    return register, state, aliases


def _counts(units: Units, register, register_state: str, table: RawTable, out: Collector) -> pd.DataFrame:
    """The units with their counts from a valid register, checked against households and targets.

    Rows whose counts in other sheets may be another row's (a name repeated, a row with a name
    only) are not compared.
    """
    exempt = frozenset(units.name_only_rows)
    unsure = exempt | units.duplicated_rows
    frame = units.frame
    if register_state == VALID:
        frame = reconcile_poor_counts(frame, register, table, out, unsure)
    elif register_state == ABSENT:
        frame = reconcile_poor_counts(frame, None, table, out)
    checked = frame[~frame["row"].isin(unsure)]
    _check_targets(checked, table, out)
    _check_counts_fit(checked, register_state, table, out)
    _check_near_poor_targets(frame, register_state, table, out, exempt, unsure)
    return frame


def _errors(out: Collector) -> int:
    return sum(problem.is_error for problem in out.problems)


def _locate_tables(
    sheet_names: tuple[str, ...], rows_of: RowsOf, out: Collector, columns_of: ColumnSource | None = None
) -> dict[str, RawTable | None]:
    tables: dict[str, RawTable | None] = {}
    for spec in SHEETS:
        name = find_sheet(spec, sheet_names)
        if name is None:
            if spec.required:
                found = ", ".join(f'"{shorten(n, 40)}"' for n in sheet_names)
                out.error(
                    "missing_sheet",
                    say("validate.missing_sheet", sheet=spec.name, found=found)
                    if found
                    else say("validate.missing_sheet_no_sheets", sheet=spec.name),
                )
            tables[spec.key] = None
            continue
        # Only Thông tin chung is needed whole (it may lack its header row); other sheets stream.
        if spec is REGISTER and columns_of is not None and (fast := _fast_register(name, columns_of)):
            tables[spec.key] = fast
            continue
        rows = list(rows_of(name)) if spec is INFO else rows_of(name)
        located = locate_table(spec, name, rows)
        if isinstance(located, Problem) and spec is INFO:
            located = headerless_info_table(name, rows) or located
        if isinstance(located, Problem):
            out.add(located)
            located = None
        tables[spec.key] = located
    return tables


def _fast_register(name: str, source: ColumnSource) -> RawTable | None:
    """The register read column-wise (`bigsheet`), or None to stream it row by row.

    The header is looked for in the sheet's first rows exactly as `locate_table` does; the
    columns under it become the register's frame of Arrow-backed text, with Excel row numbers,
    without the rows blank in all of them.
    """
    head = source.head(name, HEADER_SEARCH_ROWS)
    found = find_header(REGISTER, head) if head is not None else None
    if found is None:
        return None
    _, header_row, values, columns_at = found
    read = source.columns(name, list(columns_at.values()))
    if read is None:
        return None
    below = int(np.searchsorted(read.rows, header_row, side="right"))  # rows ascend: a slice, no copy
    columns = {key: read.columns[index].slice(below) for key, index in columns_at.items()}
    rows = read.rows[below:]
    blank = blank_rows(list(columns.values()))  # as `locate_table` drops them
    if blank.any():
        keep = pa.array(~blank)
        columns, rows = {key: column.filter(keep) for key, column in columns.items()}, rows[~blank]
    frame = pd.DataFrame({key: column.to_pandas() for key, column in columns.items()})
    frame["row"] = rows
    return header_table(REGISTER, name, header_row, values, columns_at, [], frame)


def _register_frame(table: RawTable | None, units, out: Collector) -> pd.DataFrame | None:
    """The register's cells, or None without a register.

    A register sheet with its header only (as the blank workbook has it) counts as absent, with
    a warning: the official who types the counts in `Chỉ tiêu` has not filled it in yet. Rows
    with an Excel error or an unsaved formula are reported (`_report_unusable_cells`) and left out.
    """
    if table is None or units.empty:  # without units, every household would only echo that error
        return None
    fast = table.frame is not None  # read column-wise by the fast reader
    if _empty_register(len(table.frame) if fast else len(table.rows), table, out):
        return None
    frame = table.frame if fast else register_frame(table)
    unusable = _report_unusable_cells(frame, table, out)
    return frame[~unusable].reset_index(drop=True) if unusable.any() else frame


def _empty_register(households: int, table: RawTable, out: Collector) -> bool:
    if households:
        return False
    out.warn("empty_register", say("validate.empty_register", units=UNITS.name), sheet=table.sheet)
    return True


def _report_unusable_cells(frame, table: RawTable, out: Collector) -> np.ndarray:
    """Report Excel error values and unsaved formulas (`UNSAVED_MARK`, which both readers write)
    in the register; return which rows hold one.

    Vectorised: a cheap comparison finds the few candidate cells; only those are inspected.
    The error code is shown (it is not personal data); the cell's household by its `Mã hộ`.
    """
    codes, rows = None, np.zeros(len(frame), dtype=bool)
    for key in table.columns:
        column = frame[key]
        errors = column.isin(EXCEL_ERRORS)
        unsaved = column.eq(UNSAVED_MARK).fillna(False).astype(bool)
        if not (errors.any() or unsaved.any()):
            continue
        codes = clean_series(frame["code"])[0] if codes is None else codes
        if errors.any():
            found = column[errors]
            out.rows_error(
                "excel_error",
                lambda at: excel_error_text(found.iloc[at]),
                table,
                key,
                frame["row"][errors],
                codes[errors],
                found,
            )
        out.rows_error("unsaved_formula", unsaved_text(), table, key, frame["row"][unsaved], codes[unsaved])
        rows |= (errors | unsaved).to_numpy(dtype=bool)
    return rows


def _check_targets(units, table: RawTable, out: Collector) -> None:
    """A unit cannot have more poor households than households, nor a target above its poor."""
    for record in units.itertuples(index=False):
        households, poor, target = record.households, record.poor_start, record.target
        if _known(households, poor) and poor > households:
            out.error(
                "poor_above_households",
                say("validate.poor_above_households", poor=int(poor), households=int(households), unit=record.unit),
                sheet=table.sheet,
                row=int(record.row),
                column=table.header("households"),
            )
        if _known(poor, target) and target > poor:
            out.error(
                "target_above_poor",
                say("validate.target_above_poor", target=int(target), poor=int(poor), unit=record.unit),
                sheet=table.sheet,
                row=int(record.row),
                column=table.header("target"),
            )


def _check_counts_fit(units, register_state: str, table: RawTable, out: Collector) -> None:
    """Near-poor households, alone or with the poor ones, cannot outnumber a unit's households.

    A near-poor count not typed is 0 only when a valid register counted it (`register_state`).
    """
    if not table.has("near_poor_start") and register_state != VALID:
        return
    for record in units.itertuples(index=False):
        near = record.near_poor_start if _known(record.near_poor_start) else (0 if register_state == VALID else None)
        households, poor = record.households, record.poor_start
        if not _known(households, near) or not near:
            continue
        where = {"sheet": table.sheet, "row": int(record.row), "column": table.header("households")}
        if near > households:
            out.error(
                "near_poor_above_households",
                say(
                    "validate.near_poor_above_households", near=int(near), households=int(households), unit=record.unit
                ),
                **where,
            )
        elif _known(poor) and poor + near > households:
            out.error(
                "poor_and_near_poor_above_households",
                say(
                    "validate.poor_and_near_poor_above_households",
                    poor=int(poor),
                    near=int(near),
                    total=int(poor + near),
                    households=int(households),
                    unit=record.unit,
                ),
                **where,
            )


def _check_near_poor_targets(
    units,
    register_state: str,
    table: RawTable,
    out: Collector,
    exempt: frozenset[int] = frozenset(),
    unsure: frozenset[int] = frozenset(),
) -> None:
    """Near-poor targets are all or nothing, need a start count, and cannot exceed it.

    A unit without a typed start count starts with 0 when a valid register counted none; with an
    invalid register its start is unknown and its target is not compared. Units at the rows
    `exempt` (their row is reported already) are left out; at the rows `unsure` (their counts
    may be another row's) targets are not compared.
    """
    if not table.has("near_poor_target"):
        return
    units = units[~units["row"].isin(exempt)]
    typed = [_known(value) for value in units["near_poor_target"]]
    if not any(typed):
        return
    blank = [int(row) for row, given in zip(units["row"], typed) if not given]
    if blank:
        _report_blank_near_poor_targets(blank, len(units), table, out)
        return
    for record in units[~units["row"].isin(unsure)].itertuples(index=False):
        start = record.near_poor_start if _known(record.near_poor_start) else (0 if register_state == VALID else None)
        if start is None and register_state == ABSENT:
            out.error(
                "required",
                say("validate.near_poor_start_empty", register=REGISTER.name),
                sheet=table.sheet,
                row=int(record.row),
                column=table.header("near_poor_start")
                if table.has("near_poor_start")
                else UNITS.column("near_poor_start").name,
            )
        elif start is not None and record.near_poor_target > start:
            out.error(
                "target_above_near_poor",
                say(
                    "validate.target_above_near_poor",
                    target=int(record.near_poor_target),
                    start=int(start),
                    unit=record.unit,
                ),
                sheet=table.sheet,
                row=int(record.row),
                column=table.header("near_poor_target"),
            )


def _report_blank_near_poor_targets(blank: list[int], units: int, table: RawTable, out: Collector) -> None:
    """Some units have a near-poor target and others not: one error, at the first blank cell."""
    where = {"sheet": table.sheet, "row": blank[0], "column": table.header("near_poor_target")}
    if len(blank) == 1:
        out.error("required", say("validate.near_poor_target_empty"), **where)
        return
    rows = ", ".join(map(str, blank[:10])) + (", …" if len(blank) > 10 else "")
    out.error(
        "required",
        say("validate.near_poor_targets_partly_blank", given=units - len(blank), units=units, rows=rows),
        **where,
    )


def _check_blank_targets(units, info_table: RawTable, table: RawTable, out: Collector) -> None:
    """Unit targets are typed for every unit, or blank for all when the assigned target is given
    (aggregate.split then proposes them). A cell already reported (not a number…) is not blank."""
    column = table.header("target")
    if units.empty or any(p.is_error and p.sheet == table.sheet and p.column == column for p in out.problems):
        return
    blank = [not _known(value) for value in units["target"]]
    item = _item_label("assigned_target")
    if all(blank):
        if not any(not is_blank(value) for _, value in item_cells(info_table, "assigned_target")):
            text = say("validate.split_targets_blank", item=item, sheet=INFO.name)
            out.error("split_targets_blank", text, sheet=table.sheet, row=int(units["row"].iloc[0]), column=column)
        return
    for row, missing in zip(units["row"], blank):
        if missing:
            text = say("validate.split_target_missing", item=item)
            out.error("required", text, sheet=table.sheet, row=int(row), column=column)


def _check_assigned_target(info, units, info_table: RawTable, out: Collector) -> None:
    """The assigned target cannot be split over more poor households than the units have: an
    error when the units' targets are to be proposed, a warning when they are typed."""
    if info is None or info.assigned_target is None or units.empty or not _known(*units["poor_start"]):
        return
    total = int(sum(units["poor_start"]))
    if info.assigned_target > total:
        proposing = not any(_known(value) for value in units["target"])
        text = say(
            "validate.split_poor_above_start",
            item=_item_label("assigned_target"),
            assigned=info.assigned_target,
            total=total,
        )
        _assigned_above_start(info_table, "assigned_target", text, proposing, out)


def _check_assigned_near_poor_target(info, units, counted: bool, tables: dict, out: Collector) -> None:
    """The same for the near-poor target; to be proposed, it also needs every unit's start count
    (typed, or counted from the register)."""
    if info is None or info.assigned_near_poor_target is None or units.empty:
        return
    proposing = not any(_known(value) for value in units["near_poor_target"])
    starts = [value if _known(value) else (0 if counted else None) for value in units["near_poor_start"]]
    info_table, units_table = tables[INFO.key], tables[UNITS.key]
    if None in starts:
        if proposing:
            row = item_cells(info_table, "assigned_near_poor_target")[0][0]
            has_column = units_table.has("near_poor_start")
            column = units_table.header("near_poor_start") if has_column else UNITS.column("near_poor_start").name
            text = say(
                "validate.split_near_poor_start_unknown",
                item=_item_label("assigned_near_poor_target"),
                column=column,
                units=UNITS.name,
                register=REGISTER.name,
            )
            where = {"sheet": info_table.sheet, "row": row, "column": info_table.header("value")}
            out.error("split_near_poor_start_unknown", text, **where)
        return
    total = int(sum(starts))
    if info.assigned_near_poor_target > total:
        text = say(
            "validate.split_near_poor_above_start",
            item=_item_label("assigned_near_poor_target"),
            assigned=info.assigned_near_poor_target,
            total=total,
        )
        _assigned_above_start(info_table, "assigned_near_poor_target", text, proposing, out)


def _assigned_above_start(info_table: RawTable, key: str, text: str, proposing: bool, out: Collector) -> None:
    """`text` at the item's row: an error when the split is to be proposed, else a warning."""
    where = {"sheet": info_table.sheet, "row": item_cells(info_table, key)[0][0], "column": info_table.header("value")}
    if proposing:
        out.error("split_assigned_above_start", text, **where)
    else:
        out.warn("split_assigned_above_start", text, **where)


def _item_label(key: str) -> str:
    return next(item.label for item in INFO_ITEMS if item.key == key)


def _known(*values) -> bool:
    return all(value is not None and value == value for value in values)


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Errors before warnings, each group in the order found."""
    return sorted(problems, key=lambda problem: not problem.is_error)
