"""Reporting the text the reader converted from an old encoding, or found garbled.

Only the cells the plan uses count: those of a located table's columns, from its header row
down. Converted cells make one warning per sheet and encoding, naming the cells; each garbled
cell is an error (its repaired text shown as a guess, except in the register: personal data).
"""

from __future__ import annotations

import numpy as np

from povertyplan.errors import WARNING, Problem
from povertyplan.messages import say
from povertyplan.read.legacy import NAMES
from povertyplan.read.sheets import PERSONAL_SHEETS, RawTable
from povertyplan.contract.cellref import cell_reference
from povertyplan.read.textfindings import TextFindings
from povertyplan.read.cells import clean_text
from povertyplan.validate.collector import MAX_LINES_PER_CHECK, Collector

# The converted cells a warning names; it counts the others.
NAMED_CELLS = 10


def report_text_findings(findings: TextFindings | None, tables: dict[str, RawTable | None], out: Collector) -> None:
    """Add to `out` the warnings about converted cells and the errors about garbled ones."""
    if findings is None:
        return
    for table in tables.values():
        if table is not None:
            _report_converted(findings, table, out)
            _report_garbled(findings, table, out)


def _used(table: RawTable) -> dict[int, str]:
    """The sheet's columns the table uses (0 = A) → their keys."""
    positions = table.positions or table.columns
    return {column: key for key, column in positions.items()}


def _rows(found, table: RawTable) -> np.ndarray:
    rows = np.frombuffer(found, dtype=np.int32) if len(found) else np.zeros(0, np.int32)
    return rows[rows >= table.header_row]


def _report_converted(findings: TextFindings, table: RawTable, out: Collector) -> None:
    used = _used(table)
    by_name: dict[str, list[tuple[np.ndarray, int]]] = {}
    for (sheet, column, encoding), found in findings.converted.items():
        if sheet == table.sheet and column in used:
            by_name.setdefault(NAMES[encoding], []).append((_rows(found, table), column))
    for name, columns in by_name.items():
        count = sum(len(rows) for rows, _ in columns)
        if not count:
            continue
        first = sorted((int(row), column) for rows, column in columns for row in np.sort(rows)[:NAMED_CELLS])[
            :NAMED_CELLS
        ]
        cells = ", ".join(cell_reference(row, column) for row, column in first)
        if count > NAMED_CELLS:
            cells = say("validate.legacy_more_cells", cells=cells, more=count - NAMED_CELLS)
        out.add(
            Problem(
                "legacy_encoding",
                say("validate.legacy_converted", count=count, cells=cells, encoding=name),
                sheet=table.sheet,
                severity=WARNING,
            )
        )


def _report_garbled(findings: TextFindings, table: RawTable, out: Collector) -> None:
    personal = table.spec.key in PERSONAL_SHEETS
    for column, key in _used(table).items():
        found = findings.garbled.get((table.sheet, column))
        if not found:
            continue
        every = np.frombuffer(found, dtype=np.int32)
        samples = [
            sample
            for row, sample in zip(every, findings.samples.get((table.sheet, column), []))
            if row >= table.header_row
        ]
        rows = every[every >= table.header_row]

        def text(index: int, rows=rows, samples=samples, column=column) -> str:
            guess = samples[index][1] if index < len(samples) and not personal else None
            cell = cell_reference(int(rows[index]), column)
            return (
                say("validate.garbled_text_guess", cell=cell, guess=guess)
                if guess
                else say("validate.garbled_text", cell=cell)
            )

        values = None if personal else [raw for raw, _ in samples]
        households = _household_codes(table, rows[: MAX_LINES_PER_CHECK + 1]) if personal else None
        out.rows_error("garbled_text", text, table, key, rows, households, values)


def _household_codes(table: RawTable, rows: np.ndarray) -> list[str | None]:
    """The `Mã hộ` of the register's rows `rows` (how a household is named in a message)."""
    if table.frame is not None:
        frame = table.frame
        at = np.searchsorted(frame["row"].to_numpy(), rows)  # the frame's rows ascend
        codes = [
            frame["code"].iloc[i] if i < len(frame) and frame["row"].iloc[i] == row else None
            for i, row in zip(at, rows)
        ]
    else:
        by_row = dict(table.rows)
        codes = [table.value(by_row[row], "code") if row in by_row else None for row in map(int, rows)]
    return [clean_text(code)[0] or None if code is not None else None for code in codes]
