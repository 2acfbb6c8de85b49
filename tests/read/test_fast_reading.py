"""The reader of large workbooks (xlsxgrid for the register and the shared strings, openpyxl
given those strings for the other sheets) agrees with the exact one.

Thresholds are lowered so that small test workbooks take the fast path; each test compares its
result with the openpyxl path on the same file.
"""

import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from povertyplan.read import bigsheet
from povertyplan.read import source
from povertyplan.read.fast import xlsxgrid
from povertyplan.errors import WorkbookInvalid
from povertyplan.validate.workbook import read_workbook
from tests.builders import reference_sheets, rewrite_sheet, with_shared_strings, write_workbook

from tests.paths import ROOT


@pytest.fixture(params=["inline-strings", "shared-strings"])
def saved(request, tmp_path):
    """How the workbook's text is saved: inline (as openpyxl writes it) or in a shared-strings
    table (as Excel does); `saved(path)` gives the workbook to read."""
    if request.param == "inline-strings":
        return lambda path: path
    return lambda path: with_shared_strings(path, tmp_path / f"shared-{path.name}")


def read_both(path: Path, monkeypatch):
    """(fast result, exact result): a Workbook, or the formatted problems when it is invalid.

    On the fast path only the register counts as large; the exact path is openpyxl alone, its
    own shared-strings reading included.
    """
    with zipfile.ZipFile(path) as archive:
        register_size = archive.getinfo(bigsheet.sheet_parts(archive)["Hộ gia đình"]).file_size
    prepare = source.prepare
    results = []
    for fast in (True, False):
        monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
        monkeypatch.setattr(bigsheet, "LARGE_SHEET", register_size)
        monkeypatch.setattr(source, "prepare", prepare if fast else lambda path: None)
        try:
            results.append(read_workbook(path))
        except WorkbookInvalid as invalid:
            results.append([problem.format() for problem in invalid.problems])
    return results


def test_large_sheets_are_found_only_in_a_large_workbook(tmp_path, monkeypatch):
    path = with_shared_strings(write_workbook(tmp_path / "s.xlsx", reference_sheets()), tmp_path / "shared.xlsx")
    small = bigsheet.prepare(path)
    assert small.large == set() and small.source("exact") == "exact"
    assert small.shared_strings[0] == reference_sheets()["Thông tin chung"][0][0]
    monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
    monkeypatch.setattr(bigsheet, "LARGE_SHEET", 0)
    found = bigsheet.prepare(path)
    exact = SimpleNamespace(sheet_names=tuple(reference_sheets()))
    assert found.large == set(reference_sheets()) and isinstance(found.source(exact), bigsheet.FastSource)


def test_fast_and_exact_readers_give_the_same_workbook(tmp_path, monkeypatch, saved):
    sheets = reference_sheets()
    sheets["Hộ gia đình"][0:0] = [["DANH SÁCH HỘ NGHÈO, CẬN NGHÈO"], []]
    sheets["Hộ gia đình"].insert(10, [])
    fast, exact = read_both(saved(write_workbook(tmp_path / "s.xlsx", sheets)), monkeypatch)
    pd.testing.assert_frame_equal(fast.register, exact.register, check_dtype=False)
    pd.testing.assert_frame_equal(fast.units, exact.units)
    assert fast.info == exact.info and fast.assignments == exact.assignments
    assert [p.format() for p in fast.warnings] == [p.format() for p in exact.warnings]


def test_fast_and_exact_readers_report_the_same_register_problems(tmp_path, monkeypatch, saved):
    sheets = reference_sheets()
    register = sheets["Hộ gia đình"]
    register[3][0] = None
    register[4][0] = register[5][0]
    register[6][2] = "Khu phố 99"
    register[7][3] = "giàu"
    register[8][1] = "  Nguyễn   Văn  Tèo "
    fast, exact = read_both(saved(write_workbook(tmp_path / "s.xlsx", sheets)), monkeypatch)
    assert isinstance(exact, list) and fast == exact


def test_rows_blank_in_the_register_columns_are_dropped_on_both_paths(tmp_path, monkeypatch, saved):
    """A numbered row (STT only, in a column the register does not read) or spaces alone under
    Mã hộ is no household, whichever reader read the sheet."""
    sheets = reference_sheets()
    register = sheets["Hộ gia đình"]
    width = len(register[0])
    register[0].append("STT")
    register.append([None] * width + [99])
    register.append(["   "] + [None] * (width - 1))
    fast, exact = read_both(saved(write_workbook(tmp_path / "s.xlsx", sheets)), monkeypatch)
    pd.testing.assert_frame_equal(fast.register, exact.register, check_dtype=False)
    assert [p.format() for p in fast.warnings] == [p.format() for p in exact.warnings]


def test_error_values_and_unsaved_formulas_are_reported_at_their_cell_on_both_paths(tmp_path, monkeypatch, saved):
    sheets = reference_sheets()
    register = sheets["Hộ gia đình"]
    register[2][0] = "#N/A"
    register[3][1] = "=B3&C3"  # openpyxl saves no value: an unsaved formula
    register[4][2] = "#REF!"
    fast, exact = read_both(saved(write_workbook(tmp_path / "s.xlsx", sheets)), monkeypatch)
    assert isinstance(exact, list) and fast == exact
    assert any("#N/A" in line for line in exact) and any("chưa có giá trị đã tính" in line for line in exact)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["crc", "deflate"])
def test_a_damaged_register_part_in_a_large_workbook_is_reported_as_damage(tmp_path, monkeypatch, capsys, compression):
    """Damage past the start of the part (which `check_file` reads) reaches the fast readers:
    they step aside, and openpyxl's reading names the damaged sheet."""
    sheets = reference_sheets()
    register = sheets["Hộ gia đình"]
    register += [[f"XX-{number:05d}", *register[1][1:]] for number in range(4000)]
    path = with_shared_strings(write_workbook(tmp_path / "s.xlsx", sheets), tmp_path / "shared.xlsx")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(damaged, "w", compression) as target:
        part = bigsheet.sheet_parts(source)["Hộ gia đình"]
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename), compress_type=compression)
    data = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as archive:
        info = archive.getinfo(part)
    late = info.header_offset + 30 + len(info.filename.encode()) + info.compress_size * 9 // 10
    data[late : late + 8] = b"\xff" * 8
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
    monkeypatch.setattr(bigsheet, "LARGE_SHEET", info.file_size)
    prepared = bigsheet.prepare(damaged)
    with zipfile.ZipFile(damaged) as archive:
        assert xlsxgrid.read_columns(archive, part, prepared.shared, [0, 1], 200) is None
    from povertyplan import cli

    code = cli.main(["--check", str(damaged)])
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.out + captured.err
    assert 'Sheet "Hộ gia đình" trong tệp "damaged.xlsx" bị hỏng, không đọc được.' in captured.err


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c r="XFD1048576"'), id="cell-at-the-last-column-and-row"),
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c r="AB3"'), id="cell-beyond-column-z"),
        pytest.param(lambda xml: xml.replace('<c r="D3"', "<c"), id="cell-without-reference"),
        pytest.param(lambda xml: xml.replace('<c r="D3"', '<c\tr="D3"'), id="reference-after-a-tab"),
    ],
)
@pytest.mark.parametrize("large_sheet", [0, 10**15], ids=["register-read-by-xlsxgrid", "register-read-by-openpyxl"])
def test_a_hostile_register_in_a_large_workbook_is_refused_or_read_never_crashes(tmp_path, edit, large_sheet):
    """xlsxgrid reads what it knows and leaves the rest to openpyxl, which refuses a cell beyond
    Excel's grid with a message."""
    path = write_workbook(tmp_path / "s.xlsx", reference_sheets())
    hostile = rewrite_sheet(path, tmp_path / "h.xlsx", "Hộ gia đình", edit)
    code = (
        "import sys; from povertyplan import cli; from povertyplan.read import bigsheet; bigsheet.FAST_READ_ABOVE "
        "= 0; bigsheet.LARGE_SHEET = int(sys.argv[2]); sys.exit(cli.main(['--check', sys.argv[1]]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(hostile), str(large_sheet)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr[-500:]
    assert "Traceback" not in done.stderr


def test_a_workbook_with_a_part_stored_twice_is_left_to_openpyxl(tmp_path, monkeypatch):
    path = with_shared_strings(write_workbook(tmp_path / "s.xlsx", reference_sheets()), tmp_path / "shared.xlsx")
    twice = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(twice, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with pytest.warns(UserWarning, match="Duplicate name"):
            target.writestr("xl/sharedStrings.xml", source.read("xl/sharedStrings.xml"))
    monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
    prepared = bigsheet.prepare(twice)
    assert prepared.shared is None and prepared.large == set()
