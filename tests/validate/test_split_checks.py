"""The checks around a proposed split: blank unit targets, assigned targets the units cannot meet.
Each case changes the reference workbook (Bắc Sơn 2023: 29 poor and 15 near-poor households) and
expects one exact line of `--check`."""

import pytest

from tests.test_messages import REGISTER, UNITS, changed, info, run_check

ASSIGNED, ASSIGNED_NEAR_POOR = "Chỉ tiêu giảm hộ nghèo được giao", "Chỉ tiêu giảm hộ cận nghèo được giao"


def blank_targets(sheets):
    for row in sheets[UNITS][1:]:
        row[4] = None


def both(*changes):
    def change(sheets):
        for one in changes:
            one(sheets)

    return change


ERRORS = {
    "all_targets_blank_without_an_assigned_target": (
        both(blank_targets, info(ASSIGNED, None)),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Chỉ tiêu giảm hộ nghèo": chưa có chỉ tiêu giảm hộ nghèo của đơn '
            'vị nào. Nhập chỉ tiêu của từng đơn vị, hoặc nhập mục "Chỉ tiêu giảm hộ nghèo được giao" ở sheet '
            '"Thông tin chung" để chương trình đề xuất cách chia.'
        ),
    ),
    "one_target_blank_among_typed_ones": (
        lambda s: s[UNITS][3].__setitem__(4, None),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 4, cột "Chỉ tiêu giảm hộ nghèo": ô này đang trống. Nhập chỉ tiêu giảm hộ '
            "nghèo của đơn vị (0 nếu không giao): các đơn vị khác đã có. Hoặc để trống cả cột để chương trình chia "
            'mục "Chỉ tiêu giảm hộ nghèo được giao".'
        ),
    ),
    "assigned_above_the_poor_households_with_targets_to_propose": (
        both(blank_targets, info(ASSIGNED, 30)),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 12, cột "Giá trị": mục "Chỉ tiêu giảm hộ nghèo được giao" là 30 '
            "hộ, nhiều hơn tổng số hộ nghèo đầu năm của các đơn vị (29 hộ): không chia được. Kiểm tra lại chỉ tiêu "
            "được giao hoặc số hộ nghèo đầu năm."
        ),
    ),
    "assigned_near_poor_above_the_near_poor_households": (
        info(ASSIGNED_NEAR_POOR, 16),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 17, cột "Giá trị": mục "Chỉ tiêu giảm hộ cận nghèo được giao" là '
            "16 hộ, nhiều hơn tổng số hộ cận nghèo đầu năm của các đơn vị (15 hộ): không chia được. Kiểm tra lại "
            "chỉ tiêu được giao hoặc số hộ cận nghèo đầu năm."
        ),
    ),
    "assigned_near_poor_without_start_counts": (
        both(lambda s: s.pop(REGISTER), info(ASSIGNED_NEAR_POOR, 3)),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 17, cột "Giá trị": để chia mục "Chỉ tiêu giảm hộ cận nghèo được '
            'giao" cần số hộ cận nghèo đầu năm của từng đơn vị. Nhập cột "Hộ cận nghèo đầu năm" ở sheet "Chỉ '
            'tiêu", hoặc thêm sheet "Hộ gia đình".'
        ),
    ),
}


@pytest.mark.parametrize("change, expected", ERRORS.values(), ids=ERRORS.keys())
def test_each_error_is_one_exact_line_and_exits_1(tmp_path, capsys, change, expected):
    code, lines = run_check(tmp_path, capsys, changed(change))
    assert code == 1
    assert lines == [expected, "Tổng cộng: 1 lỗi, 0 cảnh báo."]


def test_an_assigned_target_above_the_poor_households_is_a_warning_when_the_targets_are_typed(tmp_path, capsys):
    code, lines = run_check(tmp_path, capsys, changed(info(ASSIGNED, 30)))
    assert code == 0
    assert lines[0] == (
        'Cảnh báo: Sheet "Thông tin chung", dòng 12, cột "Giá trị": mục "Chỉ tiêu giảm hộ nghèo được giao" là '
        "30 hộ, nhiều hơn tổng số hộ nghèo đầu năm của các đơn vị (29 hộ): không chia được. Kiểm tra lại chỉ "
        "tiêu được giao hoặc số hộ nghèo đầu năm."
    )
    assert lines[1:] == ["Tổng cộng: 0 lỗi, 1 cảnh báo."]


def test_a_target_that_is_not_a_number_is_reported_alone_not_also_as_blank(tmp_path, capsys):
    def words(sheets):
        blank_targets(sheets)
        sheets[UNITS][2][4] = "một"

    code, lines = run_check(tmp_path, capsys, changed(words))
    assert code == 1
    assert lines == [
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 3, cột "Chỉ tiêu giảm hộ nghèo": "một" không phải số nguyên. Nhập số hộ '
            "bằng chữ số."
        ),
        "Tổng cộng: 1 lỗi, 0 cảnh báo.",
    ]


def test_the_info_sheet_row_of_the_assigned_target_is_found_with_other_info_errors(tmp_path, capsys):
    """Targets blank and the signer missing: only the signer is an error, the split is not refused."""
    code, lines = run_check(tmp_path, capsys, changed(both(blank_targets, info("Người ký", None))))
    assert code == 1
    assert [line for line in lines if line.startswith("Lỗi")] == [
        (
            'Lỗi: Sheet "Thông tin chung", cột "Thông tin": thiếu mục "Người ký". Thêm dòng "Người ký" và nhập giá '
            'trị ở cột "Giá trị".'
        )
    ]
