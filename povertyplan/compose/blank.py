"""The blank standard workbook (workbook.md): every sheet with its canonical headers, guidance and drop-downs.

`blank_workbook` describes it from `schema` (names and guidance texts) and the poverty standard
of the year (the register's indicator columns), as a `Spreadsheet` that `render.xlsx` writes.
"""

from __future__ import annotations

from povertyplan.compose.spreadsheet import (
    Column,
    Rule,
    Sheet,
    Spreadsheet,
    TableSheet,
    TextSheet,
    Validation,
    sheet_reference,
)
from povertyplan.contract import schema
from povertyplan.contract.schema import INDICATOR_PREFIX, InfoItem, SheetSpec
from povertyplan.contract.standards import Standard, all_standards, standard_for
from povertyplan.contract.vnformat import group_thousands
from povertyplan.errors import UsageError
from povertyplan.messages import say

UNITS_NAME = "DanhSachDonVi"  # defined name of the units typed in `Chỉ tiêu`, the source of two drop-downs
ROWS = {"units": 300, "register": 10000, "assignments": 200, "recipients": 100}
REPEATED_ROWS = {"bases": 3}
WIDTHS = {
    "tt": 6,
    "unit": 22,
    "head": 28,
    "code": 14,
    "member": 28,
    "position": 28,
    "units": 34,
    "recipient": 60,
    "note": 30,
    "income": 18,
    "label": 38,
    "value": 70,
}
GUIDE_SHEET = "Hướng dẫn"
MIN_YEAR, MAX_YEAR = 2000, 2100


def blank_workbook(year: int) -> Spreadsheet:
    """The blank workbook of plan `year`; UsageError for a year without a poverty standard."""
    sheets = blank_sheets(year, standard_for_year(year))
    return Spreadsheet(tuple(sheets), {UNITS_NAME: units_reference()})


def standard_for_year(year: int) -> Standard:
    """The standard a plan of `year` counts by; UsageError when the year has none."""
    standard = standard_for(year) if MIN_YEAR <= year <= MAX_YEAR else None
    if standard is None:
        years = ", ".join(f"{s.first_year}–{s.last_year}" for s in all_standards())
        raise UsageError(say("compose.blank_no_standard", year=year, years=years))
    return standard


def units_reference() -> str:
    return sheet_reference(schema.UNITS.name, _index(schema.UNITS, "unit"), 2, ROWS["units"] + 1)


def blank_sheets(year: int, standard: Standard) -> list[Sheet]:
    """The sheets of the blank workbook, `Hướng dẫn` first."""
    register = register_columns(standard)
    return [
        guide_sheet(year, standard, register),
        info_sheet(year),
        table_sheet(schema.UNITS, schema.UNITS.columns),
        table_sheet(schema.REGISTER, register, standard),
        table_sheet(schema.ASSIGNMENTS, schema.ASSIGNMENTS.columns),
        table_sheet(schema.RECIPIENTS, schema.RECIPIENTS.columns),
    ]


def register_columns(standard: Standard) -> tuple[schema.Column, ...]:
    """The register's columns for `standard`: its own indicators only, in the decree's order."""
    columns = schema.REGISTER.columns
    first = next(i for i, c in enumerate(columns) if c.key.startswith(INDICATOR_PREFIX))
    own = tuple(schema.Column(INDICATOR_PREFIX + i.key, i.name, required=False) for i in standard.indicators)
    rest = tuple(c for c in columns[first:] if not c.key.startswith(INDICATOR_PREFIX))
    return columns[:first] + own + rest


def column_guide(sheet_key: str, column: schema.Column, standard: Standard | None = None) -> str:
    """The guidance text of a column (an indicator's comes from the standard's data)."""
    if column.key.startswith(INDICATOR_PREFIX) and standard is not None:
        indicator = standard.indicator(column.key[len(INDICATOR_PREFIX) :])
        return schema.INDICATOR_GUIDE.format(name=indicator.name, dimension=indicator.dimension)
    return schema.COLUMN_GUIDE[(sheet_key, column.key)]


def info_guide(item: InfoItem) -> str:
    periods = "; ".join(f"{s.first_year} - {s.last_year}: {s.period}" for s in all_standards())
    return schema.INFO_GUIDE[item.key].format(periods=periods)


def info_sheet(year: int) -> TableSheet:
    """`Thông tin chung`: every label typed in, the plan year filled, a rule on each value cell."""
    rows, rules = [], []
    for item in schema.INFO_ITEMS:
        for _ in range(REPEATED_ROWS.get(item.key, 1)):
            rows.append((item.label, year if item.key == "year" else None))
            excel_row = len(rows) + 1
            rules.append(Rule(1, excel_row, excel_row, item.label, info_guide(item), info_validation(item)))
    columns = tuple(Column(c.name, WIDTHS[c.key], wrap=c.key == "value") for c in schema.INFO.columns)
    return TableSheet(schema.INFO.name, columns, rows, tuple(rules))


def info_validation(item: InfoItem) -> Validation | None:
    """Drop-downs and number checks of `Thông tin chung`, by item."""
    if item.key == "level":
        return Validation(
            "list", tuple(title for title, _, _ in schema.LEVELS.values()), error=say("compose.choose_level")
        )
    if item.key == "signer_title":
        return Validation(
            "list", tuple(dict.fromkeys(schema.SIGNER_TITLES.values())), error=say("compose.choose_signer_title")
        )
    if item.key == "standard_period":
        return Validation("list", tuple(s.period for s in all_standards()), error=say("compose.choose_period"))
    if item.key == "unit_word":
        return Validation("list", ("Khu phố", "Thôn", "Tổ dân phố", "Bản", "Ấp"), strict=False)
    if item.key == "year":
        return Validation("whole", minimum=MIN_YEAR, maximum=MAX_YEAR, error=say("compose.enter_year"))
    if item.key == "number":
        return Validation("whole", minimum=1, error=say("compose.enter_document_number"))
    if item.key in ("assigned_target", "assigned_near_poor_target"):
        return Validation("whole", minimum=0, error=say("compose.enter_count", minimum=0))
    return None


def table_sheet(spec: SheetSpec, columns: tuple[schema.Column, ...], standard: Standard | None = None) -> TableSheet:
    """A table sheet with its headers and, under them, each column's input message and validation."""
    last_row = ROWS[spec.key] + 1
    rules = tuple(
        Rule(
            index,
            2,
            last_row,
            column.name,
            column_guide(spec.key, column, standard),
            column_validation(spec.key, column.key),
        )
        for index, column in enumerate(columns)
    )
    widths = tuple(Column(c.name, WIDTHS.get(c.key, 14 if c.key.startswith(INDICATOR_PREFIX) else 16)) for c in columns)
    return TableSheet(spec.name, widths, rules=rules)


def column_validation(sheet_key: str, column_key: str) -> Validation | None:
    """Validation of a table column: counts are whole numbers, choices are drop-downs."""
    counts = {
        "households": 1,
        "poor_start": 0,
        "target": 0,
        "near_poor_start": 0,
        "near_poor_target": 0,
        "household_size": 1,
    }
    if column_key in counts:
        return Validation(
            "whole", minimum=counts[column_key], error=say("compose.enter_count", minimum=counts[column_key])
        )
    if column_key == "income":
        return Validation("decimal", minimum=0, error=say("compose.enter_income"))
    if column_key == "category":
        return Validation("list", tuple(schema.CATEGORY_NAMES.values()), error=say("compose.choose_category"))
    if column_key == "area":
        return Validation("list", tuple(schema.AREA_NAMES.values()), error=say("compose.choose_area"))
    if column_key == "leaving" or column_key.startswith(INDICATOR_PREFIX):
        return Validation("list", (schema.MARK,), error=say("compose.mark_only", mark=schema.MARK))
    if sheet_key == "register" and column_key == "unit":
        return Validation("list", source=UNITS_NAME, error=say("compose.choose_unit", units=schema.UNITS.name))
    if sheet_key == "assignments" and column_key == "units":
        return Validation("list", source=UNITS_NAME, strict=False)
    return None


def guide_sheet(year: int, standard: Standard, register: tuple[schema.Column, ...]) -> TextSheet:
    """`Hướng dẫn`: what the workbook is for, the standard of the year, every sheet and column."""
    rows: list[tuple[str, tuple[str, ...]]] = [("title", (say("compose.guide_title", year=year),))]
    rows += [("text", (text,)) for text in _introduction(year, standard)]
    rows += _info_rows()
    for spec, columns in (
        (schema.UNITS, schema.UNITS.columns),
        (schema.REGISTER, register),
        (schema.ASSIGNMENTS, schema.ASSIGNMENTS.columns),
        (schema.RECIPIENTS, schema.RECIPIENTS.columns),
    ):
        rows += [
            ("heading", (say("compose.guide_sheet_heading", sheet=spec.name),)),
            ("text", (schema.SHEET_GUIDE[spec.key],)),
            ("header", ("Cột", "Bắt buộc", "Giải thích")),
        ]
        rows += [("row", (c.name, _required(spec, c), column_guide(spec.key, c, standard))) for c in columns]
    return TextSheet(GUIDE_SHEET, (34, 18, 100), tuple(rows))


def _info_rows() -> list[tuple[str, tuple[str, ...]]]:
    rows = [
        ("heading", (say("compose.guide_sheet_heading", sheet=schema.INFO.name),)),
        ("text", (schema.SHEET_GUIDE["info"],)),
        ("header", ("Mục", "Bắt buộc", "Giải thích")),
    ]
    return rows + [
        ("row", (item.label, "Có" if item.required else "Không", info_guide(item))) for item in schema.INFO_ITEMS
    ]


def _introduction(year: int, standard: Standard) -> list[str]:
    rural, urban = (group_thousands(standard.income_threshold[area]) for area in ("rural", "urban"))
    return [
        say("compose.guide_purpose", year=year),
        say("compose.guide_rules"),
        say(
            "compose.guide_standard",
            year=year,
            decree=standard.decree,
            period=standard.period,
            rural=rural,
            urban=urban,
            deprivations=standard.poor_min_deprivations,
        ),
        say("compose.guide_register", register=schema.REGISTER.name),
    ]


def _required(spec: SheetSpec, column: schema.Column) -> str:
    if spec.key == "units" and column.key == "poor_start":
        return say("compose.guide_required_without_register", register=schema.REGISTER.name)
    if spec.key == "units" and column.key == "target":
        label = next(item.label for item in schema.INFO_ITEMS if item.key == "assigned_target")
        return say("compose.split_guide_target_required", item=label)
    return "Có" if column.required else "Không"


def _index(spec: SheetSpec, key: str) -> int:
    return next(i for i, column in enumerate(spec.columns) if column.key == key)
