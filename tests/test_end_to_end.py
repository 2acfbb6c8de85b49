"""Generate the example ward's plan, reopen the .docx, and compare what an official would read."""

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt

from povertyplan import api
from tests.builders import reference_sheets, set_info, write_workbook

from tests.paths import EXAMPLE


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    return api.generate(EXAMPLE, out).output


@pytest.fixture(scope="module")
def plan(plan_path):
    return docx.Document(str(plan_path))


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def body_text(document) -> str:
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def target_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 8)


def test_output_name_tells_year_and_commune(plan_path):
    assert plan_path.name == "ke-hoach-giam-ngheo-2023-phuong-bac-son.docx"


def test_target_table_holds_the_corrected_figures(plan):
    rows = cells(target_table(plan))
    assert rows[0] == [
        "TT",
        "Đơn vị",
        "Số hộ",
        "Hộ nghèo đầu năm",
        "Tỷ lệ (%)",
        "Chỉ tiêu giảm hộ nghèo",
        "Dự kiến hộ nghèo cuối năm",
        "Dự kiến tỷ lệ cuối năm (%)",
    ]
    by_unit = {row[1]: row[2:] for row in rows[1:]}
    assert by_unit["Khu phố 9"] == ["283", "2", "0,71", "1", "1", "0,35"]
    assert by_unit["Khu phố 3"] == ["207", "4", "1,93", "1", "3", "1,45"]
    assert by_unit["Cộng"] == ["2.452", "29", "1,18", "8", "21", "0,86"]
    assert [row[0] for row in rows[1:11]] == [str(i) for i in range(1, 11)]


def test_total_row_is_bold_and_header_row_repeats_on_each_page(plan):
    table = target_table(plan)
    total = table.rows[-1]
    assert all(run.bold for cell in total.cells for p in cell.paragraphs for run in p.runs)
    assert table.rows[0]._tr.find(".//{*}tblHeader") is not None


def test_assignment_table_prints_members_as_written(plan):
    table = next(t for t in plan.tables if t.rows[0].cells[0].text == "TT" and len(t.columns) == 4)
    rows = cells(table)
    assert rows[0] == ["TT", "Họ và tên", "Chức vụ", "Phụ trách địa bàn"]
    assert rows[3] == ["3", "Phạm Thị Linh", "Bí thư Đoàn Thanh niên", "Khu phố 8 +12"]
    assert len(rows) == 8


def test_key_sentences_carry_computed_figures(plan):
    text = body_text(plan)
    assert "giảm từ 7 hộ nghèo trở lên, tương ứng giảm 0,29%" in text
    assert "đầu năm 2023, toàn phường có 29 hộ nghèo" in text
    assert "theo chuẩn nghèo giai đoạn 2022 - 2025" in text
    assert "Thanh Hóa chung tay vì người nghèo - Không để ai bị bỏ lại phía sau" in text
    assert "Thực hiện Kế hoạch số 482/KH-UBND ngày 24/02/2023" in text


def test_reference_typos_and_artefacts_are_not_repeated(plan):
    text = body_text(plan) + "".join(c.text for t in plan.tables for r in t.rows for c in r.cells)
    for wrong in ("Tập chung", "Xã hôi", "tuyền truyền", "công giảm nghèo", "CH - XH", "ƣ", "0,28", "0,85 "):
        assert wrong not in text


def test_content_ends_with_the_closing_mark(plan):
    last = [p.text for p in plan.paragraphs if p.text.strip()][-1]
    assert last.endswith("năm 2023./.")


def test_header_block_follows_decree_30(plan):
    header = cells(plan.tables[0])
    left = header[0][0].split("\n")
    right = header[0][1].split("\n")
    assert left[:2] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG BẮC SƠN"]
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header[1][0].strip() == "Số: 15/KH-UBND"
    assert header[1][1].strip() == "Bắc Sơn, ngày 05 tháng 3 năm 2023"
    date_runs = [run for p in plan.tables[0].rows[1].cells[1].paragraphs for run in p.runs if run.text.strip()]
    assert all(run.italic for run in date_runs)
    national = [run for p in plan.tables[0].rows[0].cells[1].paragraphs for run in p.runs if run.text.strip()]
    assert all(run.bold for run in national)
    assert national[1].font.size == national[0].font.size + Pt(1)


def test_title_and_summary_are_bold_and_centred(plan):
    paragraphs = [p for p in plan.paragraphs if p.text.strip()]
    title, summary = paragraphs[0], paragraphs[1]
    assert title.text == "KẾ HOẠCH"
    assert summary.text == "Thực hiện công tác giảm nghèo bền vững năm 2023 trên địa bàn phường Bắc Sơn"
    assert all(run.bold for p in (title, summary) for run in p.runs)


def test_page_is_a4_with_decree_30_margins(plan):
    section = plan.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    mm = {side: round(getattr(section, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")}
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20


def test_times_new_roman_in_every_font_slot(plan):
    fonts = plan.styles.element.xpath("//w:docDefaults//w:rFonts")[0]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{slot}") == "Times New Roman"
    body = plan.element.body.xml
    assert "asciiTheme" not in body and "Calibri" not in body


def test_body_is_14pt_justified_with_first_line_indent(plan):
    body = next(p for p in plan.paragraphs if p.text.startswith("- Kế hoạch nhằm"))
    size = body.runs[0].font.size or plan.styles["Normal"].font.size
    assert size == Pt(14)
    fmt = body.paragraph_format
    assert fmt.alignment == 3  # JUSTIFY
    assert Mm(9.9) <= (fmt.first_line_indent or plan.styles["Normal"].paragraph_format.first_line_indent) <= Mm(12.8)


def test_page_numbers_from_page_two_only(plan):
    section = plan.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_signature_and_recipients_in_one_unsplittable_row(plan):
    closing = plan.tables[-1]
    left, right = (cell.text.split("\n") for cell in closing.rows[0].cells)
    assert left[0] == "Nơi nhận:"
    assert left[1:] == [
        "- Phòng LĐ-TBXH (b/c);",
        "- Thường trực ĐU, HĐND (b/c);",
        "- Thành viên BCĐ;",
        "- Lưu: VT, VP UBND.",
    ]
    lines = [line for line in right if line.strip()]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Trường"]
    assert closing.rows[0]._tr.find(".//{*}cantSplit") is not None


def test_no_personal_data_from_the_register_reaches_the_plan(plan, tmp_path):
    from tests.reference_data import register_rows

    text = body_text(plan) + "".join(c.text for t in plan.tables for r in t.rows for c in r.cells)
    assert not any(name in text for _, name, _, _ in register_rows())


def test_blank_number_and_date_are_left_for_the_clerk(tmp_path):
    sheets = set_info(set_info(reference_sheets(), "Số văn bản", None), "Ngày ban hành", None)
    path = api.generate(write_workbook(tmp_path / "s.xlsx", sheets), tmp_path).output
    header = docx.Document(str(path)).tables[0]
    number, date = (cell.text.strip() for cell in header.rows[1].cells)
    assert number.startswith("Số:") and number.endswith("/KH-UBND") and not any(ch.isdigit() for ch in number)
    assert date.startswith("Bắc Sơn, ngày") and date.endswith("năm 2023") and "tháng" in date


def test_another_commune_needs_no_code_change(tmp_path):
    sheets = reference_sheets()
    for label, value in [
        ("Tỉnh", "Nghệ An"),
        ("Cơ quan cấp trên", "UBND huyện Yên Thành"),
        ("Loại đơn vị hành chính", "Xã"),
        ("Tên đơn vị hành chính", "Đồng Thành"),
        ("Năm kế hoạch", 2027),
        ("Ngày ban hành", "12/01/2027"),
        ("Số văn bản", 3),
        ("Chức vụ người ký", "Phó Chủ tịch"),
        ("Người ký", "Lê Thị Mai"),
        ("Loại địa bàn dân cư", None),
        ("Giai đoạn chuẩn nghèo", None),
        ("Địa danh", None),
        ("Phong trào thi đua", None),
        ("Chỉ tiêu giảm hộ nghèo được giao", None),
        ("Căn cứ", "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2027 của UBND huyện Yên Thành."),
    ]:
        set_info(sheets, label, value)
    sheets["Chỉ tiêu"] = [["Đơn vị", "Tổng số hộ", "Chỉ tiêu giảm hộ nghèo"], ["Thôn 1", 300, 1], ["Thôn 2", 150, 0]]
    sheets["Hộ gia đình"] = [
        ["Mã hộ", "Họ tên chủ hộ", "Đơn vị", "Phân loại"],
        ["A1", "X", "Thôn 1", "nghèo"],
        ["A2", "Y", "Thôn 1", "Hộ nghèo"],
        ["A3", "Z", "thôn 2", "cận nghèo"],
    ]
    sheets["Phân công"] = [
        ["Họ và tên", "Chức vụ", "Phụ trách địa bàn"],
        ["Trần Văn Nam", "Chủ tịch MTTQ", "Thôn 1, 2"],
    ]
    path = api.generate(write_workbook(tmp_path / "xa.xlsx", sheets), tmp_path).output
    assert path.name == "ke-hoach-giam-ngheo-2027-xa-dong-thanh.docx"
    document = docx.Document(str(path))
    text = body_text(document)
    assert "toàn xã phấn đấu giảm từ 1 hộ nghèo trở lên, tương ứng giảm 0,22%" in text
    assert "chuẩn nghèo giai đoạn 2026 - 2030" in text and "các thôn" in text and "khu phố" not in text
    header = cells(document.tables[0])
    assert header[0][0].split("\n")[1] == "XÃ ĐỒNG THÀNH"
    assert header[1][1].strip() == "Đồng Thành, ngày 12 tháng 01 năm 2027"
    signature = [line for line in document.tables[-1].rows[0].cells[1].text.split("\n") if line.strip()]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Thị Mai"]
    assert cells(target_table(document))[-1][1:] == ["Cộng", "450", "2", "0,44", "1", "1", "0,22"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_plan_to_pdf(plan_path, tmp_path):
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(plan_path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (plan_path.stem + ".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
