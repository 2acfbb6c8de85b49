import unicodedata

import pytest

from povertyplan import api
from povertyplan.errors import WorkbookInvalid
from tests.builders import reference_sheets, set_info, write_workbook


def check(tmp_path, sheets):
    return api.check(write_workbook(tmp_path / "so-lieu.xlsx", sheets))


def problems(tmp_path, sheets) -> list[str]:
    with pytest.raises(WorkbookInvalid) as caught:
        check(tmp_path, sheets)
    return [problem.format() for problem in caught.value.problems if problem.is_error]


def row_of(result, unit):
    units = result.figures.units
    return units[units["unit"] == unit].iloc[0]


def test_reference_workbook_gives_the_corrected_reference_figures(tmp_path):
    result = check(tmp_path, reference_sheets())
    kp9 = row_of(result, "Khu phố 9")
    assert (kp9.households, kp9.poor_start, kp9.rate_start, kp9.target, kp9.poor_end, kp9.rate_end) == (
        283,
        2,
        "0,71",
        1,
        1,
        "0,35",
    )
    totals = result.figures.totals
    assert (
        totals.households,
        totals.poor_start,
        totals.rate_start,
        totals.target,
        totals.poor_end,
        totals.rate_end,
    ) == (2452, 29, "1,18", 8, 21, "0,86")
    assert (result.figures.assigned_target, result.figures.assigned_rate) == (7, "0,29")


def test_assigned_target_defaults_to_the_sum_of_the_units_targets(tmp_path):
    result = check(tmp_path, set_info(reference_sheets(), "Chỉ tiêu giảm hộ nghèo được giao", None))
    assert (result.figures.assigned_target, result.figures.assigned_rate) == (8, "0,33")


def test_headers_match_whatever_the_case_spacing_and_unicode_form(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][0] = [
        "stt",
        "  ĐƠN VỊ ",
        unicodedata.normalize("NFD", "Tổng số hộ"),
        "hộ  nghèo đầu năm:",
        "CHỈ TIÊU GIẢM HỘ NGHÈO",
    ]
    renamed = {unicodedata.normalize("NFD", " chỉ TIÊU "): sheets.pop("Chỉ tiêu")}
    result = check(tmp_path, {**sheets, **renamed})
    assert result.figures.totals.households == 2452


def test_columns_may_come_in_any_order_with_extra_columns_and_sheets(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"] = [[row[4], "Ghi chú", row[2], row[1], row[3]] for row in sheets["Chỉ tiêu"]]
    sheets["Ghi chép riêng"] = [["bất kỳ"], [1]]
    assert check(tmp_path, sheets).figures.totals.target == 8


def test_header_row_is_found_below_a_title_block(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][0:0] = [["SỔ SỐ LIỆU GIẢM NGHÈO NĂM 2023"], ["Phường Bắc Sơn"], []]
    sheets["Hộ gia đình"][0:0] = [["DANH SÁCH HỘ NGHÈO, CẬN NGHÈO"], []]
    units = check(tmp_path, sheets).workbook.units
    assert units.loc[units["unit"] == "Khu phố 1", "row"].item() == 5  # the row number Excel shows


def test_nfd_text_and_the_pdf_artefact_are_normalised_to_nfc(tmp_path):
    sheets = reference_sheets()
    set_info(sheets, "Người ký", unicodedata.normalize("NFD", "Nguyễn Văn Trƣờng"))
    result = check(tmp_path, sheets)
    assert result.workbook.info.signer == "Nguyễn Văn Trường"
    assert any(problem.code == "text_repaired" for problem in result.warnings)


@pytest.mark.parametrize(
    "typed, expected", [(" 2.452 ", 2452), ("237", 237), ("1.000", 1000), ("3 000", 3000), (419.0, 419)]
)
def test_counts_may_be_typed_as_vietnamese_formatted_text(tmp_path, typed, expected):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][4][2] = typed
    assert row_of(check(tmp_path, sheets), "Khu phố 4").households == expected


def test_register_is_the_source_of_poor_counts_when_the_column_is_blank(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"] = [row[:3] + row[4:] for row in sheets["Chỉ tiêu"]]
    result = check(tmp_path, sheets)
    assert row_of(result, "Khu phố 10").poor_start == 6
    assert result.figures.totals.poor_start == 29


def test_counts_only_without_register_are_accepted(tmp_path):
    sheets = reference_sheets()
    del sheets["Hộ gia đình"]
    assert check(tmp_path, sheets).figures.totals.poor_start == 29


def test_typed_poor_count_disagreeing_with_the_register_is_an_error(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][1][3] = 3
    assert problems(tmp_path, sheets) == [
        (
            'Sheet "Chỉ tiêu", dòng 2, cột "Hộ nghèo đầu năm": số hộ nghèo đầu năm là 3 nhưng sheet "Hộ gia đình" '
            "có 2 hộ nghèo thuộc Khu phố 1. Sửa cho khớp hoặc để trống ô này."
        )
    ]


def test_poor_count_is_required_without_a_register(tmp_path):
    sheets = reference_sheets()
    del sheets["Hộ gia đình"]
    sheets["Chỉ tiêu"][2][3] = None
    assert problems(tmp_path, sheets) == [
        (
            'Sheet "Chỉ tiêu", dòng 3, cột "Hộ nghèo đầu năm": ô này đang trống. Nhập số hộ nghèo đầu năm, hoặc '
            'thêm sheet "Hộ gia đình".'
        )
    ]


@pytest.mark.parametrize(
    "title, lines",
    [
        ("Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("phó chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("QUYỀN CHỦ TỊCH", ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH")),
        ("Phó Chủ tịch UBND", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        ("Chủ tịch Ủy ban nhân dân phường", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ],
)
def test_signing_authority_lines_follow_the_signers_title(tmp_path, title, lines):
    result = check(tmp_path, set_info(reference_sheets(), "Chức vụ người ký", title))
    assert result.workbook.info.authority_lines == lines


def test_authority_lines_can_be_overridden_row_by_row(tmp_path):
    sheets = reference_sheets()
    sheets["Thông tin chung"] += [
        ["Thẩm quyền ký", "TM. ỦY BAN NHÂN DÂN"],
        ["Thẩm quyền ký", "KT. CHỦ TỊCH"],
        ["Thẩm quyền ký", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"],
    ]
    info = check(tmp_path, sheets).workbook.info
    assert info.authority_lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC")


@pytest.mark.parametrize(
    "year, period", [(2022, "2022 - 2025"), (2026, "2022 - 2025"), (2027, "2026 - 2030"), (2030, "2026 - 2030")]
)
def test_poverty_standard_period_defaults_from_the_plan_year(tmp_path, year, period):
    sheets = set_info(set_info(reference_sheets(), "Giai đoạn chuẩn nghèo", None), "Năm kế hoạch", year)
    set_info(sheets, "Ngày ban hành", None)
    assert check(tmp_path, sheets).workbook.info.standard_period == period


def test_unit_word_and_place_default_from_the_level(tmp_path):
    sheets = reference_sheets()
    for label in ("Loại địa bàn dân cư", "Địa danh"):
        set_info(sheets, label, None)
    set_info(sheets, "Loại đơn vị hành chính", "xã")
    set_info(sheets, "Tên đơn vị hành chính", "3")
    info = check(tmp_path, sheets).workbook.info
    assert (info.unit_word, info.place) == ("Thôn", "Xã 3")


def test_assignment_units_are_parsed_with_a_shared_generic_word(tmp_path):
    result = check(tmp_path, reference_sheets())
    by_member = {a.member: a.units for a in result.workbook.assignments}
    assert by_member["Phạm Thị Linh"] == ("Khu phố 8", "Khu phố 12")
    assert by_member["Nguyễn Thị Huệ"] == ("Khu phố 9", "Khu phố 4")


def test_total_row_typed_by_the_official_is_skipped_with_a_warning(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"].append([None, "Cộng", 2452, 29, 8])
    result = check(tmp_path, sheets)
    assert len(result.figures.units) == 10
    assert any(problem.code == "total_row_skipped" for problem in result.warnings)


def test_general_information_without_its_header_row_is_read_by_its_labels(tmp_path):
    sheets = reference_sheets()
    del sheets["Thông tin chung"][0]
    assert check(tmp_path, sheets).workbook.info.signer == "Nguyễn Văn Trường"


def test_blank_standard_workbook_reports_the_missing_units_with_the_other_gaps(tmp_path):
    path = tmp_path / "trong.xlsx"
    api.new_workbook(path, 2025)
    with pytest.raises(WorkbookInvalid) as caught:
        api.check(path)
    codes = {problem.code for problem in caught.value.problems if problem.is_error}
    assert "no_units" in codes and "required" in codes
