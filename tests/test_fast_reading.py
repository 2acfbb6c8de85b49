"""The fast reader for large workbooks (python-calamine + fastexcel) agrees with the exact one.

Thresholds are lowered so that small test workbooks take the fast path; each test compares its
result with the openpyxl path on the same file.
"""
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from povertyplan import bigsheet
from povertyplan.errors import WorkbookInvalid
from povertyplan.workbook import read_workbook
from tests.builders import reference_sheets, write_workbook

ROOT = Path(__file__).resolve().parent.parent


def read_both(path: Path, monkeypatch):
    """(fast result, exact result): a Workbook, or the formatted problems when it is invalid."""
    results = []
    for fast in (True, False):
        monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0 if fast else 10**15)
        monkeypatch.setattr(bigsheet, "LARGE_SHEET", 0)
        try:
            results.append(read_workbook(path))
        except WorkbookInvalid as invalid:
            results.append([problem.format() for problem in invalid.problems])
    return results


def test_fast_path_is_taken_for_a_large_ordinary_workbook(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
    assert isinstance(bigsheet.fast_source(path), bigsheet.CalamineSource)


def test_fast_and_exact_readers_give_the_same_workbook(tmp_path, monkeypatch):
    sheets = reference_sheets()
    sheets["Hộ gia đình"][0:0] = [["DANH SÁCH HỘ NGHÈO, CẬN NGHÈO"], []]
    sheets["Hộ gia đình"].insert(10, [])
    fast, exact = read_both(write_workbook(tmp_path / "s.xlsx", sheets), monkeypatch)
    pd.testing.assert_frame_equal(fast.register, exact.register, check_dtype=False)
    pd.testing.assert_frame_equal(fast.units, exact.units)
    assert fast.info == exact.info and fast.assignments == exact.assignments
    assert [p.format() for p in fast.warnings] == [p.format() for p in exact.warnings]


def test_fast_and_exact_readers_report_the_same_register_problems(tmp_path, monkeypatch):
    sheets = reference_sheets()
    register = sheets["Hộ gia đình"]
    register[3][0] = None
    register[4][0] = register[5][0]
    register[6][2] = "Khu phố 99"
    register[7][3] = "giàu"
    register[8][1] = "  Nguyễn   Văn  Tèo "
    fast, exact = read_both(write_workbook(tmp_path / "s.xlsx", sheets), monkeypatch)
    assert isinstance(exact, list) and fast == exact


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c r="XFD1048576"'), id="cell-at-the-last-column-and-row"),
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c r="AB3"'), id="cell-beyond-column-z"),
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c'), id="cell-without-reference"),
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c\tr="D3"'), id="reference-after-a-tab"),
    ],
)
def test_a_sheet_calamine_could_not_hold_is_never_given_to_it(tmp_path, edit):
    """Calamine aborts the process on a grid it cannot allocate: such sheets go to openpyxl."""
    path = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    hostile = tmp_path / "h.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as target:
        parts = bigsheet.sheet_parts(source)
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == parts["Hộ gia đình"]:
                data = edit(data.decode()).encode()
            target.writestr(item, data)
    with zipfile.ZipFile(hostile) as archive:
        assert bigsheet.scan_is_ordinary(archive, parts["Hộ gia đình"]) is None
    code = "import sys; from povertyplan import bigsheet, cli; bigsheet.FAST_READ_ABOVE = 0; bigsheet.LARGE_SHEET = 0; sys.exit(cli.main(['--check', sys.argv[1]]))"
    done = subprocess.run([sys.executable, "-c", code, str(hostile)], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)
    assert done.returncode in (0, 1), done.stderr[-500:]
    assert "Traceback" not in done.stderr
