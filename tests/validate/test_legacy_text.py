"""Workbooks typed in TCVN3 (.VnTime, .VnTimeH) and VNI (VNI-Times) give the plan of their
Unicode text, with one warning per sheet naming the converted cells; garbled text is an error at
its cell, never a plan."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from povertyplan import api
from povertyplan.errors import ERROR, WARNING, WorkbookInvalid
from povertyplan.validate.workbook import read_workbook
from tests.builders import reference_sheets, set_info, write_workbook
from tests.legacy_builders import everywhere, garbled, write_typed_workbook
from tests.paths import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "legacy-fonts-libreoffice.xlsx"
NAME_LABEL = "Tên đơn vị hành chính"


def commune_sheets() -> dict[str, list[list]]:
    """Xã Hoà Bình, its units called Thôn: the reference data with names full of diacritics."""
    sheets = reference_sheets()
    for label, value in (
        ("Loại đơn vị hành chính", "Xã"),
        (NAME_LABEL, "HOÀ BÌNH"),
        ("Địa danh", "Hoà Bình"),
        ("Loại địa bàn dân cư", "Thôn"),
    ):
        set_info(sheets, label, value)
    for name in ("Chỉ tiêu", "Hộ gia đình", "Phân công"):
        sheets[name] = [
            [value.replace("Khu phố", "Thôn") if isinstance(value, str) else value for value in row]
            for row in sheets[name]
        ]
    return sheets


def name_in_capitals(font: str):
    """Every text cell in `font`, the commune's name in the capital font `.VnTimeH`."""

    def font_of(sheet, row, column, value):
        return ".VnTimeH" if value == "HOÀ BÌNH" else font

    return font_of


def plan_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [paragraph.text for paragraph in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]


def problems_of(path: Path) -> list:
    with pytest.raises(WorkbookInvalid) as raised:
        read_workbook(path)
    return raised.value.problems


@pytest.mark.parametrize("font_of", [name_in_capitals(".VnTime"), everywhere("VNI-Times")], ids=["tcvn3", "vni"])
def test_a_workbook_typed_in_an_old_encoding_gives_the_plan_of_its_unicode_text(tmp_path, font_of):
    sheets = commune_sheets()
    unicode_plan = api.generate(write_workbook(tmp_path / "unicode.xlsx", sheets), tmp_path / "unicode").output
    result = api.generate(write_typed_workbook(tmp_path / "legacy.xlsx", sheets, font_of), tmp_path / "legacy")
    assert result.output.name == unicode_plan.name == "ke-hoach-giam-ngheo-2023-xa-hoa-binh.docx"
    assert plan_text(result.output) == plan_text(unicode_plan)
    assert any("XÃ HOÀ BÌNH" in text for text in plan_text(result.output))


def test_one_warning_per_sheet_names_the_converted_cells_and_the_encoding(tmp_path):
    def font_of(sheet, row, column, value):
        return "VNI-Times" if sheet == "Phân công" else ".VnTime"

    warnings = read_workbook(write_typed_workbook(tmp_path / "s.xlsx", reference_sheets(), font_of)).warnings
    legacy = [problem for problem in warnings if problem.code == "legacy_encoding"]
    assert [problem.sheet for problem in legacy] == [
        "Thông tin chung",
        "Chỉ tiêu",
        "Hộ gia đình",
        "Phân công",
        "Nơi nhận",
    ]
    assert all(problem.severity == WARNING and problem.row is None for problem in legacy)
    by_sheet = {problem.sheet: problem.format() for problem in legacy}
    assert by_sheet["Nơi nhận"].startswith(
        'Sheet "Nơi nhận": chữ ở 5 ô (A1, A2, A3, A4, A5) được gõ bằng bảng mã cũ TCVN3 (ABC)'
    )
    assert "Unikey > Công cụ chuyển mã" in by_sheet["Nơi nhận"] and 'Nguồn "TCVN3 (ABC)"' in by_sheet["Nơi nhận"]
    assert (
        "bảng mã cũ VNI Windows" in by_sheet["Phân công"]
        and "(B1, C1, D1, B2, C2, D2, B3, C3, D3, B4 và 14 ô khác)" in by_sheet["Phân công"]
    )
    assert (
        "Khu phố" not in by_sheet["Hộ gia đình"] and "Nguyễn" not in by_sheet["Hộ gia đình"]
    )  # cells named, never their text


def test_a_unicode_workbook_has_no_encoding_warning(tmp_path):
    warnings = read_workbook(write_workbook(tmp_path / "s.xlsx", commune_sheets())).warnings
    assert [problem for problem in warnings if problem.code in ("legacy_encoding", "garbled_text")] == []


def test_text_in_an_old_encoding_is_recognised_without_its_font(tmp_path):
    path = write_typed_workbook(tmp_path / "s.xlsx", commune_sheets(), name_in_capitals(".VnTime"), fonts_kept=False)
    workbook = read_workbook(path)
    assert (
        workbook.info.name == "HOÀ BÌNH"
        and workbook.assignments[0].member == "Nguyễn Thị Huệ"
        and workbook.recipients[0] == "Phòng LĐ-TBXH (b/c)"
    )
    assert {problem.sheet for problem in workbook.warnings if problem.code == "legacy_encoding"} >= {
        "Phân công",
        "Nơi nhận",
    }


def test_a_garbled_cell_is_an_error_at_its_cell_with_its_likely_text(tmp_path):
    sheets = reference_sheets()
    sheets["Phân công"][2][2] = garbled("Chủ tịch Hội PN")
    problems = problems_of(write_workbook(tmp_path / "s.xlsx", sheets))
    assert [problem.format() for problem in problems if problem.severity == ERROR] == [
        'Sheet "Phân công", dòng 3, cột "Chức vụ": "Chá»§ tá»‹ch Há»™i PN" ô C3 có chữ bị lỗi mã hóa, có lẽ là '
        '"Chủ tịch Hội PN": '
        "dữ liệu UTF-8 bị mở sai bảng mã. Gõ lại nội dung ô, hoặc nhập lại dữ liệu từ tệp gốc và chọn mã "
        "Unicode (UTF-8) khi nhập."
    ]


def test_a_garbled_unit_name_is_one_error_not_one_per_household(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][3][1] = garbled("Khu phố 3")
    errors = [problem for problem in problems_of(write_workbook(tmp_path / "s.xlsx", sheets)) if problem.is_error]
    assert [(problem.code, problem.sheet, problem.row, problem.column) for problem in errors] == [
        ("garbled_text", "Chỉ tiêu", 4, "Đơn vị")
    ]


def test_a_garbled_name_in_the_register_is_reported_without_its_text(tmp_path):
    sheets = reference_sheets()
    name = sheets["Hộ gia đình"][5][1]
    sheets["Hộ gia đình"][5][1] = garbled(name)
    [error] = [problem for problem in problems_of(write_workbook(tmp_path / "s.xlsx", sheets)) if problem.is_error]
    assert (error.sheet, error.row, error.column, error.value, error.household) == (
        "Hộ gia đình",
        6,
        "Họ tên chủ hộ",
        None,
        "BS-005",
    )
    assert (
        "ô B6 có chữ bị lỗi mã hóa" in error.format()
        and name not in error.format()
        and garbled(name) not in error.format()
    )


def test_garbled_text_in_a_column_the_plan_does_not_use_is_ignored(tmp_path):
    sheets = reference_sheets()
    sheets["Phân công"] = [
        row + ["Ghi chú riêng" if index == 0 else "Ä‘i há»p"] for index, row in enumerate(sheets["Phân công"])
    ]
    workbook = read_workbook(write_workbook(tmp_path / "s.xlsx", sheets))
    assert [problem for problem in workbook.warnings if problem.code == "garbled_text"] == []


def test_a_workbook_saved_by_libreoffice_keeps_its_fonts_and_gives_the_plan(tmp_path):
    result = api.generate(FIXTURE, tmp_path)
    assert result.output.name == "ke-hoach-giam-ngheo-2023-xa-hoa-binh.docx"
    text = "\n".join(plan_text(result.output))
    assert "XÃ HOÀ BÌNH" in text and "Thôn 10" in text and "Nguyễn Thị Huệ" in text and "Phòng LĐ-TBXH (b/c)" in text
    assert "µ" not in text and "×" not in text and "ø" not in text
    assert [
        (problem.sheet, problem.text.split(" được gõ bằng bảng mã cũ ")[1][:11])
        for problem in result.warnings
        if problem.code == "legacy_encoding"
    ] == [
        ("Thông tin chung", "TCVN3 (ABC)"),
        ("Chỉ tiêu", "TCVN3 (ABC)"),
        ("Hộ gia đình", "TCVN3 (ABC)"),
        ("Phân công", "VNI Windows"),
        ("Nơi nhận", "TCVN3 (ABC)"),
    ]


def make_libreoffice_fixture(folder: Path) -> Path:
    """The fixture: xã Hoà Bình typed in .VnTime (its name in .VnTimeH), `Phân công` in VNI-Times,
    written by openpyxl and saved again by LibreOffice (`soffice --convert-to xlsx`)."""
    sheets = commune_sheets()

    def font_of(sheet, row, column, value):
        return "VNI-Times" if sheet == "Phân công" else name_in_capitals(".VnTime")(sheet, row, column, value)

    source = (
        write_typed_workbook(folder / "source" / FIXTURE.name, sheets, font_of)
        if (folder / "source").mkdir() is None
        else None
    )
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / FIXTURE.name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_libreoffice_fixture_is_what_libreoffice_makes_of_the_typed_workbook(tmp_path):
    made = make_libreoffice_fixture(tmp_path)
    fresh, kept = read_workbook(made), read_workbook(FIXTURE)
    assert (fresh.info, fresh.assignments, fresh.recipients) == (kept.info, kept.assignments, kept.recipients)
    assert fresh.units.equals(kept.units) and fresh.register.equals(kept.register)
    assert [problem.format() for problem in fresh.warnings] == [problem.format() for problem in kept.warnings]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_an_old_encoding_in_an_xls_or_ods_is_recognised_by_its_characters_sheet_by_sheet(tmp_path, suffix):
    """calamine gives no fonts: the characters tell, and a sheet typed in VNI in a workbook
    mostly typed in TCVN3 is read as VNI (`Thoân` reads as a word in both)."""
    fixture = FIXTURE.with_name(f"legacy-fonts-saved-as-{suffix}-by-libreoffice.{suffix}")
    from_xlsx, converted = api.generate(FIXTURE, tmp_path / "xlsx"), api.generate(fixture, tmp_path / suffix)
    assert plan_text(converted.output) == plan_text(from_xlsx.output)
    assert [problem.sheet for problem in converted.warnings if problem.code == "legacy_encoding"] == [
        "Thông tin chung",
        "Chỉ tiêu",
        "Hộ gia đình",
        "Phân công",
        "Nơi nhận",
    ]
