"""`xlsxgrid` reads a sheet's columns from its XML exactly as the exact reader shows the cells,
and refuses (None) any XML it does not know, leaving the sheet to openpyxl."""

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from povertyplan.read import bigsheet
from povertyplan.read.fast import xlsxgrid
from povertyplan.read.fast import xmlbytes
from povertyplan.read.fast.sharedstrings import read_shared_strings
from povertyplan.read.cells import is_unsaved_formula
from povertyplan.read.limits import MAX_COLUMNS
from povertyplan.read.xlsx import open_exact
from tests.builders import rewrite_sheet

SHEET = "Hộ gia đình"


def exact_text(value):
    """A cell of the exact (openpyxl) reader as `xlsxgrid` writes it: text, or None when blank."""
    if value is None:
        return None
    if is_unsaved_formula(value):
        return xlsxgrid.UNSAVED
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def exact_rows(path: Path) -> list[tuple[int, tuple]]:
    with open_exact(path) as source:
        return [(row, tuple(exact_text(value) for value in values)) for row, values in source.rows(SHEET)]


def grid_rows(path: Path, columns: int) -> list[tuple[int, tuple]] | None:
    with zipfile.ZipFile(path) as archive:
        part = bigsheet.sheet_parts(archive)[SHEET]
        shared = read_shared_strings(archive, bigsheet.shared_strings_part(archive))
        read = xlsxgrid.read_columns(archive, part, shared, list(range(columns)), MAX_COLUMNS)
    if read is None:
        return None
    table = [read.columns[column].to_pylist() for column in range(columns)]
    rows = []
    for at, row in enumerate(read.rows):
        values = [table[column][at] for column in range(columns)]
        while values and values[-1] is None:
            values.pop()
        rows.append((int(row), tuple(values)))
    return rows


def write(path: Path, rows: list[list]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def write_xml(path: Path, sheet_data: str, shared: list[str]) -> Path:
    """A minimal workbook as Excel writes one: the sheet's <sheetData> XML and the shared
    strings' <si> items given as they are (openpyxl itself writes inline strings only)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types '
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override '
        'PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet '
        f'name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="{_PACKAGE}"><Relationship Id="rId1" '
        f'Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><sheetData>{sheet_data}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{_MAIN}" count="{len(shared)}" '
        f'uniqueCount="{len(shared)}">{"".join(shared)}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def rewrite(path: Path, edit) -> Path:
    return rewrite_sheet(path, path.with_name("changed-" + path.name), SHEET, edit)


MIXED = [
    ["Mã hộ", "Họ tên", "Số", "Ghi chú"],
    ["DH-1", "  Nguyễn  Văn A ", 1970000, "a & b <c> \"d\" 'e'"],
    ["DH-2", "Lê Thị B", 4.5, True],
    [None, None, None, None],
    ["DH-3", "", 1e-7, False],
    [1234, "Trần C", "=C2*2", "#N/A"],
    ["DH-5", "line\nbreak", -3, "_x000D_ x"],
    [None, None, None, "only a note"],
    ["DH-7", "Phạm D", dt.date(2023, 1, 5), None],
]


def test_every_kind_of_cell_reads_as_the_exact_reader_shows_it(tmp_path):
    path = write(tmp_path / "m.xlsx", MIXED)
    expected = exact_rows(path)
    # Dates are the one knowing difference: the register has no date column, so the serial is kept.
    expected = [
        (row, tuple("44931" if isinstance(v, str) and v.startswith("2023-01-05") else v for v in values))
        for row, values in expected
    ]
    assert grid_rows(path, 4) == expected


def test_blocks_cut_anywhere_give_the_same_columns(tmp_path, monkeypatch):
    rows = [["Mã hộ", "Tên", "Số"]] + [[f"DH-{i}", f"Tên {i % 7}", i] for i in range(400)]
    path = write(tmp_path / "b.xlsx", rows)
    whole = grid_rows(path, 3)
    monkeypatch.setattr(xlsxgrid, "BLOCK_BYTES", 300)
    monkeypatch.setattr(xmlbytes, "SLICE_BYTES", 50)
    assert grid_rows(path, 3) == whole == exact_rows(path)


def test_only_the_wanted_columns_are_kept_but_every_filled_row_counts(tmp_path):
    path = write(tmp_path / "w.xlsx", [["A", "B", "C"], ["x", None, None], [None, None, "only C"], [None, "y", None]])
    with zipfile.ZipFile(path) as archive:
        shared = read_shared_strings(archive, bigsheet.shared_strings_part(archive))
        read = xlsxgrid.read_columns(archive, bigsheet.sheet_parts(archive)[SHEET], shared, [1], MAX_COLUMNS)
    assert list(read.rows) == [1, 2, 3, 4]
    assert list(read.columns) == [1] and read.columns[1].to_pylist() == ["B", None, None, "y"]


def test_formulas_with_a_saved_value_give_the_value(tmp_path):
    path = write(tmp_path / "f.xlsx", [["A", "B"], [2, "=A2*2"]])
    path = rewrite(
        path,
        lambda xml: xml.replace("<f>A2*2</f>", "<f>A2*2</f><v>4</v>").replace(
            "<f>A2*2</f><v></v>", "<f>A2*2</f><v>4</v>"
        ),
    )
    assert grid_rows(path, 2) == [(1, ("A", "B")), (2, ("2", "4"))]


EXCEL_ROWS = (
    '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" '
    't="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    '<row r="3"><c r="A3" s="2"><v>1970000</v></c><c r="B3" t="s"><v>4</v></c><c r="C3" t="b"><v>1</v></c><c '
    'r="D3" t="e"><v>#DIV/0!</v></c></row>'
    '<row r="4"><c r="A4" t="str"><f>A3&amp;"x"</f><v>a&amp;b</v></c><c r="B4"><f t="shared" ref="B4:B5" '
    'si="0">A3*2</f><v>3940000</v></c><c r="C4"><f>A3</f></c><c r="D4" t="s"><v>5</v></c></row>'
    '<row r="5"><c r="B5"><f t="shared" si="0"/><v>0.30000000000000004</v></c><c r="C5" s="3"/><c r="D5" '
    't="inlineStr"><is><t xml:space="preserve"> in &lt;line&gt; </t></is></c></row>'
)
EXCEL_SHARED = [
    "<si><t>Mã hộ</t></si>",
    '<si><r><rPr><b/></rPr><t xml:space="preserve">Khu </t></r><r><t>phố</t></r><rPh sb="0" eb="1"><t>X</t></rPh></si>',
    "<si><t>a &amp;lt; &#272;_x005F_x000D_</t></si>",
    "<si><t/></si>",
    '<si><t xml:space="preserve">  Nguyễn  Văn A </t></si>',
    "<si><t></t></si>",
]


def test_a_workbook_as_excel_writes_it_reads_as_the_exact_reader_shows_it(tmp_path):
    path = write_xml(tmp_path / "e.xlsx", EXCEL_ROWS, EXCEL_SHARED)
    assert (
        grid_rows(path, 4)
        == exact_rows(path)
        == [
            (1, ("Mã hộ", "Khu phố", "a &lt; Đ_x000D_")),
            (3, ("1970000", "  Nguyễn  Văn A ", "True", "#DIV/0!")),
            (4, ("a&b", "3940000", xlsxgrid.UNSAVED)),
            (5, (None, "0.30000000000000004", None, " in <line> ")),
        ]
    )


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda rows: rows.replace('<c r="B1" s="1" t="s">', '<c r="B1" t="s" s="1">'), id="type-before-style"
        ),
        pytest.param(lambda rows: rows.replace('<c r="B3" t="s">', '<c r="B3" t="s" cm="1">'), id="more-attributes"),
        pytest.param(lambda rows: rows.replace('<c r="C5" s="3"/>', '<c r="C5" s="3" />'), id="space-before-slash"),
        pytest.param(
            lambda rows: rows.replace("</c><c", "</c>\n  <c").replace("><v>", ">\n<v>"), id="line-breaks-between-tags"
        ),
    ],
)
def test_attributes_and_spacing_programs_vary_read_the_same(tmp_path, edit):
    path = write_xml(tmp_path / "v.xlsx", edit(EXCEL_ROWS), EXCEL_SHARED)
    assert (
        grid_rows(path, 4) == exact_rows(path) == grid_rows(write_xml(tmp_path / "e.xlsx", EXCEL_ROWS, EXCEL_SHARED), 4)
    )


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda xml: xml.replace('<c r="B2"', '<x:c r="B2"'), id="namespace-prefix"),
        pytest.param(lambda xml: xml.replace('<c r="B2"', '<!-- note --><c r="B2"'), id="comment"),
        pytest.param(lambda xml: xml.replace('<c r="B2"', '<c\tr="B2"'), id="reference-after-a-tab"),
        pytest.param(lambda xml: xml.replace('<c r="B2" t="s"', "<c r=\"B2\" t='s'"), id="single-quoted-type"),
        pytest.param(lambda xml: xml.replace('r="B2"', 'r="A2"'), id="cell-repeated"),
        pytest.param(lambda xml: xml.replace('<row r="3"', '<row r="1"'), id="row-going-back"),
        pytest.param(lambda xml: xml.replace('<row r="2"', '<row r="2000000"'), id="row-beyond-excel"),
        pytest.param(lambda xml: xml.replace('r="B2"', 'r="B20"'), id="reference-disagreeing-with-its-row"),
        pytest.param(lambda xml: xml.replace('r="B2"', 'r="XFE2"'), id="column-beyond-excel"),
        pytest.param(
            lambda xml: xml.replace('<c r="B2" t="s"><v>', '<c r="B2" t="s"><v>9'), id="shared-string-out-of-range"
        ),
    ],
)
def test_xml_it_does_not_know_is_left_to_the_exact_reader(tmp_path, edit):
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3"><v>1</v></c></row>'
    )
    path = write_xml(
        tmp_path / "o.xlsx", rows, ["<si><t>A</t></si>", "<si><t>B</t></si>", "<si><t>x</t></si>", "<si><t>y</t></si>"]
    )
    assert grid_rows(path, 2) == exact_rows(path)
    changed = rewrite(path, edit)
    assert changed.read_bytes() != path.read_bytes()
    assert grid_rows(changed, 2) is None


def test_a_long_shared_string_repeated_in_every_cell_is_left_to_openpyxl(tmp_path, monkeypatch):
    """Each cell would copy the string here (openpyxl shares it): past the budget, not ordinary."""
    long_text = "Khu phố " * 4000
    rows = "".join(
        f'<row r="{row}"><c r="A{row}" t="s"><v>0</v></c><c r="B{row}" t="s"><v>0</v></c></row>' for row in range(1, 41)
    )
    path = write_xml(tmp_path / "l.xlsx", rows, [f"<si><t>{long_text}</t></si>"])
    assert grid_rows(path, 2) == exact_rows(path)
    monkeypatch.setattr(xlsxgrid, "MAX_TEXT_BYTES", 79 * len(long_text.encode()))
    assert grid_rows(path, 2) is None


def test_columns_beyond_the_limit_are_ignored_as_the_exact_reader_ignores_them(tmp_path):
    path = write(tmp_path / "l.xlsx", [["A", "B"], ["x", "y"]])
    far = rewrite(
        path,
        lambda xml: xml.replace(
            "</row></sheetData>", '<c r="XFD2"><v>1</v></c></row><row r="3"><c r="XFD3"><v>2</v></c></row></sheetData>'
        ),
    )
    assert grid_rows(far, 2) == exact_rows(far) == [(1, ("A", "B")), (2, ("x", "y"))]


def test_the_header_rows_are_read_from_the_start_of_the_sheet(tmp_path):
    path = write(
        tmp_path / "h.xlsx", [["DANH SÁCH HỘ"], [], ["Mã hộ", "Tên", 2025]] + [[f"DH-{i}", "Tên", i] for i in range(50)]
    )
    with zipfile.ZipFile(path) as archive:
        shared = read_shared_strings(archive, bigsheet.shared_strings_part(archive))
        head = xlsxgrid.first_rows(archive, bigsheet.sheet_parts(archive)[SHEET], shared, 3, MAX_COLUMNS)
    assert head == [(1, ("DANH SÁCH HỘ",)), (3, ("Mã hộ", "Tên", "2025")), (4, ("DH-0", "Tên", "0"))]


_PIECES = [
    "<",
    ">",
    '"',
    "/",
    " ",
    "\n",
    "'",
    "=",
    "9",
    "Z",
    "&amp;",
    "&#",
    '<c r="A9">',
    '<c r="A0">',
    '<c r="XFD1">',
    "<v>",
    "</v>",
    "<v/>",
    '<row r="7">',
    '<row r="0">',
    "</row>",
    "<f>",
    "</c>",
    ' t="s"',
    ' s="1"',
    "<is><t>",
    "<t/>",
    "<r>",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, len(EXCEL_ROWS) - 1), st.integers(0, 5), st.sampled_from(_PIECES)),
        min_size=1,
        max_size=4,
    )
)
def test_any_damage_to_the_xml_reads_or_is_left_to_openpyxl_never_crashes(tmp_path, edits):
    """Cutting and inserting markup anywhere: the reader returns columns or None, nothing else."""
    text = EXCEL_ROWS
    for at, cut, piece in edits:
        text = text[:at] + piece + text[at + cut :]
    path = write_xml(tmp_path / "d.xlsx", text, EXCEL_SHARED)
    with zipfile.ZipFile(path) as archive:
        shared = read_shared_strings(archive, "xl/sharedStrings.xml")
        read = xlsxgrid.read_columns(archive, "xl/worksheets/sheet1.xml", shared, [0, 1, 2, 3], MAX_COLUMNS)
        head = xlsxgrid.first_rows(archive, "xl/worksheets/sheet1.xml", shared, 30, MAX_COLUMNS)
    assert read is None or all(len(column) == len(read.rows) for column in read.columns.values())
    assert head is None or all(isinstance(row, int) for row, _ in head)


def test_the_shared_strings_are_found_where_openpyxl_finds_them(tmp_path):
    """In [Content_Types].xml, not in the workbook's relationships: openpyxl is given the strings
    it would have read itself."""
    path = write_xml(tmp_path / "s.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ["<si><t>x</t></si>"])
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(moved, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            name = "xl/strings.xml" if item.filename == "xl/sharedStrings.xml" else item.filename
            target.writestr(
                name,
                data.replace(b"/xl/sharedStrings.xml", b"/xl/strings.xml") if name == "[Content_Types].xml" else data,
            )
    with zipfile.ZipFile(moved) as archive:
        assert bigsheet.shared_strings_part(archive) == "xl/strings.xml"
    assert exact_rows(moved) == grid_rows(moved, 1) == [(1, ("x",))]


def test_a_formula_saved_with_an_empty_value_is_blank_as_text_and_unsaved_otherwise(tmp_path):
    """openpyxl gives no value for ``<v/>``; `xlsx.CellParser` marks it unsaved unless the cell
    is text (t="str": Excel saving a formula whose result is empty text)."""
    rows = (
        '<row r="1"><c r="A1" t="str"><f>B1</f><v/></c><c r="B1"><f>1/0</f><v/></c>'
        '<c r="C1" t="str"><f>C2</f><v></v></c><c r="D1" t="str"><f>D2</f></c></row><row r="2"><c '
        'r="A2"><v>1</v></c></row>'
    )
    path = write_xml(tmp_path / "f.xlsx", rows, [])
    assert (
        grid_rows(path, 4) == exact_rows(path) == [(1, (None, xlsxgrid.UNSAVED, None, xlsxgrid.UNSAVED)), (2, ("1",))]
    )


def test_the_first_rows_are_found_past_a_first_row_longer_than_the_head(tmp_path, monkeypatch):
    path = write(tmp_path / "w.xlsx", [["x" * 50] * 40, ["Mã hộ", "Tên"], ["DH-1", "A"]])
    monkeypatch.setattr(xlsxgrid, "HEAD_BYTES", 100)
    with zipfile.ZipFile(path) as archive:
        shared = read_shared_strings(archive, bigsheet.shared_strings_part(archive))
        head = xlsxgrid.first_rows(archive, bigsheet.sheet_parts(archive)[SHEET], shared, 3, MAX_COLUMNS)
    assert [row for row, _ in head] == [1, 2, 3] and head[2][1] == ("DH-1", "A")


def test_a_reference_written_after_the_other_attributes_reads_the_same(tmp_path):
    """As an old Google Sheets export writes cells: <c t="s" s="1" r="A1">."""
    moved = EXCEL_ROWS.replace('<c r="B1" s="1" t="s">', '<c t="s" s="1" r="B1">').replace(
        '<c r="C3" t="b">', '<c t="b" r="C3">'
    )
    path = write_xml(tmp_path / "g.xlsx", moved, EXCEL_SHARED)
    assert (
        grid_rows(path, 4) == exact_rows(path) == grid_rows(write_xml(tmp_path / "e.xlsx", EXCEL_ROWS, EXCEL_SHARED), 4)
    )


@pytest.mark.parametrize("block_bytes", [xmlbytes.BLOCK_BYTES, 60], ids=["one-block", "blocks-of-a-row-or-two"])
def test_rows_and_cells_without_numbers_count_on_as_openpyxl_counts_them(tmp_path, monkeypatch, block_bytes):
    """As programs built on the Open XML SDK may write them: <row> without r, <c> without r."""
    rows = (
        '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row/><row><c><v>1</v></c><c '
        'r="D3"><v>2</v></c><c><v>3</v></c></row>'
        '<row r="7"><c r="B7"><v>4</v></c><c><v>5</v></c></row><row><c '
        't="s"><v>1</v></c></row><row><c/><c><v>6</v></c></row>'
    )
    path = write_xml(tmp_path / "n.xlsx", rows, ["<si><t>A</t></si>", "<si><t>B</t></si>"])
    monkeypatch.setattr(xlsxgrid, "BLOCK_BYTES", block_bytes)
    assert (
        grid_rows(path, 6)
        == exact_rows(path)
        == [(1, ("A", "B")), (3, ("1", None, None, "2", "3")), (7, (None, "4", "5")), (8, ("B",)), (9, (None, "6"))]
    )


def test_a_cell_takes_its_text_where_its_type_says_as_openpyxl_does(tmp_path):
    """Type inlineStr: the text of <is> only (an old LibreOffice wrote it in <v>); any other
    type: <v> only."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><f>X1</f><v>in v</v></c><c r="B1" t="inlineStr"><f>X2</f></c>'
        '<c r="C1" t="s"><is><t>in is</t></is></c><c r="D1" t="inlineStr"><is><t>ok</t></is></c></row>'
    )
    path = write_xml(tmp_path / "i.xlsx", rows, [])
    assert grid_rows(path, 4) == exact_rows(path) == [(1, (None, xlsxgrid.UNSAVED, None, "ok"))]
