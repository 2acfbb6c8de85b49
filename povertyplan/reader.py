"""Reading .xlsx files: the only module that knows openpyxl's reading side.

`open_workbook` checks the file before any XML is parsed (missing, old .xls, password-protected,
not a zip, zip bomb) and then streams rows in read-only mode, so memory stays bounded by the
sheets actually used. Rows come out as (Excel row number, tuple of values); blank rows are skipped.
"""
from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import FileProblem

# Limits for untrusted files, stated in the README. A real million-row register unpacks to about
# 1 GB of XML at a compression ratio near 10; a zip bomb unpacks hundreds of times its size.
MAX_UNPACKED_BYTES = 3 * 1024**3
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 20 * 1024**2
MAX_MEMBERS = 10_000
MAX_COLUMNS = 200

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_file(path: Path) -> None:
    """Refuse, with a message, a file that is not a safe .xlsx workbook; parse nothing."""
    if not path.exists():
        raise FileProblem(f'Không tìm thấy tệp "{path}". Kiểm tra lại tên và thư mục.')
    if not path.is_file():
        raise FileProblem(f'"{path}" không phải là tệp Excel.')
    head = _head(path)
    if head.startswith(_OLE_MAGIC):
        raise FileProblem(_ole_message(path))
    if not head.startswith(b"PK"):
        raise FileProblem(f'Tệp "{path.name}" không phải sổ Excel .xlsx hoặc đã bị hỏng. Mở bằng Excel và lưu lại dạng .xlsx.')
    _check_zip(path)


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(8)
    except PermissionError:
        raise FileProblem(f'Không mở được tệp "{path.name}": tệp đang bị khóa (có thể đang mở trong Excel). Đóng tệp rồi chạy lại.') from None
    except OSError as error:
        raise FileProblem(f'Không đọc được tệp "{path.name}" ({error.strerror}).') from None


def _ole_message(path: Path) -> str:
    """An OLE2 file is either the old .xls format or an encrypted (password-protected) .xlsx."""
    data = path.read_bytes()[: 1024 * 1024]
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return f'Tệp "{path.name}" được đặt mật khẩu. Mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại.'
    return f'Tệp "{path.name}" là định dạng Excel cũ (.xls). Mở bằng Excel, chọn Lưu thành > Sổ làm việc Excel (.xlsx), rồi chạy lại với tệp .xlsx.'


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(f'Tệp "{path.name}" bị hỏng, không đọc được. Mở bằng Excel và lưu lại, hoặc dùng bản sao khác.') from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise FileProblem(f'Tệp "{path.name}" không phải sổ Excel .xlsx. Mở bằng Excel và lưu lại dạng .xlsx.')
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES or any(
        m.file_size > RATIO_APPLIES_ABOVE and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
    ):
        raise FileProblem(f'Tệp "{path.name}" bất thường (giải nén ra quá lớn so với kích thước tệp), không xử lý để đảm bảo an toàn. Kiểm tra nguồn gốc tệp.')


class WorkbookSource:
    """An open workbook: its sheet names, and the rows of any sheet on demand."""

    def __init__(self, book, path: Path):
        self._book = book
        self.path = path
        self.sheet_names: tuple[str, ...] = tuple(book.sheetnames)

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """Yield (Excel row number, values) for each non-blank row of a sheet.

        The sheet's declared dimension is ignored (a hostile file may declare a million columns),
        and rows are cut at MAX_COLUMNS: the contract has no sheet that wide.
        """
        sheet = self._book[sheet_name]
        sheet.reset_dimensions()
        # Read-only mode yields every row from the first, gaps included, so counting gives the
        # row number Excel shows.
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = row[:MAX_COLUMNS]
            if any(value is not None and value != "" for value in values):
                yield number, values


@contextmanager
def open_workbook(path: str | os.PathLike) -> Iterator[WorkbookSource]:
    """Open `path` read-only after `check_file`; raise FileProblem when it cannot be read."""
    import openpyxl  # imported here: --new-workbook and --help must not pay for it

    path = Path(path)
    check_file(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged package
        raise FileProblem(f'Tệp "{path.name}" bị hỏng hoặc không phải sổ Excel hợp lệ ({type(error).__name__}). Mở bằng Excel và lưu lại dạng .xlsx.') from None
    try:
        yield WorkbookSource(book, path)
    finally:
        book.close()
