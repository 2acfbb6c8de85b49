"""Lay out a `PlanDocument` as a .docx that follows Nghị định 30/2020/NĐ-CP, Phụ lục I.

This is the only module that speaks python-docx. The text arrives final (see `document.py`); this
module decides only where and how it is printed: paper, fonts, the header and closing tables, the
short rules, data tables and page numbers. python-docx's template is Letter, Calibri 11 pt with
theme fonts, 10 pt after paragraphs and 1.15 spacing, so every one of those is overridden
explicitly. The OXML helpers at the bottom fill the gaps in python-docx's API (borders, row flags,
fields).
"""
from __future__ import annotations

import copy
import math
import os
import unicodedata
from datetime import datetime, timezone
from typing import IO, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from povertyplan.document import Block, Paragraph, PlanDocument, Table

FONT_NAME = "Times New Roman"
# ND30 Phụ lục I: A4 portrait, margins top/bottom 20–25, left 30–35, right 15–20 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20.0, 20.0, 30.0, 15.0
HEADER_DISTANCE_MM = 10.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"

BODY_PT = 14
AGENCY_PT = 13
NATIONAL_TITLE_PT = 13  # 96 mm in bold Times New Roman: one line in the 100 mm column
MOTTO_PT = 14  # ND30: one size above the national title
NUMBER_PT = 13
DATE_PT = 14
PAGE_NUMBER_PT = 13
TABLE_PT = 12
RECIPIENTS_HEADING_PT = 12
RECIPIENT_PT = 11

# Header: the right column must hold the national title on one line; together 165 mm.
HEADER_COLUMNS_MM = (65.0, 100.0)
CLOSING_COLUMNS_MM = (75.0, 90.0)
DATA_CELL_MARGIN_MM = 1.0
KEEP_WHOLE_MAX_ROWS = 15  # a table this short is not split across pages
SIGNATURE_GAP_LINES = 5  # room for the signature and the seal
CLOSING_SPACE_PT = 6  # between the last paragraph and the closing block
ASCENT_EM = 0.891  # Times New Roman's ascent: baseline of a single-spaced line, in em
SHORT_RULE_SHARE = 0.45  # ND30: the line under agency and summary is 1/3–1/2 of the text
RULE_LINE_PT = 4  # height of the empty paragraph carrying a rule: its gap below the text
BALANCE_SLACK = 1.15  # room over the balanced line length, for estimate error and word breaks
FIRST_LINE_INDENT = Cm(1.27)

_ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
# kind -> (always bold, keep with next paragraph)
_PARAGRAPH_KINDS = {"body": (False, False), "heading1": (True, True), "heading2": (True, True)}
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_STYLES_USED = ("Normal", "Header", "Normal Table")


def write_docx(plan: PlanDocument, target: str | os.PathLike[str] | IO[bytes]) -> None:
    """Lay out `plan` to Nghị định 30 and save it to `target` (a path or a binary file object).

    Raises `ValueError` when the plan cannot be laid out as given: an unknown paragraph kind or
    column alignment, or a table whose rows or widths do not match its header.
    """
    document = Document()
    _clear_body(document)
    _set_up_styles(document, plan.language)
    _set_up_page(document.sections[0])
    _add_page_numbers(document.sections[0])
    _add_header_block(document, plan)
    _add_title(document, plan)
    _add_body(document, plan.body)
    _add_closing_block(document, plan)
    _set_core_properties(document, plan)
    document.save(os.fspath(target) if isinstance(target, os.PathLike) else target)


# -- document set-up -------------------------------------------------------------------------


def _clear_body(document: DocxDocument) -> None:
    """Remove any paragraph or table the template brings, so the plan starts with its header."""
    body = document.element.body
    for child in body.xpath("./w:p | ./w:tbl"):
        body.remove(child)


def _set_up_styles(document: DocxDocument, language: str) -> None:
    """Make Times New Roman 14 pt, black, single-spaced with no paragraph spacing the default."""
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    _set_run_defaults(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), language)
    for name in _STYLES_USED:
        _set_run_defaults(document.styles[name].element.get_or_add_rPr(), language)
    for fonts in styles_element.iter(qn("w:rFonts")):
        _strip_theme_fonts(fonts)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(0), 1.0


def _set_up_page(section: Section) -> None:
    """Set A4 portrait paper and the ND30 margins."""
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)
    section.gutter = Mm(0)


def _add_page_numbers(section: Section) -> None:
    """Put a centred PAGE field in the page header; ND30 shows no number on page 1."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # its own, empty header
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for element in _page_field_elements():
        _add_run(paragraph, "", PAGE_NUMBER_PT)._r.append(element)


def _set_core_properties(document: DocxDocument, plan: PlanDocument) -> None:
    """Title the file with the summary; carry no personal data from the template or the machine."""
    properties = document.core_properties
    properties.title = plan.summary
    properties.language = plan.language
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0)
    properties.revision = 1


# -- header, title, closing ------------------------------------------------------------------


def _add_header_block(document: DocxDocument, plan: PlanDocument) -> None:
    """Add ô 1–4: agency and national title side by side, then number and date on one line."""
    table = _add_layout_table(document, HEADER_COLUMNS_MM, rows=2)
    agency, national = table.rows[0].cells
    for line in plan.agency_lines:
        _add_line(agency, line, AGENCY_PT, bold=True)
    widest = max((_text_width_mm(line, AGENCY_PT) for line in plan.agency_lines), default=0.0)
    _add_rule(agency, widest * SHORT_RULE_SHARE, HEADER_COLUMNS_MM[0])
    _add_line(national, NATIONAL_TITLE, NATIONAL_TITLE_PT, bold=True)
    _add_line(national, MOTTO, MOTTO_PT, bold=True)
    _add_rule(national, _text_width_mm(MOTTO, MOTTO_PT), HEADER_COLUMNS_MM[1])
    number, date = table.rows[1].cells
    _add_line(number, plan.number_line, NUMBER_PT).paragraph_format.space_before = Pt(6)
    _add_line(date, plan.place_date, DATE_PT, italic=True).paragraph_format.space_before = Pt(6)
    # Bottom alignment puts the 13 pt number and the 14 pt date on (nearly) one baseline.
    number.vertical_alignment = date.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM


def _add_title(document: DocxDocument, plan: PlanDocument) -> None:
    """Add ô 5a: the document type, the summary, and a short rule under them."""
    _add_line(document, plan.title, BODY_PT, bold=True).paragraph_format.space_before = Pt(18)
    summary = _add_line(document, plan.summary, BODY_PT, bold=True)
    line_mm = _balanced_line_mm(plan.summary, BODY_PT, TEXT_WIDTH_MM)
    side = Mm(max(TEXT_WIDTH_MM - line_mm * BALANCE_SLACK, 0.0) / 2)
    summary.paragraph_format.left_indent = summary.paragraph_format.right_indent = side
    rule = _add_rule(document, line_mm * SHORT_RULE_SHARE, TEXT_WIDTH_MM)
    rule.paragraph_format.space_after = Pt(12)


def _add_closing_block(document: DocxDocument, plan: PlanDocument) -> None:
    """Add ô 9b and ô 7: recipients left, signature right, in one row that never splits."""
    table = _add_layout_table(document, CLOSING_COLUMNS_MM, rows=1)
    row = table.rows[0]
    _set_row_flags(row._tr, header=False)
    recipients, signature = row.cells
    _fill_recipients(recipients, plan.recipients)
    _fill_signature(signature, plan.authority_lines, plan.signer)
    # ND30 wants "Nơi nhận:" level with the first authority line: the smaller 12 pt line gets
    # the difference in ascent as extra space, so the two baselines meet.
    ascent_gap = (BODY_PT - RECIPIENTS_HEADING_PT) * ASCENT_EM
    recipients.paragraphs[0].paragraph_format.space_before = Pt(CLOSING_SPACE_PT + ascent_gap)
    signature.paragraphs[0].paragraph_format.space_before = Pt(CLOSING_SPACE_PT)
    _add_spacer(document)


def _fill_recipients(cell: _Cell, recipients: Sequence[str]) -> None:
    """Write ô 9b: "Nơi nhận:" bold italic 12 pt, then one 11 pt upright line per recipient."""
    left = WD_ALIGN_PARAGRAPH.LEFT
    _add_line(cell, RECIPIENTS_HEADING, RECIPIENTS_HEADING_PT, bold=True, italic=True, align=left)
    for line in recipients:
        _add_line(cell, line, RECIPIENT_PT, align=left)


def _fill_signature(cell: _Cell, authority_lines: Sequence[str], signer: str) -> None:
    """Write ô 7: authority in bold caps, room for signature and seal, the name in bold."""
    for line in authority_lines:
        _add_line(cell, line, BODY_PT, bold=True)
    for _ in range(SIGNATURE_GAP_LINES):
        _add_line(cell, "", BODY_PT)
    _add_line(cell, signer, BODY_PT, bold=True)


def _add_spacer(document: DocxDocument) -> None:
    """Add a 1 pt empty paragraph: between two tables (Word merges adjacent ones) and at the end
    (Word adds a full-size paragraph after a final table, which can spill onto an empty page)."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


# -- body --------------------------------------------------------------------------------------


def _add_body(document: DocxDocument, blocks: tuple[Block, ...]) -> None:
    """Add the content (ô 6) in order: a paragraph that introduces a table stays on the table's
    page, and the paragraph after a table gets a little air."""
    for previous, block, following in zip((None, *blocks), blocks, (*blocks[1:], None)):
        if isinstance(block, Table):
            _add_data_table(document, block)
            continue
        fmt = _add_body_paragraph(document, block).paragraph_format
        if isinstance(previous, Table):
            fmt.space_before = Pt(6)
        if isinstance(following, Table):
            fmt.keep_with_next = True


def _add_body_paragraph(document: DocxDocument, block: Paragraph) -> DocxParagraph:
    """Add one justified 14 pt paragraph; headings are bold and stay with what follows."""
    if block.kind not in _PARAGRAPH_KINDS:
        raise ValueError(f"Unknown paragraph kind {block.kind!r}; "
                         f"use one of {list(_PARAGRAPH_KINDS)}")
    always_bold, keep_with_next = _PARAGRAPH_KINDS[block.kind]
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = FIRST_LINE_INDENT
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    if keep_with_next:
        fmt.keep_with_next = True
    for run in block.runs:
        _add_run(paragraph, run.text, BODY_PT, bold=always_bold or run.bold, italic=run.italic)
    return paragraph


def _add_data_table(document: DocxDocument, block: Table) -> None:
    """Add a bordered data table: a repeating bold header row, rows that never split, and a
    bold total row."""
    _check_table(block)
    table = _add_table(document, block.widths_mm, border="single",
                       cell_margin_mm=DATA_CELL_MARGIN_MM)
    _append_data_row(table, block.header, ("center",) * len(block.header), bold=True, header=True)
    _append_data_rows(table, block.rows, block.align)
    if block.total is not None:
        _append_data_row(table, block.total, block.align, bold=True)
    if len(block.rows) <= KEEP_WHOLE_MAX_ROWS:
        _keep_rows_together(table)


def _check_table(block: Table) -> None:
    """Fail loudly when `block` cannot be laid out as a rectangular table of the text width."""
    columns = len(block.header)
    shaped = {"widths_mm": block.widths_mm, "align": block.align}
    shaped.update({f"row {number}": row for number, row in enumerate(block.rows, 1)})
    if block.total is not None:
        shaped["total"] = block.total
    for label, cells in shaped.items():
        if len(cells) != columns:
            raise ValueError(f"Table {block.name!r}: {label} has {len(cells)} cells, "
                             f"the header has {columns}")
    unknown = sorted(set(block.align) - set(_ALIGNMENTS))
    if unknown:
        raise ValueError(f"Table {block.name!r}: unknown align {unknown}; use {list(_ALIGNMENTS)}")
    if abs(sum(block.widths_mm) - TEXT_WIDTH_MM) > 0.5:
        raise ValueError(f"Table {block.name!r}: widths_mm add up to {sum(block.widths_mm)} mm; "
                         f"they must add up to the text width, {TEXT_WIDTH_MM} mm")


def _keep_rows_together(table: DocxTable) -> None:
    """Keep a short table on one page: every row but the last stays with the row below it."""
    for tr in table._tbl.tr_lst[:-1]:
        for p in tr.iter(qn("w:p")):
            DocxParagraph(p, table).paragraph_format.keep_with_next = True


def _append_data_rows(table: DocxTable, rows: Sequence[Sequence[str]], align: Sequence[str]
                      ) -> None:
    """Append plain data `rows`: the first through python-docx, the others as copies of it with
    their own text. Copying skips python-docx's per-property work: a 1000-row table takes under
    a second instead of five."""
    prototype = None
    for texts in rows:
        if prototype is None:
            prototype = _append_data_row(table, texts, align, bold=False)
            continue
        tr = copy.deepcopy(prototype)
        for run, text in zip(tr.iter(qn("w:r")), texts):  # one run per cell
            run.text = text
        table._tbl.append(tr)


def _append_data_row(table: DocxTable, texts: Sequence[str], align: Sequence[str], *,
                     bold: bool, header: bool = False) -> CT_Row:
    """Append one row of `texts` in 12 pt, vertically centred, aligned per column; return it."""
    row = table.add_row()
    _set_row_flags(row._tr, header=header)
    for cell, text, column_align in zip(row.cells, texts, align):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.alignment = _ALIGNMENTS[column_align]
        fmt.space_before = fmt.space_after = Pt(2)
        _add_run(paragraph, text, TABLE_PT, bold=bold)
    return row._tr


# -- building blocks ---------------------------------------------------------------------------


def _add_layout_table(document: DocxDocument, widths_mm: Sequence[float], rows: int) -> DocxTable:
    """Add a borderless table of `rows` empty rows whose cells have no padding and no paragraph.

    With no padding a cell's text spans its full width, which the centred rules rely on.
    """
    table = _add_table(document, widths_mm, border="nil", cell_margin_mm=0.0)
    for _ in range(rows):
        for cell in table.add_row().cells:
            cell._tc.remove(cell._tc.find(qn("w:p")))  # refilled with add_paragraph
    return table


def _add_table(document: DocxDocument, widths_mm: Sequence[float], *, border: str,
               cell_margin_mm: float) -> DocxTable:
    """Add an empty table with fixed column widths, `border` on every edge and side padding.

    Word and LibreOffice keep the widths only with a fixed layout, the grid and every cell width
    set; `add_row` copies the grid widths into each new cell.
    """
    _keep_tables_apart(document)
    table = document.add_table(rows=0, cols=len(widths_mm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    tbl_pr = table._tbl.tblPr
    tbl_pr.find(qn("w:tblW")).set(qn("w:type"), "dxa")
    tbl_pr.find(qn("w:tblW")).set(qn("w:w"), str(_twips(sum(widths_mm))))
    _set_table_borders(tbl_pr, border)
    _set_cell_margins(tbl_pr, cell_margin_mm)
    return table


def _keep_tables_apart(document: DocxDocument) -> None:
    """Add a spacer if the body ends with a table, so the next table stays a table of its own."""
    last = document.element.body.sectPr.getprevious()
    if last is not None and last.tag == qn("w:tbl"):
        _add_spacer(document)


def _add_line(container: DocxDocument | _Cell, text: str, size_pt: float, *, bold: bool = False,
              italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
              ) -> DocxParagraph:
    """Append to `container` (document or cell) a single-spaced paragraph holding `text`."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    if text:
        _add_run(paragraph, text, size_pt, bold=bold, italic=italic)
    else:  # an empty line still needs the size, on its paragraph mark
        _set_mark_size(paragraph, size_pt)
    return paragraph


def _add_run(paragraph: DocxParagraph, text: str, size_pt: float, *, bold: bool = False,
             italic: bool = False) -> DocxRun:
    """Append a run with explicit size and emphasis; the font comes from the styles."""
    run = paragraph.add_run(text)
    run.font.size = Pt(size_pt)
    run.font.bold = bold or None
    run.font.italic = italic or None
    return run


def _add_rule(container: DocxDocument | _Cell, line_mm: float, room_mm: float) -> DocxParagraph:
    """Append an empty paragraph whose bottom border is a solid line `line_mm` long, centred in
    `room_mm` (the width the paragraph spans). ND30 wants these lines solid, never underscores."""
    paragraph = container.add_paragraph()
    _set_bottom_border(paragraph)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(max(room_mm - line_mm, 0.0) / 2)
    fmt.line_spacing = Pt(RULE_LINE_PT)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    _set_mark_size(paragraph, RULE_LINE_PT)
    return paragraph


def _text_width_mm(text: str, size_pt: float) -> float:
    """Return the approximate printed width of `text` in bold Times New Roman at `size_pt`.

    Per-class average advances (caps 0.72 em, lower case 0.51 em, …) are within 2 per cent of
    the font's metrics for Vietnamese headings: enough to size the rules, not to fit text.
    """
    ems = 0.0
    for char in text:
        base = unicodedata.normalize("NFD", char)[0]
        if base.isupper():
            ems += 0.72
        elif base.isalpha():
            ems += 0.51
        elif base.isdigit():
            ems += 0.50
        else:
            ems += 0.25 if base.isspace() else 0.33
    return ems * size_pt * 25.4 / 72


def _balanced_line_mm(text: str, size_pt: float, room_mm: float) -> float:
    """Return the length of each line when `text` is broken into the fewest lines of `room_mm`
    and those lines are made equally long.

    A long summary wrapped greedily can leave a word or two alone on its last line; narrowing the
    paragraph to this length (plus some slack) balances the lines the way clerks break them.
    """
    width = _text_width_mm(text, size_pt)
    return width / max(1, math.ceil(width / room_mm))


def _twips(mm: float) -> int:
    """Return `mm` in twentieths of a point, the unit of most WordprocessingML widths."""
    return round(mm * 1440 / 25.4)


# -- OXML helpers: what python-docx has no API for ---------------------------------------------


def _element(tag: str, **attributes: str):
    """Return a new `w:` element with `w:`-qualified `attributes`."""
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _set_run_defaults(r_pr, language: str) -> None:
    """Set Times New Roman 14 pt for all four scripts, black, and `language` on `r_pr`."""
    fonts = r_pr.get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT_NAME)
    r_pr.get_or_add_color().set(qn("w:val"), "000000")
    size = r_pr.get_or_add_sz()
    size.set(qn("w:val"), str(BODY_PT * 2))
    r_pr.remove_all("w:szCs")
    size.addnext(_element("w:szCs", val=str(BODY_PT * 2)))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = r_pr.insert_element_before(_element("w:lang"), "w:eastAsianLayout", "w:specVanish",
                                          "w:oMath")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)


def _strip_theme_fonts(fonts) -> None:
    """Remove the theme-font attributes of a `w:rFonts`: Word prefers them over the named font."""
    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)


def _set_mark_size(paragraph: DocxParagraph, size_pt: float) -> None:
    """Give the paragraph mark a size: it sets the height of a paragraph with no text."""
    p_pr = paragraph._p.get_or_add_pPr()
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = p_pr.insert_element_before(_element("w:rPr"), "w:sectPr", "w:pPrChange")
    half_points = str(round(size_pt * 2))
    r_pr.append(_element("w:sz", val=half_points))
    r_pr.append(_element("w:szCs", val=half_points))


def _set_bottom_border(paragraph: DocxParagraph) -> None:
    """Draw a 0.75 pt solid black line along the bottom of `paragraph` (between its indents).

    Call it on a paragraph without properties: the border goes first, and python-docx inserts
    the spacing, indents and alignment set afterwards in schema order behind it.
    """
    borders = _element("w:pBdr")
    borders.append(_element("w:bottom", val="single", sz="6", space="0", color="000000"))
    paragraph._p.get_or_add_pPr().append(borders)


def _set_table_borders(tbl_pr, value: str) -> None:
    """Set every table edge and inner line to `value` (`single` or `nil`)."""
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        attributes = {"val": value} if value == "nil" else {"val": value, "sz": "4", "space": "0",
                                                             "color": "000000"}
        borders.append(_element(f"w:{edge}", **attributes))
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _set_cell_margins(tbl_pr, side_mm: float) -> None:
    """Set the left/right padding of every cell to `side_mm`, top/bottom to zero."""
    margins = _element("w:tblCellMar")
    for edge, mm in (("top", 0.0), ("left", side_mm), ("bottom", 0.0), ("right", side_mm)):
        margins.append(_element(f"w:{edge}", w=str(_twips(mm)), type="dxa"))
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                 "w:tblPrChange")


def _set_row_flags(tr, *, header: bool) -> None:
    """Keep the row on one page; a header row also repeats at the top of every page."""
    tr_pr = tr.get_or_add_trPr()
    tr_pr.append(_element("w:cantSplit"))
    if header:
        tr_pr.append(_element("w:tblHeader"))


def _page_field_elements() -> list:
    """Return the parts of a PAGE field, one per run: begin, instruction, separate, result, end."""
    instruction = _element("w:instrText")
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instruction.text = " PAGE "
    result = _element("w:t")
    result.text = "1"
    return [_element("w:fldChar", fldCharType="begin"), instruction,
            _element("w:fldChar", fldCharType="separate"), result,
            _element("w:fldChar", fldCharType="end")]
