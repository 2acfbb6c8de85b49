"""Round-trip tests of the Nghị định 30 layout: write a plan, reopen it with python-docx, assert."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.paths import GOLDEN
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from povertyplan.compose.document import Paragraph, PlanDocument, Run, Table
from povertyplan.render.layout import write_docx

TARGET = Table(
    name="chi_tieu",
    header=(
        "TT",
        "Đơn vị",
        "Số hộ",
        "Hộ nghèo đầu năm",
        "Tỷ lệ (%)",
        "Chỉ tiêu giảm hộ nghèo",
        "Dự kiến hộ nghèo cuối năm",
        "Dự kiến tỷ lệ cuối năm (%)",
    ),
    rows=tuple((str(i), f"Khu phố {i}", str(200 + i), "2", "1,00", "1", "1", "0,50") for i in range(1, 11)),
    widths_mm=(10, 27, 17, 22, 17, 24, 24, 24),
    align=("center", "left", "right", "right", "right", "right", "right", "right"),
    total=("", "Cộng", "2.055", "20", "0,97", "10", "10", "0,49"),
)
ASSIGNMENT = Table(
    name="phan_cong",
    header=("TT", "Họ và tên", "Chức vụ", "Phụ trách địa bàn"),
    rows=(
        ("1", "Nguyễn Thị Huệ", "Chủ tịch MTTQ", "Khu phố 9 + 4"),
        ("2", "Tống Thị Thảo", "Chủ tịch Hội PN", "Khu phố 3"),
    ),
    widths_mm=(10, 48, 52, 55),
    align=("center", "left", "left", "left"),
)
PLAN = PlanDocument(
    agency_lines=("ỦY BAN NHÂN DÂN", "PHƯỜNG BẮC SƠN"),
    number_line="Số: 05/KH-UBND",
    place_date="Bắc Sơn, ngày 05 tháng 3 năm 2023",
    title="KẾ HOẠCH",
    summary="Thực hiện công tác giảm nghèo bền vững năm 2023 trên địa bàn phường Bắc Sơn",
    body=(
        Paragraph((Run("UBND phường Bắc Sơn ban hành Kế hoạch với những nội dung sau:"),)),
        Paragraph((Run("I. MỤC ĐÍCH, YÊU CẦU"),), kind="heading1"),
        Paragraph((Run("1. Mục đích"),), kind="heading2"),
        Paragraph(
            (
                Run("Mục tiêu cụ thể: ", bold=True),
                Run("giảm từ 8 hộ nghèo trở lên "),
                Run("(theo chuẩn nghèo giai đoạn 2022 - 2025)", italic=True),
                Run("."),
            )
        ),
        Paragraph((Run("* Chỉ tiêu giao giảm nghèo các khu phố như sau:"),)),
        TARGET,
        Paragraph((Run("* Phân công nhiệm vụ cho các thành viên BCĐ:"),)),
        ASSIGNMENT,
        Paragraph((Run("Thực hiện công tác giảm nghèo năm 2023./."),)),
    ),
    recipients=("- Phòng LĐ-TB&XH thị xã (b/c);", "- Thành viên BCĐ;", "- Lưu: VT."),
    authority_lines=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    signer="Nguyễn Văn Trường",
)
# Text python-docx treats specially (spaces kept, tabs, line breaks, XML metacharacters, empty
# runs and cells, characters outside the BMP), empty header and closing lines, another language,
# and tables that touch: every path of the writer in one plan.
EDGE_PARAGRAPH = Paragraph(
    (
        Run(" lead & <trail> \"q\" 'a' "),
        Run("", bold=True),
        Run("tab\there\nnew\rline", italic=True),
        Run("\xa0nbsp\u2003", bold=True, italic=True),
        Run("]]> é ệ 𝐀"),
    )
)
EDGE_TABLE = Table(
    "edge",
    ("A & B", " <h> ", ""),
    (("", " x ", "t\tab"), ("1", "", "a\nb")),
    (55, 55, 55),
    ("left", "center", "right"),
    ("", "Σ", "&amp;"),
)
EDGE_PLAN = dataclasses.replace(
    PLAN,
    agency_lines=(),
    number_line="",
    place_date=" ",
    summary="a & <b>",
    recipients=(),
    authority_lines=("",),
    signer="",
    language="en-US",
    body=(
        EDGE_PARAGRAPH,
        Paragraph((), kind="heading1"),
        EDGE_TABLE,
        Paragraph((Run("x"),), kind="heading2"),
        EDGE_TABLE,
        EDGE_TABLE,
        Paragraph((Run("y"),)),
    ),
)
# One row over KEEP_WHOLE_MAX_ROWS: a table that may split, so no row is kept with the next.
SPLITTABLE_PLAN = dataclasses.replace(
    PLAN,
    body=(
        Paragraph((Run("* Danh sách:"),)),
        Table(
            "dai",
            ("TT", "Hộ", "Ghi chú"),
            tuple((str(i), f"Hộ {i}", "mới" if i % 3 else "") for i in range(1, 17)),
            (15, 100, 50),
            ("center", "left", "right"),
            ("", "Cộng", "16"),
        ),
        Paragraph((Run("Hết./."),)),
    ),
)


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "ke-hoach.docx"
    write_docx(PLAN, path)
    return path


@pytest.fixture(scope="module")
def doc(docx_path):
    return Document(str(docx_path))


def tables(doc):
    """Return the header, target, assignment and closing tables, in document order."""
    header, target, assignment, closing = doc.tables
    return header, target, assignment, closing


def body_paragraph(doc, starts_with: str):
    return next(p for p in doc.paragraphs if p.text.startswith(starts_with))


def nonempty(paragraphs):
    return [p for p in paragraphs if p.text]


def run_size(run, paragraph):
    return run.font.size or paragraph.style.font.size


# -- page and fonts ------------------------------------------------------------------------------


def test_page_is_a4_portrait_with_nd30_margins(doc):
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [m.mm for m in margins] == pytest.approx([20, 20, 30, 15], abs=0.1)
    assert 8 <= section.header_distance.mm <= 12


@pytest.mark.parametrize("style_name", ["Normal", "Header", "Normal Table"])
def test_styles_use_times_new_roman_for_every_script_without_theme_fonts(doc, style_name):
    fonts = doc.styles[style_name].element.rPr.rFonts
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{script}")) == "Times New Roman"
    assert not [name for name in fonts.attrib if "Theme" in name or "theme" in name]


def test_document_defaults_are_times_new_roman_black_and_vietnamese(doc):
    r_pr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert r_pr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert r_pr.rFonts.get(qn("w:asciiTheme")) is None
    assert r_pr.find(qn("w:color")).get(qn("w:val")) == "000000"
    assert r_pr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert doc.styles["Normal"].font.size == Pt(14)


def test_document_starts_with_the_header_table(doc):
    first = doc.element.body[0]
    assert first.tag == qn("w:tbl")


def test_core_properties_carry_the_summary_and_no_author(doc):
    properties = doc.core_properties
    assert properties.title == PLAN.summary
    assert properties.language == "vi-VN"
    assert properties.author == "" and properties.last_modified_by == ""
    assert "python-docx" not in properties.comments


def test_write_accepts_a_binary_file_object():
    buffer = io.BytesIO()
    write_docx(PLAN, buffer)
    buffer.seek(0)
    assert Document(buffer).tables[0].rows[0].cells[0].paragraphs[0].text == "ỦY BAN NHÂN DÂN"


# -- header and title ----------------------------------------------------------------------------


def test_agency_lines_are_bold_13pt_centred(doc):
    agency = nonempty(tables(doc)[0].rows[0].cells[0].paragraphs)
    assert [p.text for p in agency] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG BẮC SƠN"]
    for paragraph in agency:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.font.bold and r.font.size == Pt(13) for r in paragraph.runs)


def test_national_title_and_motto_are_bold_with_motto_one_size_larger(doc):
    title, motto = nonempty(tables(doc)[0].rows[0].cells[1].paragraphs)
    assert (title.text, motto.text) == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert title.runs[0].font.bold and motto.runs[0].font.bold
    assert motto.runs[0].font.size.pt == title.runs[0].font.size.pt + 1
    assert title.runs[0].font.size.pt in (12, 13)


def test_rules_are_short_centred_bottom_borders_not_underscores(doc):
    header = tables(doc)[0]
    rules = [p for cell in header.rows[0].cells for p in cell.paragraphs if _bottom_border(p)]
    rules += [p for p in doc.paragraphs if _bottom_border(p)]
    assert len(rules) == 3  # agency, motto, summary
    for rule in rules:
        assert rule.text == ""
        assert rule.paragraph_format.left_indent == rule.paragraph_format.right_indent
        assert rule.paragraph_format.left_indent > 0
    assert not any("___" in p.text for p in doc.paragraphs)


def test_agency_rule_is_a_third_to_a_half_of_the_agency_name(doc):
    agency_cell = tables(doc)[0].rows[0].cells[0]
    rule = next(p for p in agency_cell.paragraphs if _bottom_border(p))
    line_mm = 65 - 2 * rule.paragraph_format.left_indent.mm
    assert 43 / 3 <= line_mm <= 43 / 2  # "ỦY BAN NHÂN DÂN" is about 43 mm at 13 pt bold


def test_number_and_date_share_the_second_header_row_and_the_date_is_italic(doc):
    number_cell, date_cell = tables(doc)[0].rows[1].cells
    (number,), (date,) = nonempty(number_cell.paragraphs), nonempty(date_cell.paragraphs)
    assert number.text == PLAN.number_line and date.text == PLAN.place_date
    assert number.runs[0].font.size == Pt(13) and not number.runs[0].font.italic
    assert date.runs[0].font.italic and date.runs[0].font.size == Pt(14)
    assert number.alignment == date.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_header_columns_have_fixed_widths_adding_up_to_the_text_width(doc):
    header = tables(doc)[0]
    assert header._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [c.width.mm for c in header.columns] == pytest.approx([65, 100], abs=0.1)
    assert all(cell.width is not None for row in header.rows for cell in row.cells)


def test_title_and_summary_are_bold_centred_14pt(doc):
    title = body_paragraph(doc, "KẾ HOẠCH")
    summary = body_paragraph(doc, "Thực hiện công tác giảm nghèo")
    for paragraph in (title, summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.font.bold and r.font.size == Pt(14) for r in paragraph.runs)
    assert title.paragraph_format.space_before > 0


# -- body ------------------------------------------------------------------------------------------


def test_body_paragraph_is_14pt_justified_with_first_line_indent_and_115_spacing(doc):
    paragraph = body_paragraph(doc, "UBND phường Bắc Sơn ban hành")
    fmt = paragraph.paragraph_format
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent == Cm(1.27)
    assert (fmt.space_before, fmt.space_after, fmt.line_spacing) == (Pt(0), Pt(6), 1.15)
    assert all(run_size(r, paragraph) == Pt(14) for r in paragraph.runs)


@pytest.mark.parametrize("text", ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích"])
def test_headings_are_bold_indented_and_keep_with_next(doc, text):
    paragraph = body_paragraph(doc, text)
    assert all(r.font.bold for r in paragraph.runs)
    assert paragraph.paragraph_format.keep_with_next
    assert paragraph.paragraph_format.first_line_indent == Cm(1.27)


def test_inline_bold_and_italic_runs_are_kept(doc):
    runs = body_paragraph(doc, "Mục tiêu cụ thể").runs
    assert [(bool(r.font.bold), bool(r.font.italic)) for r in runs] == [
        (True, False),
        (False, False),
        (False, True),
        (False, False),
    ]


def test_no_word_list_numbering_is_used(doc):
    assert not doc.element.body.xpath(".//w:numPr")


def test_paragraph_introducing_a_table_stays_with_it(doc):
    assert body_paragraph(doc, "* Chỉ tiêu giao").paragraph_format.keep_with_next


# -- data tables -----------------------------------------------------------------------------------


def test_data_table_cells_hold_the_input_text(doc):
    target = tables(doc)[1]
    expected = [TARGET.header, *TARGET.rows, TARGET.total]
    assert [tuple(c.text for c in row.cells) for row in target.rows] == expected


def test_data_table_header_row_repeats_on_every_page_and_is_bold_centred(doc):
    header_row = tables(doc)[1].rows[0]
    assert header_row._tr.trPr.find(qn("w:tblHeader")) is not None
    for cell in header_row.cells:
        assert cell.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.font.bold for r in cell.paragraphs[0].runs)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in tables(doc)[1].rows[1:])


def test_data_table_rows_cannot_split(doc):
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in tables(doc)[1].rows)


def test_total_row_is_bold_and_data_rows_are_not(doc):
    target = tables(doc)[1]
    assert all(r.font.bold for c in target.rows[-1].cells for r in c.paragraphs[0].runs)
    assert not any(r.font.bold for c in target.rows[1].cells for r in c.paragraphs[0].runs)


def test_data_table_uses_plan_widths_alignment_and_12pt(doc):
    target = tables(doc)[1]
    assert [c.width.mm for c in target.columns] == pytest.approx(TARGET.widths_mm, abs=0.1)
    first_row = target.rows[1].cells
    assert [c.width.mm for c in first_row] == pytest.approx(TARGET.widths_mm, abs=0.1)
    assert first_row[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert first_row[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first_row[1].paragraphs[0].runs[0].font.size == Pt(12)
    assert not first_row[1].paragraphs[0].paragraph_format.first_line_indent


def test_data_table_has_single_borders_everywhere(doc):
    borders = tables(doc)[1]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6


def test_long_table_keeps_every_row_with_its_own_text_and_format(tmp_path):
    rows = tuple((str(i), f"Hộ {i}", "" if i % 3 else "mới") for i in range(1, 301))
    long_table = Table("dai", ("TT", "Hộ", "Ghi chú"), rows, (15, 100, 50), ("center", "left", "left"))
    write_docx(dataclasses.replace(PLAN, body=(long_table,)), tmp_path / "dai.docx")
    table = Document(str(tmp_path / "dai.docx")).tables[1]
    assert [tuple(c.text for c in row.cells) for row in table.rows[1:]] == list(rows)
    last = table.rows[-1]
    assert last._tr.trPr.find(qn("w:cantSplit")) is not None
    assert last._tr.trPr.find(qn("w:tblHeader")) is None
    run = last.cells[1].paragraphs[0].runs[0]
    assert run.font.size == Pt(12) and not run.font.bold
    assert not table.rows[1].cells[0].paragraphs[0].paragraph_format.keep_with_next  # may split


def test_short_table_is_kept_on_one_page(doc):
    rows = tables(doc)[2].rows
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for r in rows[:-1] for c in r.cells)
    assert not any(c.paragraphs[0].paragraph_format.keep_with_next for c in rows[-1].cells)


def test_adjacent_tables_are_kept_apart_by_a_paragraph(tmp_path):
    write_docx(dataclasses.replace(PLAN, body=(TARGET, ASSIGNMENT)), tmp_path / "x.docx")
    tags = [child.tag for child in Document(str(tmp_path / "x.docx")).element.body]
    tbl = qn("w:tbl")
    assert tags.count(tbl) == 4  # header, two data tables, closing
    assert not any(a == b == tbl for a, b in zip(tags, tags[1:]))


def test_a_table_with_a_row_of_the_wrong_length_is_refused(tmp_path):
    broken = Table("x", ("A", "B"), (("1",),), (80, 85), ("left", "left"))
    plan = dataclasses.replace(PLAN, body=(broken,))
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        write_docx(plan, tmp_path / "x.docx")


# -- layout tables and closing ---------------------------------------------------------------------


def test_layout_tables_have_no_borders(doc):
    header, _, _, closing = tables(doc)
    for table in (header, closing):
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_closing_row_cannot_split(doc):
    assert tables(doc)[3].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_recipients_heading_is_bold_italic_12pt_and_lines_are_upright_11pt(doc):
    heading, *lines = tables(doc)[3].rows[0].cells[0].paragraphs
    assert heading.text == "Nơi nhận:"
    assert heading.runs[0].font.bold and heading.runs[0].font.italic
    assert heading.runs[0].font.size == Pt(12)
    assert [p.text for p in lines] == list(PLAN.recipients)
    assert all(r.font.size == Pt(11) and not r.font.italic for p in lines for r in p.runs)


def test_signature_has_bold_authority_room_to_sign_and_the_name(doc):
    paragraphs = tables(doc)[3].rows[0].cells[1].paragraphs
    assert [p.text for p in paragraphs[:2]] == list(PLAN.authority_lines)
    assert 4 <= sum(1 for p in paragraphs if not p.text) <= 5
    assert paragraphs[-1].text == PLAN.signer and paragraphs[-1].runs[0].font.bold
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in paragraphs)


# -- page numbers ----------------------------------------------------------------------------------


def test_page_number_is_a_centred_13pt_page_field_in_the_header(doc):
    paragraph = doc.sections[0].header.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [t.text.strip() for t in paragraph._p.xpath(".//w:instrText")] == ["PAGE"]
    kinds = [f.get(qn("w:fldCharType")) for f in paragraph._p.xpath(".//w:fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert all(r.font.size == Pt(13) for r in paragraph.runs)


def test_page_number_is_hidden_on_first_page(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert all(p.text == "" for p in first.paragraphs)
    assert not first._element.xpath(".//w:instrText | .//w:fldSimple")


# -- exact output ----------------------------------------------------------------------------------
# The golden files were written by the python-docx implementation of the writer; the faster one
# must produce the very same XML.


def docx_parts(plan) -> dict[str, bytes]:
    """Write `plan` and return every part of the package; the time stamps in core.xml masked."""
    buffer = io.BytesIO()
    write_docx(plan, buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"DATE", parts["docProps/core.xml"])
    return parts


@pytest.mark.parametrize(
    "plan, golden",
    [
        (PLAN, "layout-document.xml"),
        (EDGE_PLAN, "layout-edge-document.xml"),
        (SPLITTABLE_PLAN, "layout-splittable-document.xml"),
    ],
)
def test_document_xml_is_exactly_the_golden_file(plan, golden):
    assert docx_parts(plan)["word/document.xml"] == (GOLDEN / golden).read_bytes()


def test_every_other_part_is_exactly_as_before():
    parts = docx_parts(PLAN)
    expected = dict(line.split("  ", 1)[::-1] for line in (GOLDEN / "layout-parts.sha256").read_text().splitlines())
    assert set(parts) == set(expected) | {"word/document.xml", "docProps/core.xml"}
    assert {name: hashlib.sha256(parts[name]).hexdigest() for name in expected} == expected
    assert parts["docProps/core.xml"] == (GOLDEN / "layout-core.xml").read_bytes()


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    plan = dataclasses.replace(PLAN, summary="Kế\x0bhoạch", body=(Paragraph((Run("Giảm\x00 nghèo\ud800\uffff"),)),))
    document = Document(io.BytesIO(_docx_bytes(plan)))
    assert body_paragraph(document, "Giảm").text == "Giảm nghèo"
    assert document.core_properties.title == "Kếhoạch"


def test_a_table_with_a_negative_width_is_refused():
    broken = Table("x", ("A", "B"), (("1", "2"),), (170, -5), ("left", "left"))
    with pytest.raises(ValueError, match="negative width"):
        write_docx(dataclasses.replace(PLAN, body=(broken,)), io.BytesIO())


def _docx_bytes(plan) -> bytes:
    buffer = io.BytesIO()
    write_docx(plan, buffer)
    return buffer.getvalue()


def test_plans_written_one_after_another_share_nothing():
    first, other, again = docx_parts(PLAN), docx_parts(EDGE_PLAN), docx_parts(PLAN)
    assert again == first
    assert other["word/document.xml"] == (GOLDEN / "layout-edge-document.xml").read_bytes()
    assert b'w:val="en-US"' in other["word/styles.xml"]
    assert b'w:val="en-US"' not in first["word/styles.xml"]
    assert b"<dc:title>a &amp; &lt;b&gt;</dc:title>" in other["docProps/core.xml"]


def test_plans_written_at_the_same_time_are_each_complete():
    plans = [PLAN, EDGE_PLAN] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        documents = list(pool.map(lambda plan: docx_parts(plan)["word/document.xml"], plans))
    golden = [(GOLDEN / name).read_bytes() for name in ("layout-document.xml", "layout-edge-document.xml")] * 4
    assert documents == golden


# -- rendering -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_path(docx_path) -> Path:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = docx_path.parent
    # An own profile, so a LibreOffice already running for the same user does not interfere.
    profile = f"-env:UserInstallation={(out / 'lo-profile').as_uri()}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / "ke-hoach.pdf"


def test_libreoffice_converts_the_plan_to_a_non_empty_pdf(pdf_path):
    assert pdf_path.exists() and pdf_path.stat().st_size > 1000


def test_national_title_prints_on_one_line(pdf_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def _bottom_border(paragraph) -> bool:
    return bool(paragraph._p.xpath("./w:pPr/w:pBdr/w:bottom[@w:val='single']"))
