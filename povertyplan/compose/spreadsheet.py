"""A spreadsheet described as data: its sheets, their columns, rows, input messages and
validations, and its defined names. The blank workbook and the review list are composed as a
`Spreadsheet`; `render.xlsx` writes one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from povertyplan.contract.cellref import column_letter


@dataclass(frozen=True)
class Validation:
    """What a cell accepts.

    `kind`: ``list`` (from `choices`, or from `source`, a range or defined name), ``whole`` or
    ``decimal`` (between `minimum` and `maximum`, either may be None). A list that is not
    `strict` only suggests: any typed value is kept (``Khu phố 9 + 4`` in `Phân công`).
    """

    kind: str
    choices: tuple[str, ...] = ()
    source: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    strict: bool = True
    error: str = ""


@dataclass(frozen=True)
class Rule:
    """An input message (and a validation, if any) on rows `first_row`..`last_row` (Excel
    numbering) of a column (0-based)."""

    column: int
    first_row: int
    last_row: int
    title: str
    prompt: str
    validation: Validation | None = None


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    number_format: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Formula:
    """A cell computed by the spreadsheet program when it opens the file: `text` is the formula
    without its ``=`` (``SUM(E4:E9)``). Any other text, even one starting with ``=``, is text."""

    text: str


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding one table: optional `title_lines` and `groups` (a row of merged group
    headings: text and how many columns it spans, ``""`` for none) above the header row, then
    `rows`. The header row is frozen and, printed, repeated on every page; rows are as tall as
    their wrapped text. `bold_last_row` prints a total row in bold. `filtered` puts filter buttons
    on the header row, over the rows but a bold total row (sorting leaves it last)."""

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[object]] = ()
    rules: tuple[Rule, ...] = ()
    title_lines: tuple[str, ...] = ()
    groups: tuple[tuple[str, int], ...] = ()
    bold_last_row: bool = False
    filtered: bool = False


@dataclass(frozen=True)
class TextSheet:
    """A sheet of text rows, each ``(style, cells)``; style is ``title``, ``heading``, ``header``
    (a bold table heading row), ``row`` (table cells) or ``text`` (one paragraph across the
    sheet's columns)."""

    name: str
    widths: tuple[float, ...]
    rows: tuple[tuple[str, tuple[object, ...]], ...] = field(default_factory=tuple)


Sheet = TableSheet | TextSheet


@dataclass(frozen=True)
class Spreadsheet:
    """A whole workbook: `sheets` in order and `names`, its defined names (name → reference)."""

    sheets: tuple[Sheet, ...]
    names: dict[str, str] = field(default_factory=dict)


def sheet_reference(sheet: str, column: int, first_row: int, last_row: int) -> str:
    """An absolute reference to a column's cells on `sheet`: ``'Chỉ tiêu'!$B$2:$B$301``."""
    letter = column_letter(column)
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!${letter}${first_row}:${letter}${last_row}"
