""".xls and .ods workbooks (made by LibreOffice, tests/fixtures) read as openpyxl reads the same
workbook saved as .xlsx: same sheets, row numbers, values and types; error values and unsaved
formulas found at their cells; and the same plan, message for message."""

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from povertyplan import api, cli
from povertyplan.read.cells import UNSAVED_FORMULA
from povertyplan.read.source import open_workbook
from tests.paths import EXAMPLE, FIXTURES

ODD = FIXTURES / "cell-types-errors-offset-grid"


def all_rows(path: Path) -> dict[str, list]:
    with open_workbook(path) as source:
        return {name: list(source.rows(name)) for name in source.sheet_names}


def typed(rows: dict[str, list]) -> dict[str, list]:
    """The rows with each value's type beside it: 5 and 5.0, a date and a datetime, differ."""
    return {
        name: [(number, [(type(value).__name__, value) for value in values]) for number, values in sheet]
        for name, sheet in rows.items()
    }


def ods_with_content(tmp_path: Path, source: Path, edit) -> Path:
    """A copy of the .ods `source` whose content.xml went through `edit(bytes) -> bytes`."""
    path = tmp_path / source.name
    with zipfile.ZipFile(source) as archive:
        parts = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in parts:
            archive.writestr(info, edit(data) if info.filename == "content.xml" else data)
    return path


@pytest.mark.parametrize("suffix", ["xls", "ods", "xlsm"])
def test_example_saved_by_libreoffice_reads_exactly_as_the_xlsx(suffix):
    assert typed(all_rows(FIXTURES / f"example-saved-by-libreoffice.{suffix}")) == typed(all_rows(EXAMPLE))


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_every_cell_type_reads_as_openpyxl_reads_the_xlsx_of_the_same_workbook(suffix):
    expected = typed(all_rows(ODD.with_suffix(".xlsx")))
    if suffix == "ods":  # LibreOffice keeps TRUE in an .ods as the number 1 with a boolean format
        expected["Thông tin chung"][0][1][3] = ("int", 1)
    assert typed(all_rows(ODD.with_suffix(f".{suffix}"))) == expected


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_values_come_as_openpyxl_gives_them(suffix):
    rows = dict(all_rows(ODD.with_suffix(f".{suffix}"))["Thông tin chung"])
    assert rows[3][:3] == ("text", 5, 2.5)
    assert rows[4] == (dt.datetime(2025, 3, 5), dt.datetime(2025, 3, 5, 14, 30), dt.time(8, 15))  # a date is a datetime
    assert rows[11] == (12345678901, -3, 1e20, 3)
    assert rows[12][0] == dt.timedelta(hours=30)
    assert rows[9] == ("  ",)  # spaces are a value (validation calls them blank), an empty row is skipped
    assert 8 not in rows and 10 not in rows


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_error_values_read_as_their_excel_codes_not_as_blanks(suffix):
    rows = dict(all_rows(ODD.with_suffix(f".{suffix}"))["Thông tin chung"])
    assert rows[5] == ("#DIV/0!", 10, None, "#N/A")  # =1/0, =B3*2, ="" (empty text: blank), =NA()
    # LibreOffice's own Err:502 and Err:520, by the codes LibreOffice saves them as in .xlsx
    assert rows[12][1:] == ("#VALUE!", "#N/A")


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_rows_and_columns_count_from_a1_when_the_data_starts_elsewhere(suffix):
    assert all_rows(ODD.with_suffix(f".{suffix}"))["Second"] == [(2, (None, None, "x"))]


def test_formula_without_a_saved_value_in_an_ods_is_marked_unsaved(tmp_path):
    computed = (
        b'<table:table-cell table:formula="of:=[.B3]*2" office:value-type="float" office:value="10" '
        b'calcext:value-type="float"><text:p>10</text:p></table:table-cell>'
    )
    path = ods_with_content(
        tmp_path,
        ODD.with_suffix(".ods"),
        lambda xml: xml.replace(computed, b'<table:table-cell table:formula="of:=[.B3]*2"/>'),
    )
    row = dict(all_rows(path)["Thông tin chung"])[5]
    assert row[1] is UNSAVED_FORMULA and row[2] is None  # =B3*2 unsaved; ="" saved as empty text


def test_unsaved_formula_outside_the_cells_holding_values_is_still_found(tmp_path):
    """calamine's grid covers only cells with a value: the unsaved formula in C2 is its own row."""
    cell = (
        b'<table:table-cell office:value-type="string" '
        b'calcext:value-type="string"><text:p>x</text:p></table:table-cell>'
    )
    path = ods_with_content(
        tmp_path, ODD.with_suffix(".ods"), lambda xml: xml.replace(cell, b'<table:table-cell table:formula="of:=1+1"/>')
    )
    assert all_rows(path)["Second"] == [(2, (None, None, UNSAVED_FORMULA))]


def test_workbook_is_recognised_by_content_whatever_its_name(tmp_path):
    renamed = shutil.copy(FIXTURES / "example-saved-by-libreoffice.ods", tmp_path / "so-lieu.xlsx")
    old = shutil.copy(FIXTURES / "example-saved-by-libreoffice.xls", tmp_path / "so-lieu-cu.ods")
    assert all_rows(renamed) == all_rows(old) == all_rows(EXAMPLE)


def plan_text(path: Path) -> list[str]:
    """Every paragraph and table cell an official reads in the plan, in order."""
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [paragraph.text for paragraph in document.paragraphs] + cells


@pytest.mark.parametrize("suffix", ["xls", "ods", "xlsm"])
def test_whole_plan_from_the_example_saved_as_xls_or_ods_is_the_plan_of_the_xlsx(tmp_path, suffix):
    expected = api.generate(EXAMPLE, tmp_path / "xlsx").output
    plan = api.generate(FIXTURES / f"example-saved-by-libreoffice.{suffix}", tmp_path / suffix).output
    assert plan.name == expected.name
    assert plan_text(plan) == plan_text(expected)


def test_error_in_an_ods_count_is_reported_at_its_cell_as_in_an_xlsx(tmp_path, capsys):
    count = b'office:value-type="float" office:value="237" calcext:value-type="float"><text:p>237</text:p>'
    error = (
        b'table:formula="of:=1/0" office:value-type="string" office:string-value="" '
        b'calcext:value-type="error"><text:p>#DIV/0!</text:p>'
    )
    path = ods_with_content(
        tmp_path, FIXTURES / "example-saved-by-libreoffice.ods", lambda xml: xml.replace(count, error, 1)
    )
    assert cli.main(["--check", str(path)]) == 1
    text = capsys.readouterr().out
    assert (
        'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Số hộ": "#DIV/0!" là lỗi công thức của Excel (#DIV/0!). Sửa công '
        "thức trong Excel hoặc nhập thẳng giá trị, rồi lưu lại."
    ) in text
