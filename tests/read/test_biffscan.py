"""An .xls that cannot be read, or that would make calamine ask for terabytes, gets a message and
exit 1: never a traceback, never the end of the program. Hostile files are the LibreOffice
fixtures with their records rewritten in place."""

import shutil
import struct
from pathlib import Path

import olefile
import pytest

from povertyplan import cli
from povertyplan.read import biffscan
from tests.paths import FIXTURES

ODD = FIXTURES / "cell-types-errors-offset-grid.xls"
HOSTILE = "không xử lý để đảm bảo an toàn"


def check(capfd, path: Path) -> tuple[int, str]:
    code = cli.main(["--check", str(path)])
    captured = capfd.readouterr()
    return code, captured.out + captured.err


def records(data: bytes):
    position = 0
    while position + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, position)
        yield kind, position
        position += 4 + size


def with_records(tmp_path: Path, edit) -> Path:
    """A copy of the fixture whose workbook stream went through `edit(bytearray)` (same length)."""
    path = Path(shutil.copy(ODD, tmp_path / "so-lieu.xls"))
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        edit(data)
        ole.write_stream("Workbook", bytes(data))
    return path


def first(data: bytearray, kind: int) -> int:
    return next(position for found, position in records(data) if found == kind)


def test_error_cells_are_found_in_each_sheet_in_order():
    marks = biffscan.scan(ODD)
    assert marks == [{(2, 5): "#REF!", (4, 0): "#DIV/0!", (4, 3): "#N/A", (11, 1): "#VALUE!", (11, 2): "#N/A"}, {}]


def test_constant_error_value_is_found_like_a_formula_error(tmp_path):
    """A BoolErr record holding an error (Excel writes a typed #REF! so; LibreOffice a formula)."""

    def label_to_error(data):  # the first LabelSst (10 bytes of data) becomes a BoolErr #REF! of 8, then 2 spare bytes
        position = first(data, 0x00FD)
        row_column = bytes(data[position + 4 : position + 8])
        data[position : position + 14] = (
            struct.pack("<HH", 0x0205, 10) + row_column + b"\x0f\x00" + b"\x17\x01" + b"\x00\x00"
        )

    path = with_records(tmp_path, label_to_error)
    assert biffscan.scan(path)[0][(2, 0)] == "#REF!"


def test_sheet_size_beyond_the_xls_grid_is_refused_before_calamine_reserves_it(tmp_path, capfd):
    """calamine reserves rows × columns cells from DIMENSIONS: 11 PB here, and the process aborts."""
    path = with_records(
        tmp_path, lambda data: struct.pack_into("<IIHH", data, first(data, 0x0200) + 4, 0, 0xFFFFFFFF, 0, 0xFFFF)
    )
    code, text = check(capfd, path)
    assert code == 1 and HOSTILE in text and "ngoài lưới 65.536 dòng × 256 cột của Excel 97–2003" in text


def test_cell_beyond_column_iv_is_refused_before_calamine_builds_the_grid(tmp_path, capfd):
    path = with_records(tmp_path, lambda data: struct.pack_into("<HH", data, first(data, 0x00FD) + 4, 65535, 0xFFFE))
    code, text = check(capfd, path)
    assert code == 1 and HOSTILE in text


def test_forged_ole_header_counts_are_refused(tmp_path, capfd):
    path = Path(shutil.copy(ODD, tmp_path / "so-lieu.xls"))
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 44, 0x7FFFFFFF)  # FAT sectors: calamine reserves them before reading
    path.write_bytes(bytes(data))
    code, text = check(capfd, path)
    assert code == 1 and "phần đầu tệp khai số khối không khớp với kích thước tệp" in text


def test_record_that_makes_calamine_panic_is_damage_and_prints_no_rust_report(capfd):
    code, text = check(capfd, FIXTURES / "damaged-record-that-panics-calamine.xls")
    assert code == 1
    assert 'Lỗi: Tệp "damaged-record-that-panics-calamine.xls" bị hỏng, không đọc được.' in text
    assert "panicked" not in text and "Traceback" not in text


def test_truncated_xls_is_damaged(tmp_path, capfd):
    path = tmp_path / "so-lieu.xls"
    path.write_bytes(ODD.read_bytes()[:3000])
    code, text = check(capfd, path)
    assert code == 1 and 'Tệp "so-lieu.xls" bị hỏng, không đọc được.' in text


@pytest.mark.parametrize("name", ["password-protected.xls", "password-protected.xlsx"])
def test_password_protected_xls_or_encrypted_xlsx_says_remove_the_password(capfd, name):
    code, text = check(capfd, FIXTURES / name)
    assert code == 1 and f'Tệp "{name}" được đặt mật khẩu.' in text


def test_word_document_renamed_xls_is_named_as_word(tmp_path, capfd):
    path = Path(shutil.copy(FIXTURES / "word-document.doc", tmp_path / "so-lieu.xls"))
    code, text = check(capfd, path)
    assert code == 1 and 'Lỗi: Tệp "so-lieu.xls" là tệp Word (.doc), không phải sổ Excel.' in text


def test_xls_larger_than_any_real_one_is_refused_unread(capfd, monkeypatch):
    monkeypatch.setattr(biffscan, "MAX_XLS_BYTES", 4096)
    code, text = check(capfd, ODD)
    assert code == 1 and "quá cỡ một sổ Excel 97–2003 (.xls) thật" in text


def test_more_error_cells_than_the_limit_is_refused(capfd, monkeypatch):
    monkeypatch.setattr(biffscan, "MAX_MARKED_CELLS", 3)
    code, text = check(capfd, ODD)
    assert code == 1 and "có hơn 3 ô lỗi công thức" in text
