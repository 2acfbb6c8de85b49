"""An .ods that cannot be read, or that would make calamine hold more cells than memory allows,
gets a message and exit 1 within seconds: never a traceback, never the end of the program.
Hostile files are built in tmp_path as small zips of content.xml."""

import shutil
import time
import zipfile
from pathlib import Path

import pytest

from povertyplan import cli
from povertyplan.read import odsscan
from tests.paths import FIXTURES

HOSTILE = "không xử lý để đảm bảo an toàn"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    b'<office:body><office:spreadsheet><table:table table:name="Sheet1">'
)
TAIL = b"</table:table></office:spreadsheet></office:body></office:document-content>"
NUMBER = b'<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def check(capfd, path: Path) -> tuple[int, str]:
    code = cli.main(["--check", str(path)])
    captured = capfd.readouterr()
    return code, captured.out + captured.err


def ods(path: Path, content, manifest: bytes = b"<manifest:manifest/>") -> Path:
    """An .ods holding `content` (bytes, or a function writing them to a stream)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        archive.writestr("META-INF/manifest.xml", manifest)
        with archive.open("content.xml", "w", force_zip64=True) as stream:
            content(stream) if callable(content) else stream.write(content)
    return path


def rows(*cells: bytes, repeat: int = 1) -> bytes:
    return b'<table:table-row table:number-rows-repeated="%d">' % repeat + b"".join(cells) + b"</table:table-row>"


def test_small_file_of_repeated_cells_filling_the_grid_is_refused_unread(tmp_path, capfd):
    """17 billion cells in a few hundred bytes: calamine would allocate them all."""
    cell = b'<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
    path = ods(tmp_path / "so-lieu.ods", HEAD + rows(cell, repeat=1_048_576) + TAIL)
    start = time.monotonic()
    code, text = check(capfd, path)
    assert code == 1 and HOSTILE in text and "ô trong vùng dữ liệu" in text
    assert time.monotonic() - start < 5


def test_many_rows_each_reaching_far_right_are_counted_as_calamine_holds_them(tmp_path, capfd, monkeypatch):
    """calamine keeps each row up to its last value before it builds the grid: counted too."""
    monkeypatch.setattr(odsscan, "MAX_BOOK_CELLS", 1_000_000)
    far = b'<table:table-cell table:number-columns-repeated="16383"/>' + NUMBER
    path = ods(tmp_path / "so-lieu.ods", HEAD + rows(far) * 100 + TAIL)
    code, text = check(capfd, path)
    assert code == 1 and "có hơn 1000000 ô trong vùng dữ liệu" in text


def test_value_beyond_the_last_row_of_the_grid_is_refused(tmp_path, capfd):
    path = ods(tmp_path / "so-lieu.ods", HEAD + rows(b"<table:table-cell/>", repeat=1_048_576) + rows(NUMBER) + TAIL)
    code, text = check(capfd, path)
    assert code == 1 and "có ô ngoài lưới 1048576 dòng × 16384 cột" in text


def test_zip_bomb_is_refused_by_its_compression_ratio(tmp_path, capfd):
    def write(stream):
        stream.write(HEAD)
        block = rows(b'<table:table-cell table:number-columns-repeated="3"/>') * 10_000
        for _ in range(20 * 1024**2 // len(block)):
            stream.write(block)
        stream.write(TAIL)

    path = ods(tmp_path / "so-lieu.ods", write)
    assert path.stat().st_size < 200_000
    code, text = check(capfd, path)
    assert code == 1 and "giải nén ra lớn gấp hơn 200 lần kích thước nén" in text


def test_dtd_in_content_is_refused_before_any_entity_is_expanded(tmp_path, capfd):
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    path = ods(tmp_path / "so-lieu.ods", HEAD.replace(b"?>\n", b"?>\n" + laughs + b"\n") + rows(NUMBER) + TAIL)
    code, text = check(capfd, path)
    assert code == 1 and "có khai báo DTD/thực thể XML" in text


def test_password_protected_ods_says_remove_the_password(capfd):
    code, text = check(capfd, FIXTURES / "password-protected.ods")
    assert code == 1 and 'Tệp "password-protected.ods" được đặt mật khẩu.' in text


@pytest.mark.parametrize(
    "content",
    [
        HEAD + b"<table:table-row><table:table-cell",
        HEAD + rows(b'<table:table-cell table:number-columns-repeated="-3"/>') + TAIL,
        b"not xml",
    ],
    ids=["cut-short", "negative-repeat", "not-xml"],
)
def test_damaged_content_is_called_damaged(tmp_path, capfd, content):
    code, text = check(capfd, ods(tmp_path / "so-lieu.ods", content))
    assert code == 1 and 'Tệp "so-lieu.ods" bị hỏng, không đọc được.' in text and "Traceback" not in text


def test_truncated_ods_is_damaged(tmp_path, capfd):
    path = tmp_path / "so-lieu.ods"
    path.write_bytes((FIXTURES / "example-saved-by-libreoffice.ods").read_bytes()[:20_000])
    code, text = check(capfd, path)
    assert code == 1 and "bị hỏng" in text and "Traceback" not in text


def test_more_error_cells_than_the_limit_is_refused(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(odsscan, "MAX_MARKED_CELLS", 10)
    error = (
        b'<table:table-cell table:number-columns-repeated="4" table:formula="of:=1/0" office:value-type="string" '
        b'office:string-value="" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
    )
    path = ods(tmp_path / "so-lieu.ods", HEAD + rows(error, repeat=3) + TAIL)
    code, text = check(capfd, path)
    assert code == 1 and "có hơn 10 ô lỗi công thức hoặc công thức chưa tính" in text


@pytest.mark.parametrize(
    "shown, code",
    [
        ("#DIV/0!", "#DIV/0!"),
        (" #n/a ", "#N/A"),
        ("Err:502", "#VALUE!"),
        ("Err:522", "#VALUE!"),
        ("Err:532", "#DIV/0!"),
        ("Err:520", "#N/A"),
        ("", "#N/A"),
    ],
)
def test_libreoffice_error_is_named_by_the_excel_code_libreoffice_saves_it_as(shown, code):
    assert odsscan.error_code(shown) == code


def test_workbook_in_another_copy_of_the_fixture_reads_after_the_checks(tmp_path, capfd):
    path = Path(shutil.copy(FIXTURES / "example-saved-by-libreoffice.ods", tmp_path / "so-lieu.ods"))
    assert check(capfd, path)[0] == 0
