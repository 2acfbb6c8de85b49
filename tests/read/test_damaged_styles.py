"""A workbook whose stylesheet openpyxl refuses is read anyway, with one warning; a workbook whose
bytes fail their checksum is refused with its own message.

Each stylesheet below is broken the way a real program breaks it (files of xlsx-populate, ClosedXML,
SheetJS and Apache POI's tests that calamine opens and openpyxl refused; kept outside the
repository, see tests/read/differential.py). Workbooks are built in tmp_path from the reference data.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from povertyplan import api
from povertyplan.errors import WARNING, WorkbookInvalid
from povertyplan.messages import say
from povertyplan.read import xlsx
from povertyplan.read.stylesheet import minimal_stylesheet
from povertyplan.validate.workbook import read_workbook
from tests.builders import reference_sheets, write_workbook
from tests.legacy_builders import everywhere, write_typed_workbook
from tests.paths import FIXTURES
from tests.read.test_files import check_lines, rewrite, sheet_part

STYLES = "xl/styles.xml"
# How each program's stylesheet breaks openpyxl (openpyxl writes the stylesheet these edit).
BREAKS = {
    # xlsx-populate: an empty <fill/> ("expected <class 'openpyxl.styles.fills.Fill'>")
    "xlsx-populate-empty-fill": lambda xml: xml.replace(b'<fills count="2">', b'<fills count="3"><fill/>', 1),
    # ClosedXML: a colour that is no aRGB value ("Colors must be aRGB hex values")
    "closedxml-colour": lambda xml: xml.replace(b'<color theme="1"/>', b'<color rgb="FED+"/>', 1),
    # SheetJS: a named cell style whose cell format is missing (IndexError, and a line printed)
    "sheetjs-no-cell-style-formats": lambda xml: re.sub(rb"<cellStyleXfs.*?</cellStyleXfs>", b"", xml),
    # Apache POI: an attribute of its own on a named cell style (TypeError)
    "poi-unknown-attribute": lambda xml: xml.replace(b"<cellStyle ", b'<cellStyle ZMIENNA_contentFontsCount="1" ', 1),
    # Apache POI: a named cell style without a name (TypeError)
    "poi-nameless-style": lambda xml: xml.replace(b'<cellStyle name="Normal" ', b"<cellStyle ", 1),
}
WARNED = say("read.styles_repaired", name="so-lieu.xlsx")


def broken(path: Path, how: str) -> Path:
    """The workbook at `path` with its stylesheet broken as `BREAKS[how]` does (in place)."""
    return rewrite(path, {STYLES: BREAKS[how]})


def apart(problems) -> tuple[list, list]:
    """(the problems other than the stylesheet's warning, the texts of the stylesheet's warnings)."""
    return [p for p in problems if p.code != "styles_repaired"], [
        p.text for p in problems if p.code == "styles_repaired"
    ]


def plan_text(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [paragraph.text for paragraph in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]


def all_rows(path: Path) -> dict[str, list]:
    with xlsx.open_exact(path) as source:
        return {name: list(source.rows(name)) for name in source.sheet_names}


@pytest.mark.parametrize("how", BREAKS)
def test_each_broken_stylesheet_is_one_openpyxl_refuses(tmp_path, how):
    path = broken(write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets()), how)
    with pytest.raises(Exception):
        openpyxl.load_workbook(path, read_only=True)


@pytest.mark.parametrize("how", BREAKS)
def test_a_workbook_whose_stylesheet_openpyxl_refuses_gives_the_plan_of_the_sound_workbook(tmp_path, how):
    clean = write_workbook(tmp_path / "clean.xlsx", reference_sheets())
    damaged = broken(write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets()), how)
    expected = api.generate(clean, tmp_path / "clean-plan")
    result = api.generate(damaged, tmp_path / "plan")
    assert result.output.name == expected.output.name
    assert plan_text(result.output) == plan_text(expected.output)
    assert [problem.text for problem in result.warnings] == [WARNED]
    assert result.warnings[0].severity == WARNING and result.warnings[0].sheet is None


@pytest.mark.parametrize("how", BREAKS)
def test_every_cell_reads_as_in_the_sound_workbook_dates_as_dates(tmp_path, how):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][2][2] = "#DIV/0!"  # openpyxl writes these as an error value
    sheets["Chỉ tiêu"][3][2] = "=1+1"  # and as a formula without a saved value
    clean = write_workbook(tmp_path / "clean.xlsx", sheets)
    damaged = broken(write_workbook(tmp_path / "so-lieu.xlsx", sheets), how)
    rows = all_rows(damaged)
    assert rows == all_rows(clean)
    assert any(type(value).__name__ == "datetime" for _, values in rows["Thông tin chung"] for value in values)


def test_errors_and_unsaved_formulas_are_still_reported_at_their_cells(tmp_path):
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][2][2] = "#DIV/0!"
    sheets["Chỉ tiêu"][3][2] = "=1+1"
    clean = write_workbook(tmp_path / "clean.xlsx", sheets)
    damaged = broken(write_workbook(tmp_path / "so-lieu.xlsx", sheets), "xlsx-populate-empty-fill")
    with pytest.raises(WorkbookInvalid) as sound:
        read_workbook(clean)
    with pytest.raises(WorkbookInvalid) as read_anyway:
        read_workbook(damaged)
    assert apart(read_anyway.value.problems) == (sound.value.problems, [WARNED])
    assert {(problem.sheet, problem.row) for problem in sound.value.problems if problem.is_error} >= {
        ("Chỉ tiêu", 3),
        ("Chỉ tiêu", 4),
    }


def test_text_in_an_old_font_is_still_converted_by_its_font(tmp_path):
    sheets = reference_sheets()
    clean = write_typed_workbook(tmp_path / "clean.xlsx", sheets, everywhere(".VnTime"))
    damaged = broken(write_typed_workbook(tmp_path / "so-lieu.xlsx", sheets, everywhere(".VnTime")), "closedxml-colour")
    sound, read_anyway = api.check(clean), api.check(damaged)
    assert read_anyway.workbook.info == sound.workbook.info
    assert apart(read_anyway.workbook.warnings) == (list(sound.workbook.warnings), [WARNED])
    assert any("TCVN3" in problem.text for problem in sound.workbook.warnings)  # converted by the cells' font


def test_the_check_prints_the_warning_once_and_no_line_of_openpyxls(tmp_path, capsys):
    path = broken(write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets()), "sheetjs-no-cell-style-formats")
    code, out = check_lines(capsys, path)
    assert code == 0
    assert out.count(WARNED) == 1
    assert "out of range" not in out


def test_a_stylesheet_that_is_not_xml_leaves_the_workbook_damaged(tmp_path, capsys):
    path = rewrite(write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets()), {STYLES: lambda xml: xml[:-40]})
    code, out = check_lines(capsys, path)
    assert code == 1
    assert say("read.invalid", name="so-lieu.xlsx") in out and WARNED not in out


def test_damage_elsewhere_is_not_hidden_by_cutting_the_stylesheet_down(tmp_path, capsys):
    path = write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets())
    rewrite(path, {"xl/workbook.xml": lambda xml: xml.replace(b"<sheets>", b"<sheets><sheet/>", 1)})
    broken(path, "poi-nameless-style")
    code, out = check_lines(capsys, path)
    assert code == 1
    assert say("read.invalid", name="so-lieu.xlsx") in out and WARNED not in out


# --- the minimal stylesheet ----------------------------------------------------------------------


def test_the_minimal_stylesheet_keeps_number_formats_fonts_and_cell_formats_only():
    xml = (
        b'<x:styleSheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:numFmts count="2"><x:numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><x:numFmt numFmtId="x"/></x:numFmts>'
        b'<x:fonts count="2"><x:font><x:color rgb="0"/><x:name val=".VnTime"/></x:font><x:font/></x:fonts>'
        b'<x:fills count="1"><x:fill/></x:fills>'
        b'<x:cellXfs count="3"><x:xf numFmtId="164" fontId="1"/><x:xf numFmtId="bad" fontId="-1"/><x:xf/></x:cellXfs>'
        b'<x:dxfs count="1"><x:dxf><x:numFmt numFmtId="200" formatCode="0.0"/>'
        b'<x:font><x:name val="Arial"/></x:font></x:dxf></x:dxfs>'
        b"</x:styleSheet>"
    )
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    root = ET.fromstring(minimal_stylesheet(xml))
    assert [(e.get("numFmtId"), e.get("formatCode")) for e in root.iter(f"{main}numFmt")] == [("164", "dd/mm/yyyy")]
    assert [[n.get("val") for n in font] for font in root.iter(f"{main}font")] == [[".VnTime"], []]
    assert [(e.get("numFmtId"), e.get("fontId")) for e in root.find(f"{main}cellXfs")] == [
        ("164", "1"),
        ("0", "0"),
        ("0", "0"),
    ]


WORKBOOKS = [
    path
    for path in sorted(FIXTURES.glob("*.xlsx")) + sorted((FIXTURES / "corpus").glob("*.xlsx"))
    if zipfile.is_zipfile(path)
]


@pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on the files' odd parts, in its own words
@pytest.mark.parametrize("path", WORKBOOKS, ids=[path.name for path in WORKBOOKS])
def test_cutting_a_stylesheet_down_changes_no_value_openpyxl_reads(tmp_path, path):
    """Dates (XlsxWriter, LibreOffice), text converted by its old font (TCVN3, VNI), error values."""
    with zipfile.ZipFile(path) as archive:
        if STYLES not in archive.namelist():
            pytest.skip("no stylesheet")
    cut = rewrite(Path(shutil.copy(path, tmp_path / path.name)), {STYLES: minimal_stylesheet})
    assert all_rows(cut) == all_rows(path)


def test_no_minimal_stylesheet_comes_of_text_that_is_not_xml():
    assert minimal_stylesheet(b"<styleSheet><numFmts>") is None
    assert minimal_stylesheet(b'<!DOCTYPE s [<!ENTITY e "x">]><styleSheet/>') is None


# --- a checksum that fails -----------------------------------------------------------------------


def with_a_figure_changed(path: Path, part: str, old: bytes, new: bytes) -> Path:
    """The workbook stored uncompressed, then `old` in `part` changed to `new` in the file's bytes
    without its checksum: what a bad copy does (calamine, which skips the check, reads `new`)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    assert old in parts[part]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    data = path.read_bytes()
    assert data.count(old) == 1 and len(old) == len(new)
    path.write_bytes(data.replace(old, new))
    return path


# A count of "Chỉ tiêu" (a small part: its bytes are all read, and checked, before anything is
# parsed), and the unit of the register's first household (a part read, and checked, as the
# register is read, once its start was checked for a DTD).
CHANGES = {
    "found-by-the-first-check": ("Chỉ tiêu", b"<v>237</v>", b"<v>238</v>"),
    "found-while-reading": (
        "Hộ gia đình",
        b'<c r="C2" t="inlineStr"><is><t>Khu ph&#7889; 1<',
        b'<c r="C2" t="inlineStr"><is><t>Khu ph&#7889; 2<',
    ),
}


@pytest.mark.parametrize("sheet, old, new", CHANGES.values(), ids=CHANGES)
def test_a_figure_whose_checksum_fails_is_refused_with_its_own_message(tmp_path, capsys, monkeypatch, sheet, old, new):
    monkeypatch.setattr(xlsx, "PROLOG_BYTES", 64)  # zipfile reads (and checks) a 4 KB part whole anyway
    path = write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets())
    with_a_figure_changed(path, sheet_part(path, sheet), old, new)
    code, out = check_lines(capsys, path)
    assert code == 1
    assert f"Lỗi: {say('read.checksum_mismatch', name='so-lieu.xlsx')}" in out
    assert "Traceback" not in out


def test_a_stylesheet_whose_checksum_fails_is_not_read_past(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(xlsx, "PROLOG_BYTES", 64)
    path = write_workbook(tmp_path / "so-lieu.xlsx", reference_sheets())
    rewrite(path, {STYLES: lambda xml: xml.replace(b"</styleSheet>", b" " * 8192 + b"</styleSheet>")})  # past 4 KB
    with_a_figure_changed(
        path, STYLES, b'numFmtId="164" formatCode="yyyy-mm-dd"', b'numFmtId="164" formatCode="yyyy-mm-dx"'
    )
    code, out = check_lines(capsys, path)
    assert code == 1
    assert say("read.checksum_mismatch", name="so-lieu.xlsx") in out and WARNED not in out
