"""Writing .xlsx files: the only module that knows openpyxl's writing side.

The blank standard workbook and the review list describe their sheets with the small dataclasses
below; `write_workbook` lays them out: bold wrapped headers, column widths, a frozen header row,
data validation (drop-down lists, whole numbers) and the input message Excel and LibreOffice show
when a cell is selected.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# Excel's limits: longer texts make Excel call the file damaged.
PROMPT_TITLE_LIMIT = 32
PROMPT_LIMIT = 255
ERROR_LIMIT = 225
LIST_LIMIT = 255
HEADER_FILL = "D9E2F3"
# Characters of Vietnamese text that fit in one unit of column width, conservatively (fonts differ).
CHARS_PER_WIDTH = 0.85


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
    """An input message (and a validation, if any) on rows `first_row`..`last_row` (Excel numbering) of a column (0-based)."""

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
class TableSheet:
    """A sheet holding one table: optional `title_lines` and `groups` (a row of merged group
    headings: text and how many columns it spans, ``""`` for none) above the header row, then
    `rows`. The header row is frozen. `bold_last_row` prints a total row in bold."""

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[object]] = ()
    rules: tuple[Rule, ...] = ()
    title_lines: tuple[str, ...] = ()
    groups: tuple[tuple[str, int], ...] = ()
    bold_last_row: bool = False


@dataclass(frozen=True)
class TextSheet:
    """A sheet of text rows, each ``(style, cells)``; style is ``title``, ``heading``, ``header``
    (a bold table heading row), ``row`` (table cells) or ``text`` (one paragraph across the
    sheet's columns)."""

    name: str
    widths: tuple[float, ...]
    rows: tuple[tuple[str, tuple[object, ...]], ...] = field(default_factory=tuple)


Sheet = TableSheet | TextSheet


def write_workbook(sheets: Sequence[Sheet], stream, names: dict[str, str] | None = None) -> None:
    """Write `sheets` in order to the binary `stream`; `names` are defined names (name → reference)."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        target = book.create_sheet(sheet.name)
        _page_setup(target)
        if isinstance(sheet, TableSheet):
            _write_table(target, sheet)
        else:
            _write_text(target, sheet)
    for name, reference in (names or {}).items():
        book.defined_names[name] = DefinedName(name, attr_text=reference)
    book.save(stream)


def sheet_reference(sheet: str, column: int, first_row: int, last_row: int) -> str:
    """An absolute reference to a column's cells on `sheet`: ``'Chỉ tiêu'!$B$2:$B$301``."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column + 1)
    quoted = sheet.replace("'", "''")
    return f"'{quoted}'!${letter}${first_row}:${letter}${last_row}"


def _write_table(target, sheet: TableSheet) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    row = 1
    for line in sheet.title_lines:
        target.cell(row, 1, line).font = Font(bold=row == 1, size=13 if row == 1 else 11)
        row += 1
    if sheet.groups:
        _write_groups(target, row, sheet.groups)
        row += 1
    header_row = row
    for index, column in enumerate(sheet.columns, start=1):
        _header_cell(target.cell(header_row, index, column.header))
        target.column_dimensions[get_column_letter(index)].width = column.width
    for offset, values in enumerate(sheet.rows, start=1):
        bold = sheet.bold_last_row and offset == len(sheet.rows)
        for index, (value, column) in enumerate(zip(values, sheet.columns), start=1):
            cell = target.cell(header_row + offset, index, value)
            if column.number_format:
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = Font(bold=True)
    target.freeze_panes = target.cell(header_row + 1, 1)
    target.print_title_rows = f"1:{header_row}"
    for rule in sheet.rules:
        target.add_data_validation(_data_validation(rule))


def _page_setup(target) -> None:
    """Print on A4 landscape, as wide as the page: officials print the guide and the review."""
    target.page_setup.orientation = "landscape"
    target.page_setup.paperSize = target.PAPERSIZE_A4
    target.sheet_properties.pageSetUpPr.fitToPage = True
    target.page_setup.fitToWidth = 1
    target.page_setup.fitToHeight = 0


def _write_groups(target, row: int, groups: tuple[tuple[str, int], ...]) -> None:
    column = 1
    for text, span in groups:
        if text:
            _header_cell(target.cell(row, column, text))
            if span > 1:
                target.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
        column += span


def _header_cell(cell) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    cell.font = Font(bold=True)
    cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def _data_validation(rule: Rule):
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(rule.column + 1)
    validation = rule.validation
    settings = _validation_settings(validation) if validation else {}
    return DataValidation(
        **settings,
        sqref=f"{letter}{rule.first_row}:{letter}{rule.last_row}",
        allow_blank=True,
        showInputMessage=True,
        promptTitle=rule.title[:PROMPT_TITLE_LIMIT],
        prompt=rule.prompt[:PROMPT_LIMIT],
    )


def _validation_settings(validation: Validation) -> dict:
    settings: dict = {"type": validation.kind, "showErrorMessage": validation.strict}
    if validation.error:
        settings.update(errorTitle="Giá trị không hợp lệ", error=validation.error[:ERROR_LIMIT], errorStyle="stop")
    if validation.kind == "list":
        settings["formula1"] = validation.source or _literal_list(validation.choices)
    elif validation.minimum is not None and validation.maximum is not None:
        settings.update(operator="between", formula1=_number(validation.minimum), formula2=_number(validation.maximum))
    elif validation.minimum is not None:
        settings.update(operator="greaterThanOrEqual", formula1=_number(validation.minimum))
    elif validation.maximum is not None:
        settings.update(operator="lessThanOrEqual", formula1=_number(validation.maximum))
    return settings


def _literal_list(choices: tuple[str, ...]) -> str:
    text = '"' + ",".join(choices) + '"'
    if len(text) > LIST_LIMIT or any("," in choice or '"' in choice for choice in choices):
        raise ValueError(f"drop-down list too long or with a comma: {choices}")
    return text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _write_text(target, sheet: TextSheet) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    span = len(sheet.widths)
    for index, width in enumerate(sheet.widths, start=1):
        target.column_dimensions[get_column_letter(index)].width = width
    for row, (style, cells) in enumerate(sheet.rows, start=1):
        if style == "header":
            for index, text in enumerate(cells, start=1):
                _header_cell(target.cell(row, index, text))
            continue
        for index, text in enumerate(cells, start=1):
            cell = target.cell(row, index, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=style in ("title", "heading"), size={"title": 14, "heading": 12}.get(style, 11))
        if style in ("title", "heading", "text") and span > 1:
            target.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        target.row_dimensions[row].height = _height(style, cells, sheet.widths)


def _height(style: str, cells: tuple[str, ...], widths: tuple[float, ...]) -> float:
    """Row height in points for wrapped text: neither Excel nor LibreOffice fits merged cells."""
    if style in ("title", "text", "heading"):
        lines = math.ceil(len(str(cells[0])) / max(sum(widths) * CHARS_PER_WIDTH, 1)) if cells else 1
    else:
        lines = max((math.ceil(len(str(text)) / max(width * CHARS_PER_WIDTH, 1)) for text, width in zip(cells, widths)), default=1)
    return max(1, lines) * (19 if style == "title" else 15)
