"""Collecting problems cell by cell, so one run lists everything to fix."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .cells import CellIssue, clean_text, excel_error, is_blank
from .errors import ERROR, WARNING, Problem
from .sheets import RawTable

T = TypeVar("T")

# A million-row register with one systematic mistake must not print a million lines.
MAX_LINES_PER_CHECK = 20


def shown_value(raw: object) -> str:
    """A cell value as the official sees it in Excel: decimal comma for fractions."""
    if isinstance(raw, float) and not raw.is_integer():
        return repr(raw).replace(".", ",")
    return clean_text(raw)[0]


class Collector:
    """Gathers errors and warnings while the sheets are parsed.

    Text repairs (NFC, `ƣ`, control characters, stray spaces) are counted per sheet and column
    and reported as one warning each, not one per cell.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._repairs: dict[tuple[str, str], list[int]] = {}

    def error(self, code: str, text: str, **where) -> None:
        self.problems.append(Problem(code, text, severity=ERROR, **where))

    def warn(self, code: str, text: str, **where) -> None:
        self.problems.append(Problem(code, text, severity=WARNING, **where))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    def text(self, table: RawTable, row: int, values: tuple, key: str, required: bool = False, **where) -> str:
        """Return a cell as clean text; record a repair, or an error when required and empty."""
        raw = table.value(values, key)
        if excel_error(raw):
            self.error("excel_error", f"là lỗi công thức của Excel ({excel_error(raw)}). Sửa ô này rồi lưu lại.", sheet=table.sheet, row=row, column=table.header(key), **where)
            return ""
        text, repaired = clean_text(raw)
        if repaired:
            self._repairs.setdefault((table.sheet, table.header(key)), []).append(row)
        if required and not text:
            self.error("required", "ô này đang trống. Nhập giá trị cho ô này.", sheet=table.sheet, row=row, column=table.header(key), **where)
        return text

    def parsed(self, table: RawTable, row: int, values: tuple, key: str, parse: Callable[[object], T], required: bool = True, show_value: bool = True, **where) -> T | None:
        """Return `parse(cell)`, or None after recording why the cell cannot be used."""
        raw = table.value(values, key)
        if is_blank(raw):
            if required:
                self.error("required", "ô này đang trống. Nhập giá trị cho ô này.", sheet=table.sheet, row=row, column=table.header(key), **where)
            return None
        try:
            return parse(raw)
        except CellIssue as issue:
            shown = shown_value(raw) if show_value else None
            self.error(issue.code, issue.text, sheet=table.sheet, row=row, column=table.header(key), value=shown, **where)
            return None

    def rows_error(self, code: str, text: str | list[str], table: RawTable, key: str, rows, households=None, values=None) -> None:
        """Record one error per listed row (at most MAX_LINES_PER_CHECK, then a count of the rest).

        `text` is one message for all rows, or a list with one message per row.
        """
        rows = [int(row) for row in rows]
        texts = text if isinstance(text, list) else [text] * len(rows)
        households = list(households) if households is not None else [None] * len(rows)
        values = list(values) if values is not None else [None] * len(rows)
        for row, household, value, message in list(zip(rows, households, values, texts))[:MAX_LINES_PER_CHECK]:
            self.error(code, message, sheet=table.sheet, row=row, column=table.header(key), household=household or None, value=value)
        if len(rows) > MAX_LINES_PER_CHECK:
            rest = len(rows) - MAX_LINES_PER_CHECK
            self.error(code, f"còn {rest} dòng khác có cùng loại lỗi này (từ dòng {rows[MAX_LINES_PER_CHECK]}). Sửa tất cả rồi chạy lại.", sheet=table.sheet, column=table.header(key))

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
                f"đã tự sửa chữ ở {len(rows)} ô (chuẩn hóa Unicode, ký tự lạ, dấu cách thừa). Kiểm tra lại nội dung nếu cần.",
                sheet=sheet,
                row=rows[0],
                column=column,
                severity=WARNING,
            )
            for (sheet, column), rows in self._repairs.items()
        ]
