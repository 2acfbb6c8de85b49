"""The review list and the plan's deprivation figures appear exactly when the register carries the data."""

import docx
import openpyxl
import pytest

from povertyplan import api
from povertyplan.aggregate.assessment import assess
from tests.builders import plan_of
from povertyplan.compose.review import DEPRIVATION_SHEETS, LIST_SHEET, NOTICE_SHEET, UNITS_SHEET
from povertyplan.validate.workbook import read_workbook
from tests import reference_data
from tests.builders import reference_sheets, write_workbook

EXCEPTIONS_DIFFERENT = {
    "BS-002": "Hộ cận nghèo",
    "BS-004": "Hộ có mức sống trung bình",
    "BS-019": "Hộ có mức sống trung bình",
    "BS-031": "Không thuộc diện nghèo, cận nghèo",
    "BS-037": "Hộ nghèo",
}


def survey_sheets():
    return reference_sheets(**{"Hộ gia đình": reference_data.register_sheet(survey=True)})


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey")
    return api.generate(write_workbook(folder / "so-lieu.xlsx", survey_sheets()), folder / "out")


@pytest.fixture(scope="module")
def review(generated):
    return openpyxl.load_workbook(generated.review)


def values(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(values_only=True) if any(value is not None for value in row)]


def sheet_text(sheet) -> str:
    return " ".join(str(value) for row in values(sheet) for value in row if value is not None)


def body(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_review_is_written_beside_the_plan(generated):
    assert generated.review == generated.output.with_name("ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx")


def test_first_sheet_says_the_file_is_internal_and_holds_personal_data(review):
    assert review.sheetnames[0] == NOTICE_SHEET
    assert "TÀI LIỆU NỘI BỘ - CÓ DỮ LIỆU CÁ NHÂN" in sheet_text(review[NOTICE_SHEET])


def list_rows(review) -> dict[str, dict]:
    rows = values(review[LIST_SHEET])
    header = rows[1]
    return {row[1]: dict(zip(header, row)) for row in rows[2:]}


def test_list_holds_exactly_the_disagreeing_and_the_unclassifiable_households(review):
    rows = list_rows(review)
    assert {
        code: row["Phân loại theo chuẩn"] for code, row in rows.items() if row["Kết quả"] == "Khác phân loại"
    } == EXCEPTIONS_DIFFERENT
    assert {code for code, row in rows.items() if row["Kết quả"] == "Chưa xác định"} == {"BS-009"}


def test_each_listed_household_says_why_against_the_threshold(review):
    rows = list_rows(review)
    rural = rows["BS-019"]
    assert (
        rural["Phân loại trong danh sách"],
        rural["Khu vực"],
        rural["Thu nhập bình quân (đồng/người/tháng)"],
        rural["Chuẩn thu nhập (đồng/người/tháng)"],
    ) == ("Hộ cận nghèo", "Nông thôn", 1_800_000, 1_500_000)
    assert rural["Lý do"] == "Thu nhập 1.800.000 trên chuẩn 1.500.000 (nông thôn); thiếu hụt 1 chỉ số (dưới 3)."
    assert (
        rows["BS-002"]["Số chỉ số thiếu hụt"] == 2
        and rows["BS-002"]["Các chỉ số thiếu hụt"] == "Bảo hiểm y tế; Chất lượng nhà ở"
    )
    assert (
        "Chưa ghi thu nhập bình quân" in rows["BS-009"]["Lý do"]
        and rows["BS-009"]["Thu nhập bình quân (đồng/người/tháng)"] is None
    )


def test_households_at_the_threshold_are_not_listed(review):
    assert "BS-016" not in list_rows(review)  # 2.000.000 đồng with 3 deprivations: poor, as declared


def test_the_list_names_each_households_head_and_no_other_sheet_nor_the_plan_does(review, generated):
    heads = {code: name for code, name, _, _ in reference_data.register_rows()}
    assert {code: row["Họ tên chủ hộ"] for code, row in list_rows(review).items()} == {
        code: heads[code] for code in list_rows(review)
    }
    elsewhere = " ".join(sheet_text(sheet) for sheet in review if sheet.title != LIST_SHEET) + body(generated.output)
    assert not any(name in elsewhere for name in heads.values())


def expected_lacking(category: str, indicator: int) -> int:
    """Hand count from the fixture: households of `category` marked for `indicator` (1-based)."""
    rows = reference_data.register_sheet(survey=True)[1:]
    return sum(1 for row in rows if row[3] == category and row[5 + indicator] == "x")


def test_counts_per_unit_total_the_households_lacking_each_indicator(review):
    rows = values(review[UNITS_SHEET])
    header, total = rows[2], rows[-1]
    assert total[0] == "Cộng"
    assert total[header.index("Hộ nghèo")] == 29 and total[header.index("Hộ cận nghèo")] == 15
    for category, name in (("Hộ nghèo", DEPRIVATION_SHEETS["poor"]), ("Hộ cận nghèo", DEPRIVATION_SHEETS["near_poor"])):
        rows = values(review[name])
        header, total = rows[2], rows[-1]
        assert total[0] == "Cộng" and total[header.index("4. Bảo hiểm y tế")] == expected_lacking(category, 4)
        assert header[1:] == tuple(
            f"{number}. {name}" for number, name in enumerate(reference_data.INDICATORS_2022, start=1)
        )


def test_every_table_is_at_most_fifteen_columns_wide_and_has_filters_frozen_headers_and_print_titles(review):
    assert review.sheetnames == [NOTICE_SHEET, LIST_SHEET, UNITS_SHEET, *DEPRIVATION_SHEETS.values()]
    for sheet in review.worksheets[1:]:
        header_row = 3 if sheet.title != LIST_SHEET else 2
        assert sheet.max_column <= 15, sheet.title
        assert sheet.freeze_panes == f"A{header_row + 1}" and sheet.print_title_rows == f"$1:${header_row}"
        last = len(values(sheet)) - (0 if sheet.title == LIST_SHEET else 1)  # the filter leaves the Cộng row out
        assert sheet.auto_filter.ref == f"A{header_row}:{sheet.cell(header_row, sheet.max_column).column_letter}{last}"


def test_every_sheet_prints_on_landscape_a4_as_wide_as_the_page_with_numbered_pages(review):
    for sheet in review.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.oddFooter.center.text == "Trang &P/&N"


def test_rows_are_as_tall_as_their_wrapped_text(review):
    sheet = review[LIST_SHEET]
    widths = {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[2]}
    for row in range(3, sheet.max_row + 1):
        reason = sheet.cell(row, list(widths).index("Lý do") + 1).value
        assert sheet.row_dimensions[row].height >= 15 * -(-len(reason) // widths["Lý do"])


def test_registrations_are_counted_against_each_units_target(review):
    rows = values(review[UNITS_SHEET])
    header = rows[2]
    by_unit = {row[0]: dict(zip(header, row)) for row in rows[3:]}
    assert (
        by_unit["Khu phố 3"]["Hộ nghèo đăng ký thoát nghèo"],
        by_unit["Khu phố 3"]["Chỉ tiêu giảm hộ nghèo"],
        by_unit["Khu phố 3"]["Còn thiếu so với chỉ tiêu"],
    ) == (0, 1, 1)
    assert by_unit["Cộng"]["Hộ nghèo đăng ký thoát nghèo"] == 6


def test_fewer_registrations_than_the_target_is_a_warning_per_unit(generated):
    short = [w for w in generated.warnings if w.code == "leaving_below_target"]
    assert [(w.row, w.text.split(":")[0]) for w in short] == [(4, "Khu phố 3"), (11, "Khu phố 12")]


def test_section_three_states_the_deprivation_figures(generated):
    text = body(generated.output)
    poor, near = expected_lacking("Hộ nghèo", 4), expected_lacking("Hộ cận nghèo", 4)
    assert f"Hiện còn {poor} hộ nghèo, {near} hộ cận nghèo thiếu hụt chỉ số bảo hiểm y tế" in text
    assert (
        "toàn phường có 29 hộ nghèo, 15 hộ cận nghèo; các chỉ số dịch vụ xã hội cơ bản bị thiếu hụt nhiều nhất "
        "là: chất lượng nhà ở"
    ) in text
    assert "Đến nay có 6 hộ nghèo đăng ký thoát nghèo năm 2023; Khu phố 3, Khu phố 12 chưa đủ số hộ đăng ký" in text


def test_the_plan_keeps_the_reference_figures_with_survey_data(tmp_path):
    with_survey = plan_of(read_workbook(write_workbook(tmp_path / "a.xlsx", survey_sheets())))
    without = plan_of(read_workbook(write_workbook(tmp_path / "b.xlsx", reference_sheets())))
    assert target_table_of(with_survey) == target_table_of(without)


def target_table_of(plan):
    return next(block for block in plan.body if getattr(block, "name", None) == "targets")


def test_no_review_and_the_same_plan_without_the_data(tmp_path):
    result = api.generate(write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets()), tmp_path / "out")
    assert result.review is None
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.output.name]
    assert "thiếu hụt" not in body(result.output)


def test_blank_survey_columns_change_nothing(tmp_path):
    sheets = survey_sheets()
    for row in sheets["Hộ gia đình"][1:]:
        row[4:] = [None] * (len(row) - 4)
    blank_columns = read_workbook(write_workbook(tmp_path / "a.xlsx", sheets))
    plain = read_workbook(write_workbook(tmp_path / "b.xlsx", reference_sheets()))
    assert plan_of(blank_columns) == plan_of(plain)
    assert not assess(blank_columns).has_data


def test_only_registrations_give_a_review_without_a_list_sheet(tmp_path):
    sheets = reference_sheets()
    register = sheets["Hộ gia đình"]
    register[0].append("Đăng ký thoát nghèo")
    for row in register[1:]:
        row.append("x" if row[0] == "BS-001" else None)
    result = api.generate(write_workbook(tmp_path / "so-lieu.xlsx", sheets), tmp_path / "out")
    book = openpyxl.load_workbook(result.review)
    assert book.sheetnames == [NOTICE_SHEET, UNITS_SHEET]
    assert "Đến nay có 1 hộ nghèo đăng ký thoát nghèo" in body(result.output)


def test_regenerating_keeps_only_the_last_review_list_and_every_plan(tmp_path):
    path, out = write_workbook(tmp_path / "so-lieu.xlsx", survey_sheets()), tmp_path / "out"
    first = api.generate(path, out)
    assert first.review_removed == 0
    (out / "ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.ban-cu-20240105-101500.xlsx").write_bytes(
        b"left by an earlier version"
    )
    second = api.generate(path, out)
    assert second.review_removed == 2 and second.kept is not None and second.kept.exists()
    assert sorted(p.name for p in out.glob("*ra-soat*")) == [second.review.name]
    assert openpyxl.load_workbook(second.review).sheetnames[0] == NOTICE_SHEET


def near_poor_sheets(targets: dict[str, int]):
    sheets = reference_sheets()
    units = sheets["Chỉ tiêu"]
    units[0].append("Chỉ tiêu giảm hộ cận nghèo")
    for row in units[1:]:
        row.append(targets.get(row[1], 0))
    return sheets


def test_target_table_gains_near_poor_columns_when_their_targets_are_given(tmp_path):
    plan = plan_of(
        read_workbook(write_workbook(tmp_path / "so-lieu.xlsx", near_poor_sheets({"Khu phố 1": 1, "Khu phố 5": 2})))
    )
    table = target_table_of(plan)
    assert table.header[-3:] == ("Hộ cận nghèo đầu năm", "Chỉ tiêu giảm hộ cận nghèo", "Dự kiến hộ cận nghèo cuối năm")
    assert table.rows[0][-3:] == ("3", "1", "2") and table.rows[4][-3:] == ("4", "2", "2")
    assert table.total[-3:] == ("15", "3", "12")
    assert abs(sum(table.widths_mm) - 165) < 0.01
    text = " ".join(p.text for p in plan.body if hasattr(p, "text"))
    assert (
        "Đồng thời phấn đấu giảm 3 hộ cận nghèo (đầu năm có 15 hộ cận nghèo, chiếm 0,61% tổng số hộ; dự kiến "
        "cuối năm còn 12 hộ, chiếm 0,49%)."
    ) in text


def test_near_poor_counts_alone_do_not_change_the_table(tmp_path):
    plan = plan_of(read_workbook(write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets())))
    assert len(target_table_of(plan).header) == 8


def test_near_poor_target_above_the_start_count_is_an_error(tmp_path):
    from povertyplan.errors import WorkbookInvalid

    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(write_workbook(tmp_path / "so-lieu.xlsx", near_poor_sheets({"Khu phố 2": 1})))
    [problem] = [p for p in caught.value.problems if p.is_error]
    assert (problem.code, problem.row) == ("target_above_near_poor", 3)


def test_near_poor_targets_are_all_or_nothing(tmp_path):
    from povertyplan.errors import WorkbookInvalid

    sheets = near_poor_sheets({"Khu phố 1": 1})
    sheets["Chỉ tiêu"][2][-1] = None
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(write_workbook(tmp_path / "so-lieu.xlsx", sheets))
    assert [(p.code, p.row) for p in caught.value.problems if p.is_error] == [("required", 3)]


def test_a_register_whose_every_class_agrees_still_gives_the_plan(tmp_path, monkeypatch):
    """Regression: the review's reasons once failed on an empty list of disagreements."""
    monkeypatch.setattr(reference_data, "SURVEY_EXCEPTIONS", {})
    result = api.generate(write_workbook(tmp_path / "s.xlsx", survey_sheets()), tmp_path / "out")
    assert result.output.exists()
    assessment = assess(read_workbook(tmp_path / "s.xlsx"))
    assert not any("phân loại khác" in problem.format() for problem in assessment.warnings)
