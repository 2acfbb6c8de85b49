"""The private parts of openpyxl the reader relies on (read/xlsx.py: `_openpyxl`, `_cell_parser`)
still behave as it expects. An openpyxl upgrade that changes them fails here, loudly, instead of
silently slowing the reader down or losing the marks of unsaved formulas."""

from __future__ import annotations

import datetime as dt
import inspect
import zipfile

import openpyxl
import pytest
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from povertyplan.read.cells import UNSAVED_FORMULA
from povertyplan.read.stylesheet import STYLES_PART
from povertyplan.read.xlsx import _openpyxl, open_exact


@pytest.fixture
def workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "S"
    sheet.append(["chữ", 7, dt.datetime(2023, 3, 5)])
    sheet.append(["=1+1", "chữ"])
    sheet["A2"] = "=1+1"  # openpyxl saves no value for it, as a program that does not calculate
    path = tmp_path / "w.xlsx"
    book.save(path)
    return path


def test_a_read_only_sheet_still_probes_its_size_through_the_method_the_reader_overrides(monkeypatch):
    def probe(self):
        raise AssertionError("probed")

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_size", probe)
    with pytest.raises(AssertionError, match="probed"):
        ReadOnlyWorksheet(openpyxl.Workbook(), "S", "xl/worksheets/sheet1.xml", [])


def test_the_reader_skips_the_size_probe(monkeypatch, workbook):
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_size", lambda self: (_ for _ in ()).throw(AssertionError("probed")))
    with open_exact(workbook) as source:
        assert [number for number, _ in source.rows("S")] == [1, 2]


def test_openpyxl_still_reads_strings_and_sheets_through_the_hooks_the_reader_overrides():
    source = inspect.getsource(ExcelReader.read)
    assert "self.read_strings()" in source and "self.read_worksheets()" in source


def test_openpyxl_still_reads_the_stylesheet_from_the_part_the_reader_replaces_through_read():
    from openpyxl.reader.excel import apply_stylesheet
    from openpyxl.xml.constants import ARC_STYLE

    assert ARC_STYLE == STYLES_PART
    assert "archive.read(ARC_STYLE)" in inspect.getsource(apply_stylesheet)
    assert "apply_stylesheet(self.archive, self.wb)" in inspect.getsource(ExcelReader.read)


def test_shared_strings_given_to_the_reader_are_the_ones_its_cells_use(tmp_path):
    path = shared_strings_workbook(tmp_path / "s.xlsx", ["chữ", "số"])
    with open_exact(path) as source:
        assert dict(source.rows("S")) == {1: ("chữ", "số")}
    with open_exact(path, shared_strings=["một", "hai"]) as source:
        assert dict(source.rows("S")) == {1: ("một", "hai")}


def shared_strings_workbook(path, strings):
    """A minimal package whose sheet S holds `strings` as shared strings in row 1 (openpyxl
    itself writes inline strings)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(strings)))
    parts = {
        "[Content_Types].xml": f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{types}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{types}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{types}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}">'
        '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}">'
        f'<sheetData><row r="1">{cells}</row></sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>",
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return path


def test_cells_keep_their_values_types_and_dates_through_the_reader_s_parser(workbook):
    with open_exact(workbook) as source:
        rows = dict(source.rows("S"))
    assert rows[1] == ("chữ", 7, dt.datetime(2023, 3, 5))


def test_a_formula_without_a_saved_value_is_marked(workbook):
    with open_exact(workbook) as source:
        assert dict(source.rows("S"))[2][0] == UNSAVED_FORMULA


def test_the_cell_parser_takes_the_arguments_the_reader_passes():
    parameters = inspect.signature(WorkSheetParser.__init__).parameters
    assert {"src", "shared_strings", "data_only", "epoch", "date_formats", "timedelta_formats"} <= set(parameters)
    book = openpyxl.load_workbook(_saved_empty(), read_only=True)
    assert isinstance(book._date_formats, set) and isinstance(book._timedelta_formats, set)
    assert hasattr(book.worksheets[0], "_get_source") and hasattr(book.worksheets[0], "_shared_strings")


def test_the_adapted_reader_classes_build(workbook):
    reader, parser = _openpyxl()
    assert issubclass(reader, ExcelReader) and issubclass(parser, WorkSheetParser)


def _saved_empty():
    import io

    saved = io.BytesIO()
    openpyxl.Workbook().save(saved)
    saved.seek(0)
    return saved


def test_the_workbook_s_fonts_and_cell_styles_are_where_the_encoding_finder_reads_them(tmp_path):
    from openpyxl.styles import Font

    from povertyplan.read.xlsx import _legacy_fonts

    book = openpyxl.Workbook()
    book.active["A1"] = "Th«n 1"
    book.active["A1"].font = Font(name=".VnTime")
    path = tmp_path / "f.xlsx"
    book.save(path)
    loaded = openpyxl.load_workbook(path, read_only=True)
    assert ".VnTime" in [font.name for font in loaded._fonts]
    assert all(hasattr(style, "fontId") for style in loaded._cell_styles)
    assert "tcvn3" in {encoding.lower() for encoding in map(str, _legacy_fonts(loaded).values())}
