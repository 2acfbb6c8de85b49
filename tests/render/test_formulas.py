"""Formulas in a written .xlsx: a `Formula` is computed by the spreadsheet program, text never is."""

import io
import zipfile

import openpyxl

from povertyplan.compose.spreadsheet import Column, Formula, Spreadsheet, TableSheet
from povertyplan.render.xlsx import workbook_bytes


def written(rows, **options) -> bytes:
    sheet = TableSheet("Tổng hợp", (Column("Tên", 20), Column("Số", 10, "#,##0")), rows, **options)
    return workbook_bytes(Spreadsheet((sheet,)))


def test_a_formula_is_a_formula_and_text_starting_with_equals_stays_text():
    data = written(
        [['=HYPERLINK("http://x")', 1], ["=1+1", 2], ["Tổng cộng", Formula("SUM(B2:B3)")]], bold_last_row=True
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("<f>") == 1 and "<f>SUM(B2:B3)</f>" in xml
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [sheet.cell(row, 1).value for row in (2, 3)] == ['=HYPERLINK("http://x")', "=1+1"]
    assert [sheet.cell(row, 1).data_type for row in (2, 3)] == ["s", "s"]
    assert sheet["B4"].value == "=SUM(B2:B3)" and sheet["B4"].font.b


def test_the_filter_covers_the_header_and_the_rows_but_not_a_total_row():
    sheet = openpyxl.load_workbook(
        io.BytesIO(written([["a", 1], ["b", 2], ["Cộng", 3]], bold_last_row=True, filtered=True))
    ).active
    assert sheet.auto_filter.ref == "A1:B3" and sheet.freeze_panes == "A2"
    sheet = openpyxl.load_workbook(io.BytesIO(written([["a", 1]], filtered=True, title_lines=("Tiêu đề",)))).active
    assert sheet.auto_filter.ref == "A2:B3" and sheet.freeze_panes == "A3"
