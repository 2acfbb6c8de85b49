"""Collecting problems cell by cell, so one run lists everything to fix."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import TypeVar

import datetime as dt

from povertyplan.read.cells import (
    CellIssue,
    clean_text,
    excel_error,
    excel_error_text,
    is_blank,
    is_unsaved_formula,
    unsaved_text,
)
from povertyplan.errors import ERROR, WARNING, Problem
from povertyplan.messages import say
from povertyplan.read.sheets import RawTable

T = TypeVar("T")

# A million-row register with one systematic mistake must not print a million lines.
MAX_LINES_PER_CHECK = 20


def shown_value(raw: object) -> str:
    """A cell value as the official sees it in Excel: decimal comma, dates day/month/year."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and not raw.is_integer():
        return repr(raw).replace(".", ",")
    if isinstance(raw, dt.datetime) and raw.time() != dt.time():
        return f"{raw:%d/%m/%Y %H:%M}"
    if isinstance(raw, (dt.date, dt.datetime)):
        return f"{raw:%d/%m/%Y}"
    return clean_text(raw)[0]


class Collector:
    """Gathers errors and warnings while the sheets are parsed.

    Text repairs a user could see (`ƣ`, control characters, stray spaces; not NFC normalisation)
    are counted per sheet and column and reported as one warning each, not one per cell. A cell
    gets at most one error (the first
    found: a blank formula cell is not also reported empty). One kind of problem in one column
    prints at most MAX_LINES_PER_CHECK lines, then one line counting the rest, so a hostile or
    systematically wrong sheet cannot flood the report.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._repairs: dict[tuple[str, str], list[int]] = {}
        self._cells_in_error: set[tuple] = set()
        self._lines: dict[tuple, int] = {}
        self._overflow: dict[tuple, tuple[int, int, int | None]] = {}  # key → (index in problems, count, first row)

    def error(self, code: str, text: str, **where) -> None:
        self.add(Problem(code, text, severity=ERROR, **where))

    def warn(self, code: str, text: str, **where) -> None:
        self.add(Problem(code, text, severity=WARNING, **where))

    def add(self, problem: Problem) -> None:
        if problem.is_error and problem.row is not None:
            cell = (problem.sheet, problem.row, problem.column)
            if cell in self._cells_in_error:
                return
            self._cells_in_error.add(cell)
        key = (problem.severity, problem.code, problem.sheet, problem.column)
        if self._lines.get(key, 0) >= MAX_LINES_PER_CHECK:
            self._count_overflow(key, 1, problem.row)
            return
        self._lines[key] = self._lines.get(key, 0) + 1
        self.problems.append(problem)

    def _count_overflow(self, key: tuple, count: int, first_row: int | None) -> None:
        """Keep one line per key that counts the problems not printed."""
        severity, code, sheet, column = key
        index, before, first = self._overflow.get(key, (len(self.problems), 0, first_row))
        total = before + count
        if severity == ERROR:
            text = (
                say("validate.more_errors_from", count=total, row=first)
                if first
                else say("validate.more_errors", count=total)
            )
        else:
            text = (
                say("validate.more_warnings_from", count=total, row=first)
                if first
                else say("validate.more_warnings", count=total)
            )
        line = Problem(code, text, sheet=sheet, column=column, severity=severity)
        if index == len(self.problems):
            self.problems.append(line)
        else:
            self.problems[index] = line
        self._overflow[key] = (index, total, first)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    def text(self, table: RawTable, row: int, values: tuple, key: str, required: bool = False, **where) -> str:
        """Return a cell as clean text; record a repair, or an error when required and empty."""
        raw = table.value(values, key)
        if self.unusable(raw, sheet=table.sheet, row=row, column=table.header(key), **where):
            return ""
        text, repaired = clean_text(raw)
        if repaired:
            self.repaired_rows(table, key, [row])
        if required and not text:
            self.error(
                "required", say("validate.required"), sheet=table.sheet, row=row, column=table.header(key), **where
            )
        return text

    def parsed(
        self,
        table: RawTable,
        row: int,
        values: tuple,
        key: str,
        parse: Callable[[object], T],
        required: bool = True,
        show_value: bool = True,
        **where,
    ) -> T | None:
        """Return `parse(cell)`, or None after recording why the cell cannot be used."""
        raw = table.value(values, key)
        if self.unusable(raw, sheet=table.sheet, row=row, column=table.header(key), **where):
            return None
        if is_blank(raw):
            if required:
                self.error(
                    "required", say("validate.required"), sheet=table.sheet, row=row, column=table.header(key), **where
                )
            return None
        try:
            return parse(raw)
        except CellIssue as issue:
            shown = shown_value(raw) if show_value else None
            self.error(
                issue.code, issue.text, sheet=table.sheet, row=row, column=table.header(key), value=shown, **where
            )
            return None

    def unusable(self, raw: object, **where) -> bool:
        """Record an error and return True when a cell holds an Excel error or an unsaved formula."""
        if is_unsaved_formula(raw):
            self.error("unsaved_formula", unsaved_text(), **where)

            return True
        if error := excel_error(raw):
            self.error("excel_error", excel_error_text(error), value=error, **where)
            return True
        return False

    def rows_error(
        self,
        code: str,
        text: str | list[str] | Callable[[int], str],
        table: RawTable,
        key: str,
        rows,
        households=None,
        values=None,
    ) -> None:
        """Record one error per listed row (at most MAX_LINES_PER_CHECK, then a count of the rest).

        `text` is one message for all rows, a list with one message per row, or a function giving
        the message of the row at a position in `rows`. Only the printed rows are read from
        `rows`, `households` and `values`: a column wrong in every row costs no more.
        """
        count, shown = len(rows), MAX_LINES_PER_CHECK + 1
        rows = [int(row) for row in islice(rows, shown)]
        texts = (
            text if isinstance(text, list) else [text(index) if callable(text) else text for index in range(len(rows))]
        )
        households = list(islice(households, shown)) if households is not None else [None] * len(rows)
        values = list(islice(values, shown)) if values is not None else [None] * len(rows)
        for row, household, value, message in list(zip(rows, households, values, texts))[:MAX_LINES_PER_CHECK]:
            self.error(
                code,
                message,
                sheet=table.sheet,
                row=row,
                column=table.header(key),
                household=household or None,
                value=value,
            )
        if count > MAX_LINES_PER_CHECK:
            self._count_overflow(
                (ERROR, code, table.sheet, table.header(key)), count - MAX_LINES_PER_CHECK, rows[MAX_LINES_PER_CHECK]
            )

    def repaired_rows(self, table: RawTable, key: str, rows) -> None:
        """Note cells of a column whose text was repaired (reported by `repair_warnings`)."""
        rows = [int(row) for row in rows]
        if rows:
            self._repairs.setdefault((table.sheet, table.header(key)), []).extend(rows)

    def repair_warnings(self) -> list[Problem]:
        """One warning per sheet and column where text was repaired."""
        return [
            Problem(
                "text_repaired",
                say("validate.text_repaired", count=len(rows)),
                sheet=sheet,
                row=rows[0],
                column=column,
                severity=WARNING,
            )
            for (sheet, column), rows in self._repairs.items()
        ]
