"""The file itself: missing, not a workbook, damaged, old format, password, locked, hostile.

Hostile files are built in tmp_path from the reference workbook by rewriting its XML parts.
"""

import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from povertyplan import api
from povertyplan import cli
from povertyplan.read import xlsx as reader
from povertyplan.errors import FileProblem, WorkbookInvalid
from tests.builders import reference_sheets, write_workbook

from tests.paths import FIXTURES, ROOT

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>\n"
)
XXE = b'<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def reference(tmp_path, name="so-lieu.xlsx") -> Path:
    return write_workbook(tmp_path / name, reference_sheets())


def check_lines(capsys, path) -> tuple[int, str]:
    code = cli.main(["--check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def sheet_part(path: Path, title: str) -> str:
    """The zip path of the sheet named `title`."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(title), book)[1]
    target = re.search(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid, rels) or re.search(
        r'<Relationship [^>]*Id="%s"[^>]*Target="([^"]+)"' % rid, rels
    )
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def rewrite(path: Path, parts: dict, extra: dict | None = None) -> Path:
    """Rewrite the workbook, each named part through `parts[name](bytes) -> bytes`, or streamed
    by `parts[name](stream, bytes)` when the value is a tuple ("stream", writer)."""
    with zipfile.ZipFile(path) as archive:
        original = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in original.items():
            change = parts.get(name)
            if isinstance(change, tuple):
                with archive.open(name, "w", force_zip64=True) as stream:
                    change[1](stream, data)
            else:
                archive.writestr(name, change(data) if change else data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def with_doctype(doctype: bytes, reference_entity: bytes = b""):
    def change(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return doctype + (body.replace(b"<t>", b"<t>" + reference_entity, 1) if reference_entity else body)

    return change


def run_measured(path: Path) -> tuple[int, float, float, str]:
    """Run `generate.py --check` in a fresh process: exit code, seconds, peak MB, output."""
    probe = (
        "import resource, runpy, sys\n"
        "sys.argv = ['generate.py', '--check', sys.argv[1]]\n"
        "code = 0\n"
        "try:\n    runpy.run_path(%r, run_name='__main__')\n"
        "except SystemExit as done:\n    code = done.code\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n" % str(ROOT / "generate.py")
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    seconds = time.monotonic() - start
    peak = int(re.search(r"PEAK (\d+)", done.stderr)[1]) / 1024  # Linux: KiB
    return done.returncode, seconds, peak, done.stdout + done.stderr


# --- the file cannot be used -------------------------------------------------------------------


def test_missing_file(tmp_path, capsys):
    code, text = check_lines(capsys, tmp_path / "khong-co.xlsx")
    assert code == 1
    assert f'Lỗi: Không tìm thấy tệp "{tmp_path / "khong-co.xlsx"}". Kiểm tra lại tên và thư mục.' in text


@pytest.mark.parametrize(
    "content",
    [b"", b"Tinh,Huyen\nThanh Hoa,Bim Son\n", b"<html><body>so lieu</body></html>"],
    ids=["empty", "csv", "html"],
)
def test_file_that_is_not_a_workbook(tmp_path, capsys, content):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(content)
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xlsx" không phải sổ Excel .xlsx hoặc đã bị hỏng. Mở bằng Excel và lưu lại dạng .xlsx.'
        in text
    )


def test_truncated_workbook_is_corrupt(tmp_path, capsys):
    path = reference(tmp_path)
    path.write_bytes(path.read_bytes()[:5000])
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xlsx" bị hỏng, không đọc được. Mở bằng Excel và lưu lại dạng .xlsx, hoặc dùng bản sao khác.'
        in text
    )


def test_damaged_sheet_xml_names_the_sheet(tmp_path, capsys):
    path = reference(tmp_path)
    rewrite(path, {sheet_part(path, "Chỉ tiêu"): lambda xml: xml[: len(xml) // 2]})
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Sheet "Chỉ tiêu" trong tệp "so-lieu.xlsx" bị hỏng, không đọc được. Mở tệp bằng Excel, lưu lại '
        "rồi chạy lại."
    ) in text


def test_shared_string_index_out_of_range_is_damage_not_a_crash(tmp_path, capsys):
    path = reference(tmp_path)
    part = sheet_part(path, "Chỉ tiêu")
    rewrite(
        path,
        {part: lambda xml: xml.replace(b"<v>237</v>", b"<v>99999</v>").replace(b'<c r="C2"', b'<c t="s" r="C2"', 1)},
    )
    code, text = check_lines(capsys, path)
    assert code == 1 and "Traceback" not in text
    assert 'Sheet "Chỉ tiêu" trong tệp "so-lieu.xlsx" bị hỏng' in text


def test_other_office_file_renamed_to_xlsx(tmp_path, capsys):
    path = tmp_path / "so-lieu.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xlsx" không phải sổ Excel .xlsx (có thể là tệp Word hoặc tệp nén khác đổi tên). Mở '
        "bằng Excel và lưu lại dạng .xlsx."
    ) in text


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


def test_damaged_old_office_file_is_called_damaged(tmp_path, capsys):
    path = tmp_path / "so-lieu.xls"
    path.write_bytes(OLE + "Workbook".encode("utf-16-le"))
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xls" bị hỏng, không đọc được. Mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx, '
        "hoặc dùng bản sao khác."
    ) in text


def test_password_protected_workbook(tmp_path, capsys):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes((FIXTURES / "password-protected.xlsx").read_bytes())  # an OLE2 file holding the encrypted package
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xlsx" được đặt mật khẩu. Mở bằng Excel hoặc LibreOffice, bỏ mật khẩu (Excel: Tệp > '
        "Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu) rồi lưu lại."
    ) in text


def test_workbook_locked_by_excel(tmp_path, capsys, monkeypatch):
    path = reference(tmp_path)

    def locked(*args, **kwargs):
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(reader, "open", locked, raising=False)
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Không mở được tệp "so-lieu.xlsx": tệp đang bị khóa (có thể đang mở trong Excel) hoặc không có '
        "quyền đọc. Đóng tệp trong Excel rồi chạy lại."
    ) in text


def test_workbook_saved_under_another_extension_is_still_read(tmp_path, capsys):
    path = reference(tmp_path).rename(tmp_path / "so-lieu.xlsx.bak")
    assert check_lines(capsys, path)[0] == 0


def test_sheet_names_with_odd_characters_are_quoted_on_one_line(tmp_path, capsys):
    sheets = reference_sheets()
    sheets["Chỉ tiêu\u202e 😀\u200b"] = sheets.pop("Chỉ tiêu")
    code, text = check_lines(capsys, write_workbook(tmp_path / "so-lieu.xlsx", sheets))
    assert code == 1
    line = next(line for line in text.splitlines() if "không tìm thấy sheet" in line)
    assert '"Chỉ tiêu 😀"' in line and "\u202e" not in line


def test_workbook_with_the_sheets_but_no_rows(tmp_path, capsys):
    code, text = check_lines(
        capsys, write_workbook(tmp_path / "so-lieu.xlsx", {name: [] for name in reference_sheets()})
    )
    assert code == 1 and "Traceback" not in text
    assert (
        'Lỗi: Sheet "Chỉ tiêu": sheet trống, thiếu cột "Đơn vị", "Số hộ", "Chỉ tiêu giảm hộ nghèo". Nhập dòng '
        "tiêu đề và số liệu theo mẫu."
    ) in text


# --- hostile files ------------------------------------------------------------------------------

HOSTILE = "không xử lý để đảm bảo an toàn"


@pytest.mark.parametrize(
    "part, change",
    [
        ("Chỉ tiêu", with_doctype(LAUGHS, b"&lol9;")),
        ("xl/workbook.xml", with_doctype(LAUGHS)),
        ("[Content_Types].xml", with_doctype(LAUGHS)),
        ("Chỉ tiêu", with_doctype(XXE, b"&xxe;")),
        (
            "xl/styles.xml",
            with_doctype(
                b'<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/x.dtd"> %ext;]>\n'
            ),
        ),
        # a DTD pushed behind a long comment, in UTF-16, to slip past a naive prefix check
        (
            "Chỉ tiêu",
            lambda xml: (
                ('<?xml version="1.0" encoding="UTF-16"?><!--' + " " * 100_000 + "-->").encode("utf-16")
                + XXE.split(b"\n", 1)[1].decode().encode("utf-16-le")
                + re.sub(rb"^<\?xml[^>]*\?>", b"", xml).decode().encode("utf-16-le")
            ),
        ),
    ],
    ids=[
        "billion-laughs-sheet",
        "billion-laughs-workbook",
        "billion-laughs-content-types",
        "xxe-sheet",
        "parameter-entity-styles",
        "dtd-behind-long-utf16-comment",
    ],
)
def test_xml_entity_declarations_are_refused(tmp_path, capsys, part, change):
    path = reference(tmp_path)
    rewrite(path, {part if "/" in part or part.startswith("[") else sheet_part(path, part): change})
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Tệp "so-lieu.xlsx" bất thường (có khai báo DTD/thực thể XML, sổ Excel thật không bao giờ có), '
        "không xử lý để đảm bảo an toàn."
    ) in text
    assert "root:" not in text


@pytest.mark.parametrize(
    "part, doctype, place, says",
    [
        ("Chỉ tiêu", LAUGHS, (b"<t>", b"<t>&lol9;"), "có khai báo thực thể XML"),  # defusedxml (sheets)
        ("Chỉ tiêu", XXE, (b"<t>", b"<t>&xxe;"), "có khai báo thực thể XML"),
        ("xl/workbook.xml", LAUGHS, (b'name="', b'name="&lol9;'), "bị hỏng"),  # lxml without entity resolution
        ("xl/workbook.xml", XXE, (b'name="', b'name="&xxe;'), "bị hỏng"),
    ],
    ids=["laughs-sheet", "xxe-sheet", "laughs-workbook", "xxe-workbook"],
)
def test_xml_parsers_refuse_entities_even_without_the_prescan(
    tmp_path, capsys, monkeypatch, part, doctype, place, says
):
    """Defence in depth: with the DTD prescan off, openpyxl's parsers still expand nothing."""
    monkeypatch.setattr(reader, "_declares_dtd", lambda archive, member: False)
    path = reference(tmp_path)
    rewrite(
        path,
        {part if "/" in part else sheet_part(path, part): lambda xml: with_doctype(doctype)(xml).replace(*place, 1)},
    )
    start = time.monotonic()
    code, text = check_lines(capsys, path)
    assert code == 1 and says in text
    assert "lollollol" not in text and "root:" not in text and time.monotonic() - start < 10


def _repeated_rows(megabytes: int):
    def write(stream, xml: bytes):
        head, tail = xml.split(b"</sheetData>")
        stream.write(head)
        rows = (
            b'<row r="500"><c r="A500"><v>1</v></c><c r="B500" t="inlineStr"><is><t>Khu ph\xe1\xbb\x91 '
            b"99</t></is></c></row>"
        ) * 10_000
        for _ in range(megabytes * 1024**2 // len(rows)):
            stream.write(rows)
        stream.write(b"</sheetData>" + tail)

    return write


def test_zip_bomb_is_refused_in_seconds_with_bounded_memory(tmp_path):
    path = reference(tmp_path)
    rewrite(path, {sheet_part(path, "Hộ gia đình"): ("stream", _repeated_rows(300))})
    assert path.stat().st_size < 3 * 1024**2  # 300 MB of XML in a few hundred KB
    code, seconds, peak, text = run_measured(path)
    assert code == 1 and "giải nén ra lớn gấp hơn 200 lần kích thước nén" in text and HOSTILE in text
    assert seconds < 10 and peak < 500, (seconds, peak)


def test_billion_laughs_is_refused_in_seconds_with_bounded_memory(tmp_path):
    path = reference(tmp_path)
    rewrite(path, {sheet_part(path, "Chỉ tiêu"): with_doctype(LAUGHS, b"&lol9;")})
    code, seconds, peak, text = run_measured(path)
    assert code == 1 and HOSTILE in text and "Traceback" not in text
    assert seconds < 10 and peak < 500, (seconds, peak)


@pytest.mark.parametrize(
    "limit, value, why",
    [
        ("MAX_UNPACKED_BYTES", 10_240, "giải nén ra hơn 10 KB"),
        ("MAX_MEMBERS", 5, "phần bên trong, quá 5"),
        ("MAX_PART_BYTES", 1_024, "giải nén ra hơn 1 KB"),
    ],
)
def test_size_limits_are_checked_before_anything_is_parsed(tmp_path, capsys, monkeypatch, limit, value, why):
    monkeypatch.setattr(reader, limit, value)
    code, text = check_lines(capsys, reference(tmp_path))
    assert code == 1 and why in text and HOSTILE in text


def test_declared_dimension_of_the_whole_grid_is_ignored(tmp_path, capsys):
    path = reference(tmp_path)
    rewrite(
        path,
        {
            sheet_part(path, "Chỉ tiêu"): lambda xml: re.sub(
                rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml
            )
        },
    )
    start = time.monotonic()
    assert check_lines(capsys, path)[0] == 0
    assert time.monotonic() - start < 10


def test_real_cell_in_the_last_row_and_column_costs_nothing(tmp_path, capsys):
    path = reference(tmp_path)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>xa</t></is></c></row>'
    rewrite(path, {sheet_part(path, "Hộ gia đình"): lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>")})
    start = time.monotonic()
    assert check_lines(capsys, path)[0] == 0
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "cell",
    [b'<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>', b'<row r="20"><c r="XFE20"><v>1</v></c></row>'],
    ids=["row", "column"],
)
def test_cell_beyond_excels_grid_is_refused(tmp_path, capsys, cell):
    path = reference(tmp_path)
    rewrite(path, {sheet_part(path, "Chỉ tiêu"): lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>")})
    code, text = check_lines(capsys, path)
    assert code == 1 and "ngoài giới hạn" in text and HOSTILE in text


def test_small_sheet_with_absurdly_many_rows_is_refused_without_reading_them_all(tmp_path, capsys):
    path = reference(tmp_path)

    def many(stream, xml):
        head, tail = xml.split(b"</sheetData>")
        stream.write(
            head
            + b"".join(b'<row r="%d"><c r="GR%d"><v>1</v></c></row>' % (r, r) for r in range(20, 200_000))
            + b"</sheetData>"
            + tail
        )

    rewrite(path, {sheet_part(path, "Phân công"): ("stream", many)})
    code, text = check_lines(capsys, path)
    assert code == 1
    assert (
        'Lỗi: Sheet "Phân công", dòng 10013: có hơn 10000 dòng số liệu, nhiều bất thường. Xóa các dòng thừa '
        "rồi chạy lại."
    ) in text


def test_unused_sheet_is_never_parsed(tmp_path, capsys):
    """openpyxl probes every sheet's size at load when <dimension> is missing; ours does not."""
    path = reference(tmp_path)
    rewrite(path, {}, extra={"xl/worksheets/unused.xml": b"<worksheet><sheetData><row><c>broken"})
    assert check_lines(capsys, path)[0] == 0


def test_api_raises_only_the_projects_errors(tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileProblem):
        api.check(path)
    with pytest.raises(WorkbookInvalid):
        api.check(write_workbook(tmp_path / "b.xlsx", {"Trang tính 1": [["x"]]}))


def test_repeated_row_numbers_count_against_excels_row_limit(tmp_path, capsys, monkeypatch):
    """Rows without increasing numbers must not let a sheet outgrow Excel's grid unnoticed."""
    monkeypatch.setattr(reader, "EXCEL_MAX_ROW", 100)
    path = reference(tmp_path)
    rows = b'<row r="50"><c r="GR50"><v>1</v></c></row>' * 200
    rewrite(path, {sheet_part(path, "Hộ gia đình"): lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")})
    code, text = check_lines(capsys, path)
    assert (
        code == 1 and 'sheet "Hộ gia đình" có dòng 101, ngoài giới hạn 100 dòng của Excel' in text and HOSTILE in text
    )
