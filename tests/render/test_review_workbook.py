"""The review workbook, cell by cell: values, fonts, fills, borders, alignment, merges and layout.

The golden descriptions were taken from the review workbooks written before the writer moved to
openpyxl's write-only mode with shared styles (it was several times slower), so they pin down that
the move changed nothing a reader of the file can see. After an intended change to the review
list, rewrite them with ``python -m tests.render.test_review_workbook`` and review the diff.
"""

import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest

from povertyplan.aggregate.assessment import assess
from povertyplan.compose.review import review_workbook
from povertyplan.render.xlsx import workbook_bytes
from povertyplan.validate.workbook import read_workbook
from tests import reference_data
from tests.builders import reference_sheets, write_workbook
from tests.survey_builders import household, survey_workbook

from tests.paths import GOLDEN


def survey_register(folder: Path) -> Path:
    """The reference ward with income, deprivations and registrations: all three sheets."""
    sheets = reference_sheets(**{"Hộ gia đình": reference_data.register_sheet(survey=True)})
    return write_workbook(folder / "khao-sat.xlsx", sheets)


def registrations_only(folder: Path) -> Path:
    """Registrations to leave poverty but no survey columns: no list sheet."""
    households = [
        {"Mã hộ": code, "Họ tên chủ hộ": "Người Thử", "Phân loại": category, "Đăng ký thoát nghèo": leaving}
        for code, category, leaving in (("F1", "Hộ nghèo", "x"), ("F2", "Hộ cận nghèo", "x"), ("F3", "Hộ nghèo", None))
    ]
    return survey_workbook(folder, households, target=2, name="dang-ky.xlsx")


def undecided_and_rural(folder: Path) -> Path:
    """A commune (rural) whose households lack an income or disagree: every reason the list gives."""
    households = [
        household("G1"),
        household("G2", "Hộ cận nghèo", income=None),
        household("G3", "Hộ cận nghèo", income=3_000_000, lacking=5, area="Thành thị"),
        household("G4", leaving="x"),
        household("G5", "Hộ cận nghèo", income=500_000, lacking=1),
    ]
    return survey_workbook(folder, households, level="Xã", name="xa.xlsx")


CASES = {
    "review-survey": survey_register,
    "review-registrations": registrations_only,
    "review-undecided": undecided_and_rural,
}


def review_bytes(workbook_path: Path) -> bytes:
    workbook = read_workbook(workbook_path)
    return workbook_bytes(review_workbook(workbook, assess(workbook)))


def describe(data: bytes) -> dict:
    """What a reader of the workbook sees, as plain JSON data."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {"sheets": book.sheetnames, **{sheet.title: describe_sheet(sheet) for sheet in book.worksheets}}


def describe_sheet(sheet) -> dict:
    cells = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None or cell.has_style:
                cells[cell.coordinate] = describe_cell(cell)
    setup = sheet.page_setup
    return {
        "cells": cells,
        "merged": sorted(str(cells) for cells in sheet.merged_cells.ranges),
        "widths": {key: dimension.width for key, dimension in sorted(sheet.column_dimensions.items())},
        "heights": {
            str(key): dimension.height for key, dimension in sorted(sheet.row_dimensions.items()) if dimension.height
        },
        "freeze": sheet.freeze_panes,
        "print_titles": sheet.print_title_rows,
        "page": [
            setup.orientation,
            setup.paperSize,
            sheet.sheet_properties.pageSetUpPr.fitToPage,
            setup.fitToWidth,
            setup.fitToHeight,
        ],
        "margins": [
            getattr(sheet.page_margins, side) for side in ("left", "right", "top", "bottom", "header", "footer")
        ],
        "footer": sheet.oddFooter.center.text,
        "filter": sheet.auto_filter.ref,
    }


def describe_cell(cell) -> list:
    border = cell.border
    return [
        cell.value,
        cell.font.b,
        cell.font.sz,
        cell.fill.fill_type,
        cell.fill.fgColor.rgb if cell.fill.fill_type else None,
        [getattr(border, side).style for side in ("left", "right", "top", "bottom")],
        cell.alignment.wrap_text,
        cell.alignment.horizontal,
        cell.alignment.vertical,
        cell.number_format,
    ]


@pytest.mark.parametrize("name", CASES)
def test_review_workbook_is_cell_for_cell_the_golden_one(name, tmp_path):
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert describe(review_bytes(CASES[name](tmp_path))) == expected


def write_goldens(folder: Path) -> None:
    for name, build in CASES.items():
        text = json.dumps(describe(review_bytes(build(folder))), ensure_ascii=False, indent=1, sort_keys=True)
        (GOLDEN / f"{name}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_goldens(Path(folder))
    sys.exit(0)
