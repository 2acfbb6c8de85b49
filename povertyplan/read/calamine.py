"""Reading .xls (Excel 97–2003) and .ods (OpenDocument) workbooks: the only module that knows
python-calamine.

`open_book` first lets `biffscan` or `odsscan` check the file and find what calamine does not
report (error values, which it reads as blanks; formulas an .ods holds without a saved value),
then yields a source with the interface of `xlsx.WorkbookSource`: `sheet_names`, and `rows(sheet)`
giving (row number as Excel and LibreOffice show it, tuple of values) for each non-blank row.
Values are those openpyxl gives for the same workbook saved as .xlsx: int, float, str, bool,
datetime (a date too), time, timedelta; an error cell as its code (``#DIV/0!``), an unsaved
formula as `cells.UNSAVED_FORMULA`. Whatever calamine raises (a Rust panic included) becomes a
`FileProblem` with a Vietnamese message.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import python_calamine

from povertyplan.errors import FileProblem
from povertyplan.messages import say
from povertyplan.read import biffscan, odsscan
from povertyplan.read.formats import ODS, XLS
from povertyplan.read.limits import MAX_COLUMNS
from povertyplan.read.textfindings import CellTexts, TextFindings

# An .ods keeps a duration of a day or more (a [h]:mm cell) as ISO 8601 text, which calamine passes on.
_DURATION = re.compile(r"^-?PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S$")
# Integral numbers below this read as int, as openpyxl reads the digits Excel and LibreOffice write.
_EXACT_INT = 2**53


@contextmanager
def open_book(path: Path, kind: str) -> Iterator[CalamineSource]:
    """The .xls (`kind` XLS) or .ods (ODS) workbook at `path`, checked, read by calamine."""
    assert kind in (XLS, ODS), kind
    marks = odsscan.scan(path) if kind == ODS else biffscan.scan(path)
    try:
        with open(path, "rb") as stream, _quiet_stderr():  # from_path would go by the file's extension
            book = python_calamine.CalamineWorkbook.from_filelike(stream)
        names = book.sheet_names
    except BaseException as error:
        _reraise_own(error)
        raise _problem(path, error) from None
    if isinstance(marks, list):  # an .xls's, in the order of its sheets
        marks = dict(zip(names, marks))
    try:
        yield CalamineSource(book, path, marks)
    finally:
        book.close()


class CalamineSource:
    """An open .xls or .ods workbook: its sheet names, and the rows of any sheet on demand."""

    def __init__(self, book, path: Path, marks: dict[str, dict[tuple[int, int], object]]):
        self._book, self.path, self._marks = book, path, marks
        # Text typed in an old Vietnamese encoding is converted as it is read, as `xlsx` does;
        # calamine gives no fonts, so the characters alone tell it (`textfindings.CellTexts`).
        self.findings = TextFindings()
        worksheet = python_calamine.SheetTypeEnum.WorkSheet
        self.sheet_names: tuple[str, ...] = tuple(
            sheet.name for sheet in book.sheets_metadata if sheet.typ == worksheet
        )

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """Yield (row number, values) for each non-blank row of a sheet, the first MAX_COLUMNS
        columns. Raise FileProblem when the sheet cannot be read."""
        try:
            yield from self._rows(sheet_name)
        except BaseException as error:
            _reraise_own(error)
            if isinstance(error, MemoryError):
                raise FileProblem(say("read.book_too_big", name=self.path.name)) from None
            raise FileProblem(say("read.book_sheet_damaged", sheet=sheet_name, name=self.path.name)) from None

    def _rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        with _quiet_stderr():
            sheet = self._book.get_sheet_by_name(sheet_name)
        marks = _by_row(self._marks.get(sheet_name, {}))
        start = sheet.start  # None for an empty sheet (whose iter_rows would panic)
        cells = _grid_rows(sheet, start) if start is not None else iter(())
        texts = CellTexts(sheet_name, {}, self.findings)
        for index, values in _merge(cells, marks):
            kept = _row_values(values)
            if kept:
                yield (
                    index + 1,
                    tuple(
                        texts(index + 1, column, value, 0) if isinstance(value, str) else value
                        for column, value in enumerate(kept)
                    ),
                )


def _grid_rows(sheet, start: tuple[int, int]) -> Iterator[tuple[int, list]]:
    """(0-based row, values from column A) of calamine's grid, which begins at `start`.

    calamine's iterator first gives one blank row per row above the grid: skipped.
    """
    first_row, first_column = start
    pad = [None] * first_column
    for offset, values in enumerate(islice(sheet.iter_rows(), first_row, None)):
        yield first_row + offset, pad + values[: MAX_COLUMNS - first_column] if first_column < MAX_COLUMNS else []


def _by_row(marks: dict[tuple[int, int], object]) -> dict[int, dict[int, object]]:
    rows: dict[int, dict[int, object]] = {}
    for (row, column), mark in marks.items():
        if column < MAX_COLUMNS:
            rows.setdefault(row, {})[column] = mark
    return rows


def _merge(cells: Iterator[tuple[int, list]], marks: dict[int, dict[int, object]]) -> Iterator[tuple[int, list]]:
    """The grid's rows with the marked cells put in, in row order; a marked cell may lie outside
    the grid (calamine leaves an unsaved formula's cell out of it)."""
    pending = sorted(marks)
    position = 0
    for row, values in cells:
        while position < len(pending) and pending[position] < row:
            yield pending[position], _marked([], marks[pending[position]])
            position += 1
        if position < len(pending) and pending[position] == row:
            values = _marked(values, marks[row])
            position += 1
        yield row, values
    for row in pending[position:]:
        yield row, _marked([], marks[row])


def _marked(values: list, marks: dict[int, object]) -> list:
    values = values + [None] * (max(marks) + 1 - len(values)) if max(marks) >= len(values) else list(values)
    for column, mark in marks.items():
        values[column] = mark
    return values


def _row_values(values: list) -> tuple | None:
    """The row's values as openpyxl gives them, trailing blanks dropped; None when all are blank."""
    converted = [_value(value) for value in values]
    while converted and converted[-1] is None:
        converted.pop()
    return tuple(converted) if converted else None


def _value(value: object) -> object:
    """A calamine value as openpyxl reads the same cell of an .xlsx."""
    kind = type(value)
    if kind is str:  # an error code or UNSAVED_FORMULA put in by the marks is kept as it is
        if not value:
            return None  # calamine's blank cell (and an error cell, which the marks put back)
        if value.startswith(("PT", "-PT")) and (match := _DURATION.match(value)):
            return _duration(value, match)
        return value
    if kind is float and value.is_integer() and abs(value) < _EXACT_INT:
        return int(value)
    if kind is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value


def _duration(text: str, match: re.Match) -> dt.timedelta:
    hours, minutes, seconds = int(match[1]), int(match[2]), float(match[3])
    duration = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return -duration if text.startswith("-") else duration


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Keep the Rust runtime's report of a panic (English, written straight to the process's
    standard error, before the panic reaches Python as an exception) off the official's screen."""
    if sys.stderr is not None:
        sys.stderr.flush()
    try:
        saved, sink = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    except OSError:  # no standard error at all (pythonw on Windows): nothing to keep clean
        yield
        return
    try:
        os.dup2(sink, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(sink)


def _reraise_own(error: BaseException) -> None:
    """Let through what is not the file's fault: our own FileProblem, Ctrl+C, a system exit."""
    if isinstance(error, (FileProblem, KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise error


def _problem(path: Path, error: BaseException) -> FileProblem:
    """A Vietnamese message for what calamine raised on opening (a Rust panic is a BaseException)."""
    if isinstance(error, python_calamine.PasswordError):
        return FileProblem(say("read.book_password", name=path.name))
    if isinstance(error, PermissionError):
        return FileProblem(say("read.book_locked", name=path.name))
    if isinstance(error, MemoryError):
        return FileProblem(say("read.book_too_big", name=path.name))
    return FileProblem(say("read.book_damaged", name=path.name))
