"""One family of errors and problems, formatted in one place.

A `Problem` is one thing wrong with a workbook, carrying its location as data (sheet, the row
number Excel shows, column) and the offending value where it is not personal data. Validation
collects problems instead of stopping at the first, so the official fixes everything in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass

from povertyplan.messages import say

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One error or warning about a workbook.

    `text` says what is wrong and what to do, in Vietnamese, without the location. `value` is
    the offending cell value as shown to the user, or None when it must not be shown (personal
    data) or there is none. `household` is the register's `Mã hộ`, the only way a household is
    ever identified in a message.
    """

    code: str
    text: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    household: str | None = None
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self, household: bool = True) -> str:
        """Return the one-line Vietnamese message: location, value, what is wrong, what to do.
        Without `household`, the household code is left out (for a summary sent outside the commune)."""
        location = []
        if self.sheet:
            location.append(say("errors.at_sheet", sheet=shorten(self.sheet, 40)))
        if self.row and self.household and household:
            location.append(say("errors.at_row_household", row=self.row, household=shorten(self.household, 30)))
        elif self.row:
            location.append(say("errors.at_row", row=self.row))
        if self.column:
            location.append(say("errors.at_column", column=shorten(self.column, 40)))
        value = f'"{shorten(self.value)}" ' if self.value is not None else ""
        prefix = ", ".join(location)
        text = " ".join(self.text.split())
        return f"{prefix}: {value}{text}" if prefix else f"{value}{text}"


def shorten(value: str, limit: int = 60) -> str:
    """Cut a long cell value for a message so one problem stays one readable line.

    Line breaks and other control characters (a hostile sheet name may hold any) become spaces.
    """
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)[: limit * 4]).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


class PlanError(Exception):
    """Base of every error a user can cause; the CLI prints it and exits with `exit_code`."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageError(PlanError):
    """A bad command line."""

    exit_code = 2


class FileProblem(PlanError):
    """The file itself cannot be used (missing, not a workbook, corrupt, locked, hostile)."""


class WorkbookInvalid(PlanError):
    """The workbook was read but has errors; `problems` holds every error and warning found."""

    def __init__(self, problems: list[Problem]):
        errors = sum(problem.is_error for problem in problems)
        super().__init__(say("errors.workbook_invalid", count=errors))

        self.problems = problems


class OutputProblem(PlanError):
    """The plan could not be written (folder missing, file open in Word, disk full)."""
