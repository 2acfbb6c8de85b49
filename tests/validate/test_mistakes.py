"""An official's mistakes caught, not multiplied (issue 11): names typed with their unit word, last
year's workbook, hidden rows and columns, text that only looks different to a computer.

The exact lines are in tests/test_messages.py; these tests check what the program does with them.
"""

import datetime as dt
import unicodedata
import zipfile

import docx
import openpyxl
import pytest

from povertyplan import api
from povertyplan.errors import WorkbookInvalid
from povertyplan.read import bigsheet, source
from povertyplan.validate.stale import cited
from povertyplan.validate.workbook import read_workbook
from tests.builders import example_sheets, reference_sheets, set_info, with_shared_strings, write_workbook

INFO, UNITS, REGISTER, ASSIGN = "Thông tin chung", "Chỉ tiêu", "Hộ gia đình", "Phân công"


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def errors_of(tmp_path, sheets) -> list[str]:
    with pytest.raises(WorkbookInvalid) as invalid:
        api.check(write_workbook(tmp_path / "so-lieu.xlsx", sheets))
    return [problem.format() for problem in invalid.value.problems if problem.is_error]


def test_a_commune_named_with_its_level_word_is_printed_and_named_once(tmp_path):
    sheets = reference_sheets()
    set_info(set_info(sheets, "Loại đơn vị hành chính", "Xã"), "Tên đơn vị hành chính", "xã Tân Lập")
    set_info(sheets, "Địa danh", None)
    result = api.generate(write_workbook(tmp_path / "so-lieu.xlsx", sheets), tmp_path / "out")
    document = docx.Document(str(result.output))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    assert result.output.name == "ke-hoach-giam-ngheo-2023-xa-tan-lap.docx"
    assert "XÃ TÂN LẬP" in text and "XÃ XÃ" not in text.upper() and "Tân Lập, ngày" in text
    assert "level_in_name" in codes(result.warnings)


def test_a_unit_word_typed_twice_is_dropped_and_still_matches_the_other_sheets(tmp_path):
    sheets = reference_sheets()
    sheets[UNITS][1][1] = "Khu phố Khu phố 1"
    sheets[REGISTER][1][2] = "KHU PHỐ KHU PHỐ 1"
    checked = api.check(write_workbook(tmp_path / "so-lieu.xlsx", sheets))
    assert checked.workbook.units["unit"].iloc[0] == "Khu phố 1"
    assert checked.figures.units["poor_start"].iloc[0] == 2


def test_last_years_workbook_with_only_the_year_changed_names_date_basis_and_period(tmp_path):
    sheets = set_info(reference_sheets(), "Năm kế hoạch", 2027)
    warnings = api.check(write_workbook(tmp_path / "so-lieu.xlsx", sheets)).warnings
    stale = [
        problem for problem in warnings if problem.code in {"date_other_year", "basis_other_year", "period_other_year"}
    ]
    assert [(problem.code, problem.row, problem.value[:10]) for problem in stale] == [
        ("date_other_year", 8, "05/03/2023"),
        ("basis_other_year", 10, "Thực hiện "),
        ("period_other_year", 11, "2022 - 202"),
    ]


def test_this_years_workbook_and_a_plan_issued_in_december_before_are_not_stale(tmp_path):
    sheets = reference_sheets()
    sheets[INFO].append(["Căn cứ", "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015."])
    assert api.check(write_workbook(tmp_path / "a.xlsx", sheets)).warnings == ()
    set_info(sheets, "Ngày ban hành", dt.date(2022, 12, 20))
    sheets[INFO][9][1] = "Thực hiện Kế hoạch số 482/KH-UBND ngày 02/12/2022 về công tác giảm nghèo năm 2023."
    assert api.check(write_workbook(tmp_path / "b.xlsx", sheets)).warnings == ()


@pytest.mark.parametrize(
    "text, dates, years",
    [
        ("Kế hoạch số 5/KH-UBND ngày 15/02/2023 về giảm nghèo năm 2023", [dt.date(2023, 2, 15)], [2023]),
        ("Quyết định ngày 15 tháng 02 năm 2023", [dt.date(2023, 2, 15)], []),
        ("Ngày 1.3.2022 và ngày 31/02/2023, năm 2021", [dt.date(2022, 3, 1)], [2021]),
        ("giai đoạn 2022 - 2025", [], []),
    ],
)
def test_a_basis_cites_numeric_and_worded_dates_and_plan_years(text, dates, years):
    assert cited(text) == (dates, years)


def test_normalisation_alone_is_silent_a_visible_repair_is_reported(tmp_path):
    sheets = reference_sheets()
    sheets[ASSIGN][1][2] = unicodedata.normalize("NFD", sheets[ASSIGN][1][2])
    sheets[REGISTER][2][1] = unicodedata.normalize("NFD", sheets[REGISTER][2][1])
    assert api.check(write_workbook(tmp_path / "a.xlsx", sheets)).warnings == ()
    sheets[ASSIGN][2][2] = "Chủ tịch  Hội PN"
    assert codes(api.check(write_workbook(tmp_path / "b.xlsx", sheets)).warnings) == ["text_repaired"]


def test_numbered_blank_rows_of_a_template_are_skipped(tmp_path):
    sheets = reference_sheets()
    sheets[UNITS] += [[11], [12]]
    sheets[ASSIGN] += [[8], [9]]
    assert api.check(write_workbook(tmp_path / "a.xlsx", sheets)).warnings == ()


def test_a_damaged_register_header_leaves_the_counts_to_chi_tieu_without_echoes(tmp_path):
    sheets = reference_sheets()
    for row in sheets[UNITS][1:]:
        row[3] = None  # counted from the register
    sheets[REGISTER][0][0] = "Mã"
    assert len(errors_of(tmp_path, sheets)) == 1


def test_a_bad_register_cell_does_not_turn_near_poor_targets_into_errors(tmp_path):
    sheets = reference_sheets()
    sheets[UNITS][0] += ["Chỉ tiêu giảm hộ cận nghèo"]
    for row in sheets[UNITS][1:]:
        row.append(1 if row[1] in ("Khu phố 1", "Khu phố 3") else 0)
    for bad in ("Hộ ngheo", None):
        sheets[REGISTER][4][3] = bad
        assert len(errors_of(tmp_path, sheets)) == 1


def hide(path, sheet: str, rows=(), columns=()):
    book = openpyxl.load_workbook(path)
    for row in rows:
        book[sheet].row_dimensions[row].hidden = True
    for column in columns:
        book[sheet].column_dimensions[column].hidden = True
    book.save(path)
    return path


@pytest.mark.parametrize("fast", [False, True], ids=["exact", "fast"])
def test_hidden_rows_and_columns_are_read_and_named_in_one_warning_per_sheet(tmp_path, monkeypatch, fast):
    path = hide(write_workbook(tmp_path / "a.xlsx", reference_sheets()), REGISTER, rows=(5, 7, 8, 9, 300), columns="BF")
    path = with_shared_strings(hide(path, UNITS, rows=(40,), columns="H"), tmp_path / "shared.xlsx")
    if fast:  # the register read column-wise, as a large one is
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo(bigsheet.sheet_parts(archive)[REGISTER]).file_size
        monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
        monkeypatch.setattr(bigsheet, "LARGE_SHEET", size)
        assert REGISTER in source.prepare(path).large
    workbook = read_workbook(path)
    hidden = [problem for problem in workbook.warnings if problem.code == "hidden_cells"]
    assert [(problem.sheet, problem.text.split(";")[0]) for problem in hidden] == [
        (REGISTER, "có dòng 5, 7–9 và cột B bị ẩn")
    ]
    assert len(workbook.register) == 44  # still counted


@pytest.mark.parametrize(
    "column, bad",
    [(3, "Hộ ngheo"), (2, "Khu phố 02"), (0, "BS-001"), (5, "1,500,000")],
    ids=["category", "unit", "code", "income"],
)
def test_one_bad_register_cell_with_near_poor_targets_and_counts_left_blank_is_one_error(tmp_path, column, bad):
    sheets = example_sheets(survey=True)  # Hộ cận nghèo đầu năm blank, targets typed: counted from the register
    sheets[REGISTER][4][column] = bad
    assert len(errors_of(tmp_path, sheets)) == 1
