"""Writing .xlsx files: the only module that knows openpyxl's writing side.

The blank standard workbook and the review list are described as data (`compose.spreadsheet`);
`write_workbook` lays them out: bold wrapped headers, column widths, rows as tall as their wrapped
text (`xlsx_fit`), a frozen header row, filter buttons, data validation (drop-down lists, whole
numbers) and the input message Excel and LibreOffice show when a cell is selected; printed, on
landscape A4 as wide as the page, with the headers on every page and the page numbers.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from povertyplan.compose.spreadsheet import Column, Formula, Rule, Sheet, Spreadsheet, TableSheet, TextSheet, Validation
from povertyplan.messages import say
from povertyplan.render.xlsx_fit import data_row_heights, row_height
from povertyplan.render.xlsx_rows import rows_xml, with_rows

# Excel's limits: longer texts make Excel call the file damaged.
PROMPT_TITLE_LIMIT = 32
PROMPT_LIMIT = 255
ERROR_LIMIT = 225
LIST_LIMIT = 255
HEADER_FILL = "D9E2F3"
# Characters of Vietnamese text that fit in one unit of column width, conservatively (fonts differ).
CHARS_PER_WIDTH = 0.85
# Narrow margins (inches), for the widest print: a little more than 1.5 cm at the sides.
MARGINS = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.7, header=0.3, footer=0.3)


def workbook_bytes(book: Spreadsheet) -> bytes:
    """The .xlsx of `book`."""
    saved = io.BytesIO()
    write_workbook(book.sheets, saved, book.names)
    return saved.getvalue()


def write_workbook(sheets: Sequence[Sheet], stream, names: dict[str, str] | None = None) -> None:
    """Write `sheets` in order to the binary `stream`; `names` are defined names (name → reference).

    openpyxl's write-only mode: each sheet is laid out (widths, heights, merges, rules) and then
    streamed row by row, without the cell grid a normal workbook keeps. The data rows of a table
    are written as XML text instead (`xlsx_rows`), in openpyxl's exact form, and put into the
    saved file: openpyxl's cost per cell made a review list of 10,000 households take seconds.
    """
    book = Workbook(write_only=True)
    looks, data_rows = _Looks(), {}
    for sheet in sheets:
        target = book.create_sheet(sheet.name)
        _page_setup(target)
        rows = (
            _table_rows(target, sheet, looks, data_rows)
            if isinstance(sheet, TableSheet)
            else _text_rows(target, sheet, looks)
        )
        for row in rows:
            target.append(row)
    for name, reference in (names or {}).items():
        book.defined_names[name] = DefinedName(name, attr_text=reference)
    if not data_rows:
        book.save(stream)
        return
    saved = io.BytesIO()
    book.save(saved)  # sheets get their part names here
    stream.write(with_rows(saved.getvalue(), {target.path.lstrip("/"): xml for target, xml in data_rows.items()}))


@dataclass(frozen=True)
class Look:
    """How a cell looks: `font` and `alignment` as keyword pairs of openpyxl's Font and Alignment,
    a solid `fill` colour, `border` as (side, line style or None) pairs, a `number_format`."""

    font: tuple[tuple[str, object], ...] = ()
    alignment: tuple[tuple[str, object], ...] = ()
    fill: str | None = None
    border: tuple[tuple[str, str | None], ...] = ()
    number_format: str | None = None


HEADER = Look(
    (("bold", True),),
    (("wrap_text", True), ("horizontal", "center"), ("vertical", "center")),
    HEADER_FILL,
    tuple((side, "thin") for side in ("left", "right", "top", "bottom")),
)
# The cells a merged heading covers carry its frame (Excel draws a merged cell's border from
# them): top and bottom, and the right side on the last one, as openpyxl's merge_cells gives them.
COVERED = Look(border=(("left", None), ("right", None), ("top", "thin"), ("bottom", "thin"), ("diagonal", None)))
COVERED_LAST = Look(border=(("left", None), ("right", "thin"), ("top", "thin"), ("bottom", "thin"), ("diagonal", None)))
WRAPPED = Look(alignment=(("wrap_text", True), ("vertical", "top")))
BOLD = Look(font=(("bold", True),))
TEXT_SIZES = {"title": 14, "heading": 12}


class _Looks:
    """Styled cells of one workbook.

    openpyxl hashes and compares every style object on each assignment, which was most of the
    time spent writing the review list; here each `Look` is built once through openpyxl's API
    and the next cells that share it get a copy of the resulting style indices.
    """

    def __init__(self) -> None:
        self._styles: dict[Look, object] = {}

    def style_id(self, target, look: Look) -> int:
        """The index of `look` among the workbook's cell styles (added to them the first time)."""
        return self.cell(target, None, look).style_id

    def cell(self, target, value: object, look: Look | None):
        """`value` as a cell of the write-only sheet `target` that looks like `look` (plain if None).

        A `Formula` is written as a formula; text is always text, even when it starts with ``=``
        (openpyxl would take it for a formula: a workbook's cell could then compute on opening).
        """
        if isinstance(value, Formula):
            cell = WriteOnlyCell(target, "=" + value.text)
        else:
            cell = WriteOnlyCell(target, value)
            if isinstance(value, str) and cell.data_type == "f":
                cell.data_type = "s"
        if look is None:
            return cell
        style = self._styles.get(look)
        if style is None:
            _apply(cell, look)
            self._styles[look] = style_of(cell)
        else:
            give_style(cell, style)
        return cell


# openpyxl's private per-cell style record (`StyleArray`, the attribute `_style`): copying it is the
# only way to give a cell a style without openpyxl hashing and comparing every style object again,
# which was most of the time spent writing a review list of tens of thousands of rows. The two
# functions below are its only users; tests/render/test_private_apis.py fails if an openpyxl
# upgrade changes it.
def style_of(cell) -> object:
    """A copy of `cell`'s style record."""
    return copy.copy(cell._style)


def give_style(cell, style: object) -> None:
    """Give `cell` the style record `style` (from `style_of`)."""
    cell._style = copy.copy(style)


def _apply(cell, look: Look) -> None:
    if look.font:
        cell.font = Font(**dict(look.font))
    if look.alignment:
        cell.alignment = Alignment(**dict(look.alignment))
    if look.fill:
        cell.fill = PatternFill("solid", fgColor=look.fill)
    if look.border:
        cell.border = Border(**{side: Side(style=line) for side, line in look.border})
    if look.number_format:
        cell.number_format = look.number_format


def _table_rows(target, sheet: TableSheet, looks: _Looks, data_rows: dict) -> Iterator[list]:
    """Lay out `target` for `sheet` (widths, frozen header, print titles, rules); yield its rows.

    The data rows are given to openpyxl only when some value needs it (`_rows_xml`); otherwise
    their XML is left in `data_rows[target]`.
    """
    header_row = len(sheet.title_lines) + bool(sheet.groups) + 1
    for index, column in enumerate(sheet.columns, start=1):
        target.column_dimensions[get_column_letter(index)].width = column.width
    target.freeze_panes = f"A{header_row + 1}"
    target.print_title_rows = f"1:{header_row}"
    if sheet.filtered:
        data_rows_count = len(sheet.rows) - (1 if sheet.bold_last_row and sheet.rows else 0)
        target.auto_filter.ref = f"A{header_row}:{get_column_letter(len(sheet.columns))}{header_row + data_rows_count}"
    _heading_heights(target, sheet, header_row)
    for rule in sheet.rules:
        target.data_validations.append(_data_validation(rule))
    for number, line in enumerate(sheet.title_lines, start=1):
        yield [looks.cell(target, line, Look(font=(("bold", number == 1), ("size", 13 if number == 1 else 11))))]
    if sheet.groups:
        yield _group_row(target, len(sheet.title_lines) + 1, sheet.groups, looks)
    yield [looks.cell(target, column.header, HEADER) for column in sheet.columns]
    data_looks = [_column_look(column) for column in sheet.columns]
    bold_looks = [_column_look(column, bold=True) for column in sheet.columns]
    row_looks = [
        bold_looks if sheet.bold_last_row and offset == len(sheet.rows) else data_looks
        for offset in range(1, len(sheet.rows) + 1)
    ]
    wrapped = [(index, column.width) for index, column in enumerate(sheet.columns) if column.wrap]
    heights = data_row_heights(sheet.rows, wrapped)
    xml = _rows_xml(sheet.rows, row_looks, header_row + 1, lambda look: looks.style_id(target, look), heights)
    if xml is not None:
        data_rows[target] = xml
        return
    for offset, height in enumerate(heights, start=header_row + 1):
        if height:
            target.row_dimensions[offset].height = height
    for values, cell_looks in zip(sheet.rows, row_looks):
        yield [
            looks.cell(target, value, look) if look or _computed(value) else value
            for value, look in zip(values, cell_looks)
        ]


def _computed(value: object) -> bool:
    """Whether openpyxl, given `value` bare, would write a formula (`_Looks.cell` decides instead)."""
    return isinstance(value, Formula) or (isinstance(value, str) and value.startswith("="))


def _rows_xml(
    rows: Sequence[Sequence[object]],
    row_looks: list[list[Look | None]],
    first_row: int,
    style_id,
    heights: Sequence[float | None] | None = None,
) -> str | None:
    """`xlsx_rows.rows_xml` with openpyxl's column letters and the text openpyxl treats apart:
    a formula, an error code, a character a worksheet cannot hold, longer than Excel's limit."""

    def treated_apart(value: str) -> bool:
        return (
            (len(value) > 1 and value[0] == "=")
            or value in ERROR_CODES
            or len(value) > 32767
            or bool(ILLEGAL_CHARACTERS_RE.search(value))
        )

    return rows_xml(rows, row_looks, first_row, style_id, get_column_letter, treated_apart, heights)


def _heading_heights(target, sheet: TableSheet, header_row: int) -> None:
    """The heights of the header row and of the group headings above it (bold, wrapped; a group
    heading as wide as the columns it spans), where one line is not enough."""
    widths = [column.width for column in sheet.columns]
    heights = {header_row: row_height([(column.header, column.width) for column in sheet.columns], bold=True)}
    if sheet.groups:
        starts = [sum(span for _, span in sheet.groups[:index]) for index in range(len(sheet.groups))]
        spanned = [(text, sum(widths[start : start + span])) for (text, span), start in zip(sheet.groups, starts)]
        heights[header_row - 1] = row_height(spanned, bold=True)
    for row, height in heights.items():
        if height:
            target.row_dimensions[row].height = height


def _column_look(column: Column, bold: bool = False) -> Look:
    """A data cell of `column`: framed (the table reads as one when printed), at the top of its
    row (rows grow with the wrapped text of their other cells)."""
    alignment = WRAPPED.alignment if column.wrap else (("vertical", "top"),)
    return Look(BOLD.font if bold else (), alignment, border=HEADER.border, number_format=column.number_format)


def _page_setup(target) -> None:
    """Print on A4 landscape, as wide as the page, with narrow margins and the page numbers:
    officials print the guide and the review."""
    target.page_setup.orientation = "landscape"
    target.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    target.sheet_properties.pageSetUpPr.fitToPage = True
    target.page_setup.fitToWidth = 1
    target.page_setup.fitToHeight = 0
    target.page_margins = copy.copy(MARGINS)
    target.oddFooter.center.text = say("render.xlsx_page_footer")


def _group_row(target, row: int, groups: tuple[tuple[str, int], ...], looks: _Looks) -> list:
    """The row of merged group headings above a table's header row."""
    cells: list = []
    for text, span in groups:
        if not text:
            cells += [None] * span
            continue
        cells.append(looks.cell(target, text, HEADER))
        if span > 1:
            _merge(target, row, len(cells), len(cells) + span - 1)
            cells += [looks.cell(target, None, COVERED) for _ in range(span - 2)]
            cells.append(looks.cell(target, None, COVERED_LAST))
    return cells


def _merge(target, row: int, first_column: int, last_column: int) -> None:
    target.merged_cells.add(f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}")


def _data_validation(rule: Rule):
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
        settings.update(
            errorTitle=say("render.invalid_value_title"), error=validation.error[:ERROR_LIMIT], errorStyle="stop"
        )
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


def _text_rows(target, sheet: TextSheet, looks: _Looks) -> Iterator[list]:
    """Lay out `target` for `sheet` (widths, merges, row heights); yield its rows."""
    span = len(sheet.widths)
    for index, width in enumerate(sheet.widths, start=1):
        target.column_dimensions[get_column_letter(index)].width = width
    for row, (style, cells) in enumerate(sheet.rows, start=1):
        if style == "header":
            yield [looks.cell(target, text, HEADER) for text in cells]
            continue
        look = Look((("bold", style in ("title", "heading")), ("size", TEXT_SIZES.get(style, 11))), WRAPPED.alignment)
        if style in ("title", "heading", "text") and span > 1:
            _merge(target, row, 1, span)
        target.row_dimensions[row].height = _height(style, cells, sheet.widths)
        yield [looks.cell(target, text, look) for text in cells]


def _height(style: str, cells: tuple[str, ...], widths: tuple[float, ...]) -> float:
    """Row height in points for wrapped text: neither Excel nor LibreOffice fits merged cells."""
    if style in ("title", "text", "heading"):
        lines = math.ceil(len(str(cells[0])) / max(sum(widths) * CHARS_PER_WIDTH, 1)) if cells else 1
    else:
        lines = max(
            (math.ceil(len(str(text)) / max(width * CHARS_PER_WIDTH, 1)) for text, width in zip(cells, widths)),
            default=1,
        )
    return max(1, lines) * (19 if style == "title" else 15)
