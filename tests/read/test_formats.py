"""The kind of workbook is told by the file's content; kinds the program does not read are named."""

import shutil
import zipfile
from pathlib import Path

import pytest

from povertyplan import cli
from povertyplan.read import formats
from tests.builders import reference_sheets, write_workbook
from tests.paths import EXAMPLE, FIXTURES


def check(capsys, path: Path) -> tuple[int, str]:
    code = cli.main(["--check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    "source, kind",
    [
        (EXAMPLE, formats.XLSX),
        (FIXTURES / "example-saved-by-libreoffice.xlsm", formats.XLSX),
        (FIXTURES / "example-saved-by-libreoffice.xls", formats.XLS),
        (FIXTURES / "example-saved-by-libreoffice.ods", formats.ODS),
        (FIXTURES / "password-protected.xlsx", formats.XLS),  # an OLE2 file: biffscan tells it is encrypted
    ],
    ids=["xlsx", "xlsm", "xls", "ods", "encrypted-xlsx"],
)
def test_kind_comes_from_the_content_not_the_name(tmp_path, source, kind):
    assert formats.kind_of(Path(shutil.copy(source, tmp_path / "so-lieu.txt"))) == kind


@pytest.mark.parametrize("content", [b"", b"Tinh,Huyen\n", b"PK\x03\x04 not a zip"], ids=["empty", "csv", "broken-zip"])
def test_anything_else_is_left_to_the_xlsx_checks_which_explain_it(tmp_path, content):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(content)
    assert formats.kind_of(path) == formats.XLSX
    assert formats.kind_of(tmp_path / "khong-co.xlsx") == formats.XLSX


def test_xlsb_says_save_as_xlsx(tmp_path, capsys):
    path = tmp_path / "so-lieu.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    code, text = check(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xlsb" là sổ Excel dạng nhị phân (.xlsb), chương trình không đọc dạng này. Mở bằng '
        "Excel, chọn Lưu thành > Sổ làm việc Excel (.xlsx), rồi chạy lại với tệp .xlsx."
    ) in text


def test_writer_document_renamed_ods_is_named_as_no_spreadsheet(tmp_path, capsys):
    path = tmp_path / "so-lieu.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    code, text = check(capsys, path)
    assert code == 1 and 'Lỗi: Tệp "so-lieu.ods" là tài liệu OpenDocument nhưng không phải bảng tính' in text


def test_xlsx_named_xls_is_read_as_xlsx(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets()).rename(tmp_path / "so-lieu.xls")
    assert check(capsys, path)[0] == 0
