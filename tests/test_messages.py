"""One test per workbook check: the exact Vietnamese line printed by `--check`, and the exit code.

Each case changes the reference workbook (Bắc Sơn 2023) in the fewest cells that trigger one check.
Row numbers are the ones Excel shows: the header is row 1, so `sheets[name][i]` is row i + 1.
"""

import datetime as dt
import zipfile

import pytest

from povertyplan import cli
from tests import reference_data
from tests.builders import reference_sheets, set_info, write_workbook

INFO, UNITS, REGISTER, ASSIGN, RECIPIENTS = "Thông tin chung", "Chỉ tiêu", "Hộ gia đình", "Phân công", "Nơi nhận"


def run_check(tmp_path, capsys, sheets) -> tuple[int, list[str]]:
    """Run `generate.py --check` on the workbook; return the exit code and the report lines."""
    path = write_workbook(tmp_path / "so-lieu.xlsx", sheets)
    code = cli.main(["--check", str(path)])
    out = capsys.readouterr().out
    return code, [
        line.strip() for line in out.splitlines() if line.strip().startswith(("Lỗi:", "Cảnh báo:", "Tổng cộng:"))
    ]


def changed(change) -> dict:
    sheets = reference_sheets()
    change(sheets)
    return sheets


def cell(sheet: str, row: int, column: int, value):
    """A change: put `value` at Excel row `row`, 0-based `column`, of `sheet`."""

    def change(sheets):
        sheets[sheet][row - 1][column] = value

    return change


def info(label: str, value):
    return lambda sheets: set_info(sheets, label, value)


ERRORS = {
    # structure
    "missing_sheet": (
        lambda s: s.pop(ASSIGN),
        (
            'Lỗi: không tìm thấy sheet "Phân công". Các sheet đang có: "Thông tin chung", "Chỉ tiêu", "Hộ gia '
            'đình", "Nơi nhận". Thêm sheet hoặc đổi tên sheet cho đúng mẫu.'
        ),
    ),
    "missing_column_lists_what_was_found": (
        cell(UNITS, 1, 2, "Số dân"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 1: không tìm thấy cột "Số hộ". Các cột đang có: "TT", "Đơn vị", "Số dân", '
            '"Hộ nghèo đầu năm", "Chỉ tiêu giảm hộ nghèo". Đặt tên cột đúng như mẫu.'
        ),
    ),
    "empty_sheet": (
        lambda s: s.update({RECIPIENTS: []}),
        'Lỗi: Sheet "Nơi nhận": sheet trống, thiếu cột "Nơi nhận". Nhập dòng tiêu đề và số liệu theo mẫu.',
    ),
    "required_count_empty": (
        cell(UNITS, 4, 2, None),
        'Lỗi: Sheet "Chỉ tiêu", dòng 4, cột "Số hộ": ô này đang trống. Nhập giá trị cho ô này.',
    ),
    "required_info_item_missing": (
        info("Người ký", None),
        (
            'Lỗi: Sheet "Thông tin chung", cột "Thông tin": thiếu mục "Người ký". Thêm dòng "Người ký" và nhập giá '
            'trị ở cột "Giá trị".'
        ),
    ),
    "required_info_value_empty": (
        cell(INFO, 16, 1, None),
        'Lỗi: Sheet "Thông tin chung", dòng 16, cột "Giá trị": ô này đang trống. Nhập giá trị của mục "Người ký".',
    ),
    "required_member_empty": (
        cell(ASSIGN, 3, 1, None),
        'Lỗi: Sheet "Phân công", dòng 3, cột "Họ và tên": ô này đang trống. Nhập giá trị cho ô này.',
    ),
    "row_without_unit_name": (
        lambda s: s[UNITS].append([11, None, 50, 0, 0]),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 12, cột "Đơn vị": dòng có số liệu nhưng thiếu tên đơn vị. Nhập tên đơn vị '
            "hoặc xóa dòng."
        ),
    ),
    "no_units": (
        lambda s: s.update({UNITS: s[UNITS][:1]}),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Đơn vị": chưa có đơn vị nào. Nhập mỗi khu phố/thôn một dòng, bắt '
            "đầu từ dòng này."
        ),
    ),
    "no_recipients": (
        lambda s: s.update({RECIPIENTS: s[RECIPIENTS][:1]}),
        (
            'Lỗi: Sheet "Nơi nhận", dòng 2, cột "Nơi nhận": chưa có nơi nhận. Nhập mỗi nơi nhận một dòng, bắt đầu '
            'từ dòng này, dòng cuối là "Lưu: VT".'
        ),
    ),
    # values
    "count_in_words": (
        cell(UNITS, 7, 2, "hai trăm"),
        'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": "hai trăm" không phải số nguyên. Nhập số hộ bằng chữ số.',
    ),
    "count_with_fraction": (
        cell(UNITS, 7, 2, 292.5),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": "292,5" không phải số nguyên (số hộ không có phần lẻ). '
            "Sửa lại thành số nguyên."
        ),
    ),
    "count_with_fraction_as_text": (
        cell(UNITS, 3, 4, "0,5"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 3, cột "Chỉ tiêu giảm hộ nghèo": "0,5" không phải số nguyên (số hộ không '
            "có phần lẻ). Sửa lại thành số nguyên."
        ),
    ),
    "negative_count": (
        cell(UNITS, 7, 2, -292),
        'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": "-292" là số âm. Nhập số từ 0 trở lên.',
    ),
    "excel_error_value": (
        cell(UNITS, 7, 2, "#DIV/0!"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": "#DIV/0!" là lỗi công thức của Excel (#DIV/0!). Sửa công '
            "thức trong Excel hoặc nhập thẳng giá trị, rồi lưu lại."
        ),
    ),
    "formula_without_saved_value": (
        cell(UNITS, 7, 2, "=SUM(F2:F9)"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": ô này có công thức nhưng chưa có giá trị đã tính (tệp '
            "được lưu bằng chương trình không tính công thức). Mở tệp bằng Excel, bấm Lưu (Ctrl+S) rồi chạy lại."
        ),
    ),
    "date_in_a_count": (
        cell(UNITS, 7, 2, dt.datetime(2023, 1, 5)),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": "05/01/2023" là ngày tháng, không phải số. Nhập số hộ '
            "bằng chữ số và định dạng ô là Số (Number)."
        ),
    ),
    "boolean_in_a_count": (
        cell(UNITS, 7, 2, True),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": "TRUE" là giá trị đúng/sai, không phải số. Nhập số hộ '
            "bằng chữ số."
        ),
    ),
    "huge_count": (
        cell(UNITS, 7, 2, 1e300),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": '
            '"10000000000000000525047602552044202487044685811081591549158…" lớn bất thường, không thể là số hộ. '
            "Kiểm tra lại số đã nhập."
        ),
    ),
    "year_not_four_digits": (
        info("Năm kế hoạch", 23),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 6, cột "Giá trị": "23" không phải năm hợp lệ. Nhập năm bằng 4 chữ '
            "số, ví dụ 2025."
        ),
    ),
    "year_implausible": (
        info("Năm kế hoạch", "năm nay"),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 6, cột "Giá trị": "năm nay" không phải năm hợp lệ. Nhập năm bằng 4 '
            "chữ số, ví dụ 2025."
        ),
    ),
    "unreadable_date": (
        info("Ngày ban hành", "31/02/2023"),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 8, cột "Giá trị": "31/02/2023" không phải ngày hợp lệ. Nhập ngày '
            "dạng ngày/tháng/năm, ví dụ 05/3/2025."
        ),
    ),
    "unknown_signer_title": (
        info("Chức vụ người ký", "Bí thư"),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 15, cột "Giá trị": "Bí thư" không hợp lệ. Chọn một trong: Chủ '
            "tịch, Phó Chủ tịch hoặc Quyền Chủ tịch."
        ),
    ),
    "unknown_level": (
        info("Loại đơn vị hành chính", "Quận"),
        (
            'Lỗi: Sheet "Thông tin chung", dòng 4, cột "Giá trị": "Quận" không hợp lệ. Chọn một trong: Xã, Phường, '
            "Thị trấn hoặc Đặc khu."
        ),
    ),
    "unknown_category": (
        cell(REGISTER, 3, 3, "Hộ khá"),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Phân loại": "Hộ khá" không hợp lệ. Chọn "Hộ '
            'nghèo" hoặc "Hộ cận nghèo".'
        ),
    ),
    "excel_error_in_register": (
        cell(REGISTER, 3, 3, "#N/A"),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Phân loại": "#N/A" là lỗi công thức của Excel '
            "(#N/A). Sửa công thức trong Excel hoặc nhập thẳng giá trị, rồi lưu lại."
        ),
    ),
    "formula_without_saved_value_in_register": (
        cell(REGISTER, 3, 2, "=VLOOKUP(A3,X:Y,2,0)"),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Đơn vị": ô này có công thức nhưng chưa có giá '
            "trị đã tính (tệp được lưu bằng chương trình không tính công thức). Mở tệp bằng Excel, bấm Lưu "
            "(Ctrl+S) rồi chạy lại."
        ),
    ),
    # consistency
    "duplicate_unit": (
        lambda s: s[UNITS].append([11, "khu phố  10", 50, 0, 0]),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 12, cột "Đơn vị": "khu phố 10" trùng với đơn vị ở dòng 10. Mỗi đơn vị chỉ '
            "nhập một dòng: xóa dòng trùng hoặc sửa tên."
        ),
    ),
    "more_poor_than_households": (
        cell(UNITS, 2, 2, 1),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Số hộ": số hộ nghèo (2) lớn hơn số hộ (1) của Khu phố 1. Kiểm tra '
            "lại số liệu."
        ),
    ),
    "target_above_poor": (
        cell(UNITS, 3, 4, 2),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 3, cột "Chỉ tiêu giảm hộ nghèo": chỉ tiêu giảm (2) lớn hơn số hộ nghèo '
            "đầu năm (1) của Khu phố 2. Giảm chỉ tiêu cho phù hợp."
        ),
    ),
    "register_names_unknown_unit": (
        cell(REGISTER, 7, 2, "Khu phố 7"),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 7 (mã hộ BS-006), cột "Đơn vị": "Khu phố 7" không có trong sheet "Chỉ '
            'tiêu". Sửa tên đơn vị cho khớp.'
        ),
    ),
    "duplicate_household_code": (
        cell(REGISTER, 4, 0, "BS-002"),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 4 (mã hộ BS-002), cột "Mã hộ": mã hộ bị trùng với dòng 3. Mỗi hộ chỉ '
            "có một mã; sửa hoặc xóa dòng trùng."
        ),
    ),
    "register_row_without_household_code": (
        cell(REGISTER, 4, 0, None),
        'Lỗi: Sheet "Hộ gia đình", dòng 4, cột "Mã hộ": dòng có số liệu nhưng thiếu mã hộ. Nhập mã hộ hoặc xóa dòng.',
    ),
    "numeric_household_codes_compare_as_excel_shows_them": (
        lambda s: (cell(REGISTER, 4, 0, 12345)(s), cell(REGISTER, 5, 0, 12345.0)(s)),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 5 (mã hộ 12345), cột "Mã hộ": mã hộ bị trùng với dòng 4. Mỗi hộ chỉ có '
            "một mã; sửa hoặc xóa dòng trùng."
        ),
    ),
    "declared_poor_count_disagrees_with_register": (
        cell(UNITS, 4, 3, 5),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 4, cột "Hộ nghèo đầu năm": số hộ nghèo đầu năm là 5 nhưng sheet "Hộ gia '
            'đình" có 4 hộ nghèo thuộc Khu phố 3. Sửa cho khớp hoặc để trống ô này.'
        ),
    ),
    "assignment_names_unknown_unit": (
        cell(ASSIGN, 2, 3, "Khu phố 9 + 4 + 7"),
        (
            'Lỗi: Sheet "Phân công", dòng 2, cột "Phụ trách địa bàn": "Khu phố 9 + 4 + 7" nhắc tới "Khu phố 7" '
            'nhưng sheet "Chỉ tiêu" không có đơn vị này. Viết tên đơn vị đúng như sheet "Chỉ tiêu".'
        ),
    ),
    "unit_nobody_answers_for": (
        cell(ASSIGN, 6, 3, "Khu phố 10"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 7, cột "Đơn vị": "Khu phố 6" chưa có thành viên Ban chỉ đạo nào phụ '
            'trách. Thêm đơn vị này vào cột "Phụ trách địa bàn" của sheet "Phân công".'
        ),
    ),
    "no_signer": (
        cell(INFO, 16, 1, "   "),
        'Lỗi: Sheet "Thông tin chung", dòng 16, cột "Giá trị": ô này đang trống. Nhập giá trị của mục "Người ký".',
    ),
}


@pytest.mark.parametrize("change, expected", ERRORS.values(), ids=ERRORS.keys())
def test_each_error_is_one_exact_line_and_exits_1(tmp_path, capsys, change, expected):
    code, lines = run_check(tmp_path, capsys, changed(change))
    assert code == 1
    assert expected in lines, "\n".join(lines)


WARNINGS = {
    "targets_add_up_to_less_than_assigned": (
        info("Chỉ tiêu giảm hộ nghèo được giao", 9),
        (
            'Cảnh báo: Sheet "Chỉ tiêu", cột "Chỉ tiêu giảm hộ nghèo": tổng chỉ tiêu giảm của các đơn vị (8) thấp '
            "hơn chỉ tiêu được giao (9). Xem lại chỉ tiêu từng đơn vị; chương trình đề xuất (cách chia: chạy "
            "--check để xem): Khu phố 1: 1, Khu phố 3: 1, Khu phố 5: 1, Khu phố 6: 1, Khu phố 8: 1, Khu phố 9: 1, "
            "Khu phố 10: 2, Khu phố 12: 1."
        ),
    ),
    "unit_assigned_to_several_members": (
        cell(ASSIGN, 3, 3, "Khu phố 3 + 4"),
        (
            'Cảnh báo: Sheet "Phân công", dòng 3, cột "Phụ trách địa bàn": Khu phố 4 đã được phân công ở dòng 2; '
            "một đơn vị do nhiều thành viên phụ trách. Kiểm tra lại nếu không cố ý."
        ),
    ),
    "text_repaired": (
        cell(ASSIGN, 4, 2, "Bí thư  Đoàn\u00a0Thanh niên\u200b"),
        (
            'Cảnh báo: Sheet "Phân công", dòng 4, cột "Chức vụ": đã tự sửa chữ ở 1 ô (ký tự lạ, dấu cách thừa). '
            "Kiểm tra lại nội dung nếu cần."
        ),
    ),
    "empty_register_counts_as_absent": (
        lambda s: s.update({REGISTER: s[REGISTER][:1]}),
        (
            'Cảnh báo: Sheet "Hộ gia đình": sheet chưa có hộ nào nên số hộ nghèo đầu năm lấy từ sheet "Chỉ tiêu". '
            "Nhập danh sách hộ nếu muốn đếm từ sheet này."
        ),
    ),
}


@pytest.mark.parametrize("change, expected", WARNINGS.values(), ids=WARNINGS.keys())
def test_each_warning_is_printed_and_the_workbook_still_passes(tmp_path, capsys, change, expected):
    code, lines = run_check(tmp_path, capsys, changed(change))
    assert code == 0
    assert expected in lines, "\n".join(lines)


def test_every_problem_of_a_workbook_is_listed_in_one_run_errors_first_then_a_count(tmp_path, capsys):
    sheets = reference_sheets()
    for change in (
        cell(UNITS, 7, 2, "hai trăm"),
        info("Năm kế hoạch", 23),
        cell(REGISTER, 4, 0, "BS-002"),
        cell(ASSIGN, 3, 3, "Khu phố 3 + 4"),
    ):
        change(sheets)
    code, lines = run_check(tmp_path, capsys, sheets)
    assert code == 1
    assert [line.split(":")[0] for line in lines] == ["Lỗi"] * 3 + ["Cảnh báo", "Tổng cộng"]
    assert lines[-1] == "Tổng cộng: 3 lỗi, 1 cảnh báo."


def test_register_messages_never_show_a_households_name(tmp_path, capsys):
    sheets = reference_sheets()
    names = [row[1] for row in sheets[REGISTER][1:]]
    for row in sheets[REGISTER][1:6]:
        row[2], row[3] = "Khu phố 77", "Hộ khá"
    sheets[REGISTER][7][0] = sheets[REGISTER][6][0]
    sheets[REGISTER][8][1] = None
    code, lines = run_check(tmp_path, capsys, sheets)
    assert code == 1 and len(lines) > 10
    assert not any(name in line for line in lines for name in names)


def test_register_without_header_row_is_not_quoted(tmp_path, capsys):
    sheets = reference_sheets()
    del sheets[REGISTER][0]
    code, lines = run_check(tmp_path, capsys, sheets)
    assert code == 1
    assert lines[0] == (
        'Lỗi: Sheet "Hộ gia đình": không tìm thấy dòng tiêu đề có các cột "Mã hộ", "Họ tên chủ hộ", "Đơn vị", '
        '"Phân loại" trong 30 dòng đầu. Thêm dòng tiêu đề theo mẫu phía trên danh sách.'
    )


def test_a_repeated_mistake_prints_twenty_lines_then_counts_the_rest(tmp_path, capsys):
    sheets = reference_sheets()
    sheets[UNITS] += [[None, f"Tổ {n}", "nhiều", 0, 0] for n in range(30)]
    code, lines = run_check(tmp_path, capsys, sheets)
    counted = [line for line in lines if '"nhiều" không phải số nguyên' in line]
    assert code == 1 and len(counted) == 20
    assert (
        'Lỗi: Sheet "Chỉ tiêu", cột "Số hộ": còn 10 dòng khác có cùng loại lỗi này (từ dòng 32). Sửa tất cả '
        "rồi chạy lại."
    ) in lines


def test_a_cell_gets_one_error_not_also_empty(tmp_path, capsys):
    code, lines = run_check(tmp_path, capsys, changed(cell(REGISTER, 3, 2, "=A1")))
    assert code == 1
    assert [line for line in lines if "dòng 3 " in line] == [
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Đơn vị": ô này có công thức nhưng chưa có giá '
            "trị đã tính (tệp được lưu bằng chương trình không tính công thức). Mở tệp bằng Excel, bấm Lưu "
            "(Ctrl+S) rồi chạy lại."
        )
    ]


def _patch_cell_xml(path, placeholder: bytes, xml: bytes):
    """Replace the cell holding the inline text `placeholder` by raw cell XML `xml`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    for name, data in parts.items():
        start = data.find(b">" + placeholder + b"<")
        if start >= 0:
            cell_start = data.rfind(b"<c ", 0, start)
            cell_end = data.find(b"</c>", start) + len(b"</c>")
            reference = data[cell_start:cell_end].split(b'r="')[1].split(b'"')[0]
            parts[name] = data[:cell_start] + xml.replace(b"REF", reference) + data[cell_end:]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "xml, households",
    [
        (b'<c r="REF"><f>SUM(A1:A2)</f><v>292</v></c>', 292),  # a formula Excel calculated
        (b'<c r="REF" t="str"><f>"292"</f><v>292</v></c>', 292),
    ],
    ids=["number", "text"],
)
def test_formula_with_a_saved_value_is_read_as_its_value(tmp_path, capsys, xml, households):
    path = write_workbook(tmp_path / "so-lieu.xlsx", changed(cell(UNITS, 7, 2, "PLACEHOLDER")))
    _patch_cell_xml(path, b"PLACEHOLDER", xml)
    assert cli.main(["--check", str(path)]) == 0
    assert f"Khu phố 6  | {households}" in capsys.readouterr().out


def test_formula_without_any_value_element_is_reported(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", changed(cell(UNITS, 7, 2, "PLACEHOLDER")))
    _patch_cell_xml(path, b"PLACEHOLDER", b'<c r="REF"><f>SUM(A1:A2)</f></c>')
    assert cli.main(["--check", str(path)]) == 1
    assert (
        'Sheet "Chỉ tiêu", dòng 7, cột "Số hộ": ô này có công thức nhưng chưa có giá trị đã tính'
        in capsys.readouterr().out
    )


def test_formula_whose_result_is_empty_text_is_a_blank_cell(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", changed(cell(INFO, 3, 1, "PLACEHOLDER")))
    _patch_cell_xml(path, b"PLACEHOLDER", b'<c r="REF" t="str"><f>IF(1,"","x")</f><v></v></c>')
    assert cli.main(["--check", str(path)]) == 0  # Cơ quan cấp trên is optional: blank is fine


def test_excel_control_character_escapes_are_removed_with_a_warning(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", changed(cell(ASSIGN, 4, 2, "PLACEHOLDER")))
    _patch_cell_xml(
        path,
        b"PLACEHOLDER",
        b'<c r="REF" t="inlineStr"><is><t>B\xc3\xad th\xc6\xb0_x000B_ \xc4\x90o\xc3\xa0n</t></is></c>',
    )
    assert cli.main(["--check", str(path)]) == 0
    assert 'Cảnh báo: Sheet "Phân công", dòng 4, cột "Chức vụ": đã tự sửa chữ ở 1 ô' in capsys.readouterr().out


def survey(*changes):
    """A change: the register with its survey columns (income, indicators), then `changes`."""

    def change(sheets):
        sheets[REGISTER] = reference_data.register_sheet(survey=True)
        for more in changes:
            more(sheets)

    return change


def near_poor_targets(*targets):
    """A change: the near-poor columns in `Chỉ tiêu`, starts blank, `targets` from the first unit on."""

    def change(sheets):
        sheets[UNITS][0] += ["Hộ cận nghèo đầu năm", "Chỉ tiêu giảm hộ cận nghèo"]
        for row, target in zip(sheets[UNITS][1:], targets):
            row += [None, target]

    return change


# One problem, one message (issue 11): a mistake that other sheets or checks would echo is said once.
ONE_MESSAGE = {
    "unit_renamed_in_one_sheet": (
        cell(UNITS, 2, 1, "Khu phố 1A"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Đơn vị": "Khu phố 1A" không có ở sheet "Hộ gia đình", "Phân '
            'công": các sheet đó ghi "Khu phố 1", tên không có trong sheet này. Sửa tên cho giống nhau ở mọi sheet.'
        ),
    ),
    "unit_name_erased": (
        cell(UNITS, 2, 1, None),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Đơn vị": dòng có số liệu nhưng thiếu tên đơn vị; sheet "Hộ gia '
            'đình", "Phân công" ghi "Khu phố 1", tên không có trong sheet này. Nhập tên đơn vị cho giống nhau ở '
            "mọi sheet."
        ),
    ),
    "unit_renamed_to_another_units_name": (
        cell(UNITS, 11, 1, "khu phố  10"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 11, cột "Đơn vị": "khu phố 10" trùng với đơn vị ở dòng 10; sheet "Hộ gia '
            'đình", "Phân công" ghi "Khu phố 12", tên không có trong sheet này. Sửa tên cho giống nhau ở mọi sheet.'
        ),
    ),
    "unit_row_with_a_name_only": (
        lambda s: s[UNITS].append([11, "Khu phố 13"]),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 12, cột "Đơn vị": "Khu phố 13" có tên đơn vị nhưng chưa có "Số hộ", "Chỉ '
            'tiêu giảm hộ nghèo". Nhập số liệu của đơn vị hoặc xóa dòng.'
        ),
    ),
    "household_moved_to_another_unit": (
        cell(REGISTER, 2, 2, "Khu phố 2"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Hộ nghèo đầu năm": số hộ nghèo đầu năm đã nhập khác với số hộ '
            'nghèo đếm được ở sheet "Hộ gia đình" tại 2 đơn vị: Khu phố 1 (dòng 2: nhập 2, đếm được 1); Khu phố 2 '
            "(dòng 3: nhập 1, đếm được 2). Sửa cho khớp hoặc để trống cột này."
        ),
    ),
    "member_units_erased": (
        cell(ASSIGN, 2, 3, None),
        (
            'Lỗi: Sheet "Phân công", dòng 2, cột "Phụ trách địa bàn": ô này đang trống. Nhập các đơn vị thành viên '
            "này phụ trách; các đơn vị chưa có người phụ trách: Khu phố 4, Khu phố 9."
        ),
    ),
    "member_units_unknown_says_what_is_uncovered": (
        cell(ASSIGN, 2, 3, "Khu phố 99"),
        (
            'Lỗi: Sheet "Phân công", dòng 2, cột "Phụ trách địa bàn": "Khu phố 99" không có trong sheet "Chỉ '
            'tiêu". Viết tên đơn vị đúng như sheet "Chỉ tiêu". Các đơn vị chưa có người phụ trách: Khu phố 4, Khu '
            "phố 9."
        ),
    ),
    "units_nobody_answers_for_in_one_line": (
        cell(ASSIGN, 2, 3, "Khu phố 2"),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 5, cột "Đơn vị": chưa có thành viên Ban chỉ đạo nào phụ trách các đơn vị: '
            'Khu phố 4 (dòng 5), Khu phố 9 (dòng 9). Thêm các đơn vị này vào cột "Phụ trách địa bàn" của sheet '
            '"Phân công".'
        ),
    ),
    "member_row_unfinished": (
        lambda s: s[ASSIGN].append([8, "Nguyễn Văn An"]),
        (
            'Lỗi: Sheet "Phân công", dòng 9, cột "Chức vụ": dòng chưa đủ thông tin: các cột "Chức vụ", "Phụ trách '
            'địa bàn" đang trống. Nhập đủ hoặc xóa dòng.'
        ),
    ),
    "household_row_with_a_code_only": (
        lambda s: s[REGISTER].append(["BS-002"]),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 46 (mã hộ BS-002), cột "Mã hộ": dòng chưa đủ thông tin: các cột "Họ '
            'tên chủ hộ", "Đơn vị", "Phân loại" đang trống. Nhập đủ hoặc xóa dòng.'
        ),
    ),
    "near_poor_target_typed_for_one_unit": (
        near_poor_targets(1),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 3, cột "Chỉ tiêu giảm hộ cận nghèo": chỉ 1 trên 10 đơn vị có chỉ tiêu '
            "giảm hộ cận nghèo; các dòng 3, 4, 5, 6, 7, 8, 9, 10, 11 đang trống. Nhập chỉ tiêu cho mọi đơn vị (0 "
            "nếu không giao) hoặc xóa hết chỉ tiêu của cột này."
        ),
    ),
    "bad_register_cell_with_near_poor_targets_counted_from_it": (
        lambda s: (near_poor_targets(1, 0, 1, 0, 1, 0, 0, 1, 1, 1)(s), cell(REGISTER, 3, 3, "Hộ ngheo")(s)),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Phân loại": "Hộ ngheo" không hợp lệ. Chọn "Hộ '
            'nghèo" hoặc "Hộ cận nghèo".'
        ),
    ),
    # counts that do not fit the households (the register counts 2 poor and 3 near-poor in Khu phố 1)
    "poor_and_near_poor_above_households": (
        cell(UNITS, 2, 2, 4),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Số hộ": số hộ nghèo (2) cộng số hộ cận nghèo (3) là 5, lớn hơn số '
            "hộ (4) của Khu phố 1. Kiểm tra lại số liệu."
        ),
    ),
    "near_poor_above_households": (
        cell(UNITS, 2, 2, 2),
        (
            'Lỗi: Sheet "Chỉ tiêu", dòng 2, cột "Số hộ": số hộ cận nghèo (3) lớn hơn số hộ (2) của Khu phố 1. Kiểm '
            "tra lại số liệu."
        ),
    ),
    # the register's survey columns
    "household_size_of_an_id_number": (
        survey(cell(REGISTER, 3, 4, 10**19)),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Số nhân khẩu": lớn bất thường (hơn 100 người). '
            "Nhập số nhân khẩu của hộ, ví dụ 4."
        ),
    ),
    "income_too_large": (
        survey(cell(REGISTER, 3, 5, 250_000_000)),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 3 (mã hộ BS-002), cột "Thu nhập bình quân": lớn bất thường (hơn '
            "100.000.000 đồng/người/tháng). Nhập thu nhập bình quân đầu người bằng đồng/người/tháng, ví dụ 1500000."
        ),
    ),
    "incomes_in_thousands_of_dong": (
        survey(lambda s: [row.__setitem__(5, row[5] // 1000) for row in s[REGISTER][1:] if row[5]]),
        (
            'Lỗi: Sheet "Hộ gia đình", dòng 2, cột "Thu nhập bình quân": 43 trên 43 hộ có thu nhập dưới 10.000 '
            "đồng/người/tháng: có vẻ thu nhập được nhập theo nghìn đồng (1200 thay cho 1.200.000). Nhân các số của "
            "cột này với 1.000 (trong Excel: gõ 1000 vào một ô trống, Sao chép, chọn các ô thu nhập, Dán đặc biệt "
            "> Nhân) rồi chạy lại."
        ),
    ),
}


@pytest.mark.parametrize("change, expected", ONE_MESSAGE.values(), ids=ONE_MESSAGE.keys())
def test_a_mistake_is_one_exact_error_line(tmp_path, capsys, change, expected):
    code, lines = run_check(tmp_path, capsys, changed(change))
    assert code == 1
    assert [line for line in lines if line.startswith("Lỗi:")] == [expected]


# A workbook copied from last year, names typed with their unit word: warnings, and the plan is made.
NOTICED = {
    "issue_date_of_another_year": (
        info("Năm kế hoạch", 2027),
        (
            'Cảnh báo: Sheet "Thông tin chung", dòng 8, cột "Giá trị": "05/03/2023" ở mục "Ngày ban hành" thuộc '
            "năm khác năm kế hoạch 2027: sổ có thể được chép từ năm trước. Sửa ngày ban hành hoặc để trống để văn "
            "thư điền."
        ),
    ),
    "basis_citing_an_old_plan_year": (
        info("Năm kế hoạch", 2027),
        (
            'Cảnh báo: Sheet "Thông tin chung", dòng 10, cột "Giá trị": "Thực hiện Kế hoạch số 482/KH-UBND ngày '
            '24/02/2023 của UBND …" ở mục "Căn cứ" nhắc năm 2023, cũ hơn năm trước năm kế hoạch 2027: căn cứ có '
            "thể được chép từ năm trước. Kiểm tra lại căn cứ."
        ),
    ),
    "period_of_another_year": (
        info("Năm kế hoạch", 2027),
        (
            'Cảnh báo: Sheet "Thông tin chung", dòng 11, cột "Giá trị": "2022 - 2025" ở mục "Giai đoạn chuẩn '
            'nghèo" không phải giai đoạn của năm kế hoạch 2027 (là 2026 - 2030): sổ có thể được chép từ năm trước. '
            "Sửa lại hoặc để trống để chương trình tự chọn."
        ),
    ),
    "basis_dated_after_the_plan": (
        lambda s: s[INFO].append(
            ["Căn cứ", "Căn cứ Quyết định số 12/QĐ-UBND ngày 15 tháng 3 năm 2023 của UBND thị xã Bỉm Sơn."]
        ),
        (
            'Cảnh báo: Sheet "Thông tin chung", dòng 17, cột "Giá trị": "Căn cứ Quyết định số 12/QĐ-UBND ngày 15 '
            'tháng 3 năm 2023 củ…" ở mục "Căn cứ" nhắc ngày 15/03/2023, sau ngày ban hành kế hoạch 05/03/2023: căn '
            "cứ có thể gõ nhầm hoặc được chép từ năm trước. Kiểm tra lại căn cứ."
        ),
    ),
    "level_word_typed_in_the_name": (
        lambda s: (set_info(s, "Loại đơn vị hành chính", "Xã"), set_info(s, "Tên đơn vị hành chính", "Xã Tân Lập")),
        (
            'Cảnh báo: Sheet "Thông tin chung", dòng 5, cột "Giá trị": "Xã Tân Lập" đã có chữ "Xã" ở đầu, trùng '
            'với mục "Loại đơn vị hành chính"; chương trình dùng tên "Tân Lập" để chữ này không bị in hai lần. Xóa '
            'chữ "Xã" khỏi ô này.'
        ),
    ),
    "unit_word_typed_twice": (
        cell(UNITS, 2, 1, "Khu phố Khu phố 1"),
        (
            'Cảnh báo: Sheet "Chỉ tiêu", dòng 2, cột "Đơn vị": "Khu phố Khu phố 1" có chữ "Khu phố" gõ hai lần; '
            'chương trình dùng "Khu phố 1". Sửa lại trong sổ cho đúng.'
        ),
    ),
    "unit_word_typed_twice_in_assignments": (
        cell(ASSIGN, 7, 3, "Khu phố Khu phố 1"),
        (
            'Cảnh báo: Sheet "Phân công", dòng 7, cột "Phụ trách địa bàn": "Khu phố Khu phố 1" có chữ "Khu phố" gõ '
            'hai lần; chương trình dùng "Khu phố 1". Sửa lại trong sổ cho đúng.'
        ),
    ),
}


@pytest.mark.parametrize("change, expected", NOTICED.values(), ids=NOTICED.keys())
def test_a_stale_or_doubled_item_is_a_warning_line(tmp_path, capsys, change, expected):
    code, lines = run_check(tmp_path, capsys, changed(change))
    assert code == 0
    assert expected in lines, "\n".join(lines)
