"""A table's data rows written as XML text by `xlsx_out` are the bytes openpyxl would write."""

import io
import zipfile

import pytest

from povertyplan.render import xlsx as xlsx_out
from povertyplan.compose.blank import UNITS_NAME, blank_sheets, standard_for_year, units_reference
from povertyplan.compose.spreadsheet import Formula
from povertyplan.render.xlsx import Column, TableSheet, TextSheet, write_workbook
from tests.render.test_review_workbook import CASES, review_bytes

COLUMNS = (Column("Mã", 10), Column("Số", 12, "#,##0"), Column("Ghi chú", 30, wrap=True), Column("Trống", 8))
TRICKY_ROWS = [
    ["H1", 1500000, "Hộ nghèo; thiếu hụt 3 chỉ số", None],
    [" lead", 2.5, 'a<b & "c" > d\r\n\tx', ""],
    ["", 1e17, None, 0],
    ["tail ", 1234567.125, "Chưa ghi thu nhập", 0.1],
    ["Cộng", 10**6, "đủ", -3],
]


def parts(data: bytes) -> dict[str, bytes]:
    """The workbook's parts but the timestamps of docProps/core.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def written(sheets, names=None) -> bytes:
    stream = io.BytesIO()
    write_workbook(sheets, stream, names)
    return stream.getvalue()


def by_openpyxl(sheets, monkeypatch, names=None) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(xlsx_out, "_rows_xml", lambda *arguments: None)
        return written(sheets, names)


def test_plain_rows_are_the_bytes_openpyxl_writes(monkeypatch):
    sheets = [
        TextSheet("Lưu ý", (40,), (("title", ("Tiêu đề",)),)),
        TableSheet("Rà soát", COLUMNS, TRICKY_ROWS, title_lines=("Danh sách",), bold_last_row=True),
    ]
    assert xlsx_out._rows_xml(TRICKY_ROWS, [[None] * 4] * 5, 3, lambda look: 0) is not None
    assert parts(written(sheets)) == parts(by_openpyxl(sheets, monkeypatch))


def test_formulas_are_the_bytes_openpyxl_writes(monkeypatch):
    rows = [["H1", 1, "x", None], ["Cộng", Formula("SUM(B2:B2)"), Formula('IF(B2<>"",ROUND(100*B2/3,2),"Đủ")'), None]]
    sheets = [TableSheet("Tổng hợp", COLUMNS, rows, bold_last_row=True, filtered=True)]
    assert xlsx_out._rows_xml(rows, [[None] * 4] * 2, 2, lambda look: 0) is not None
    assert parts(written(sheets)) == parts(by_openpyxl(sheets, monkeypatch))


@pytest.mark.parametrize(
    "value",
    ["=1+1", "#N/A", "a\x01b", True, float("nan")],
    ids=["formula-like", "error-code", "control-character", "boolean", "nan"],
)
def test_a_value_openpyxl_treats_apart_leaves_the_rows_to_openpyxl(value):
    rows = [["H1", 1, "x", None], ["H2", 2, value, None]]
    assert xlsx_out._rows_xml(rows, [[None] * 4] * 2, 2, lambda look: 0) is None


@pytest.mark.parametrize("value", ["=1+1", "#N/A", True], ids=["formula-like", "error-code", "boolean"])
def test_rows_left_to_openpyxl_are_written_as_before(monkeypatch, value):
    sheets = [TableSheet("Rà soát", COLUMNS, [["H1", 1, "x", None], ["H2", 2, value, None]])]
    assert parts(written(sheets)) == parts(by_openpyxl(sheets, monkeypatch))


def test_the_blank_workbook_is_the_bytes_openpyxl_writes(monkeypatch):
    sheets, names = blank_sheets(2026, standard_for_year(2026)), {UNITS_NAME: units_reference()}
    assert parts(written(sheets, names)) == parts(by_openpyxl(sheets, monkeypatch, names))


@pytest.mark.parametrize("case", CASES)
def test_review_workbooks_are_the_bytes_openpyxl_writes(tmp_path, monkeypatch, case):
    path = CASES[case](tmp_path)
    fast = review_bytes(path)
    with monkeypatch.context() as patch:
        patch.setattr(xlsx_out, "_rows_xml", lambda *arguments: None)
        slow = review_bytes(path)
    assert parts(fast) == parts(slow)
