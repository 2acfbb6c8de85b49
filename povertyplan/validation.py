"""Collecting problems cell by cell, so one run lists everything to fix."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .cells import CellIssue, clean_text, excel_error, is_blank
from .errors import ERROR, WARNING, Problem
from .sheets import RawTable

T = TypeVar("T")


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
            shown = clean_text(raw)[0] if show_value else None
            self.error(issue.code, issue.text, sheet=table.sheet, row=row, column=table.header(key), value=shown, **where)
            return None

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
