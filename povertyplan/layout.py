"""Lay out a `PlanDocument` as a .docx that follows Nghị định 30/2020/NĐ-CP, Phụ lục I.

This is the only module that speaks python-docx. The text arrives final (see `document.py`); this
module decides only where and how it is printed: paper, fonts, the header and closing tables, the
short rules, data tables and page numbers. python-docx's template is Letter, Calibri 11 pt with
theme fonts, 10 pt after paragraphs and 1.15 spacing, so every one of those is overridden
explicitly.

Speed: building every paragraph and run through python-docx's object API cost about 150 ms per
plan (a schema-ordered search for each property of each run), loading its template and
compressing the 800 kB of styles another 25 ms. So the writer works in two stages:

- once per language, python-docx sets up a *skeleton* (styles, paper, page numbers) and saves
  it; what does not depend on the plan is kept as bytes (`_package`), in memory for the process
  and in the cache folder for later runs (keyed by this module and python-docx's and lxml's
  versions), so that a run which finds it there does not even import python-docx;
- per plan, the body and the core properties are written as XML text in exactly the form
  python-docx (lxml) serialised them (`_document_xml`, `_core_xml`), and zipped next to the kept
  parts, which are compressed only once.

tests/golden holds the XML the python-docx implementation wrote; the tests compare byte for byte.
"""
from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable, Sequence

from povertyplan.document import Block, Paragraph, PlanDocument, Table
from povertyplan.output import cache_dir, write_cache_file

if TYPE_CHECKING:  # python-docx is imported only to set up a skeleton
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run as DocxRun


def escape(text: str) -> str:
    """Escape text for an XML element, as xml.sax.saxutils.escape does.

    Written here because importing xml.sax.saxutils pulls in urllib, http and ssl: tens of
    milliseconds on every one-ward run, for three replacements.
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")

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
FIRST_LINE_INDENT_CM = 1.27
BODY_LINE_SPACING = 1.15
BODY_SPACE_AFTER_PT = 6
AFTER_TABLE_SPACE_PT = 6  # the paragraph after a table gets a little air
TABLE_CELL_SPACE_PT = 2  # above and below the text of a data cell

# Column alignment in a `Table` -> the value of `w:jc`.
_ALIGNMENTS = {"left": "left", "center": "center", "right": "right"}
# kind -> (always bold, keep with next paragraph)
_PARAGRAPH_KINDS = {"body": (False, False), "heading1": (True, True), "heading2": (True, True)}
_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_STYLES_USED = ("Normal", "Header", "Normal Table")
_DOCUMENT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CORE_CONTENT_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"


def write_docx(plan: PlanDocument, target: str | os.PathLike[str] | IO[bytes]) -> None:
    """Lay out `plan` to Nghị định 30 and save it to `target` (a path or a binary file object).

    Raises `ValueError` when the plan cannot be laid out as given: an unknown paragraph kind or
    column alignment, or a table whose rows or widths do not match its header. Nothing is
    written then.
    """
    package = _package(plan.language)
    document_xml = _document_xml(package, plan)
    core_xml = _core_xml(package, plan)
    parts = {package.core_name: core_xml, package.document_name: document_xml}
    data = _zip(package.kept_zip, parts)
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as stream:
            stream.write(data)
    else:
        target.write(data)


# -- the parts that do not depend on the plan ------------------------------------------------


@dataclass(frozen=True)
class _Package:
    """The .docx python-docx writes for an empty plan in one language, kept as bytes only (so
    nothing a plan does can change it, from any thread).

    `kept_zip` is a zip of every part but the two a plan fills: the document (`document_name`,
    whose XML is `document_head` + body + `document_tail`) and the core properties
    (`core_name`, whose XML is `core_template` with the title and time stamps marked).
    """

    kept_zip: bytes
    document_name: str
    document_head: bytes
    document_tail: bytes
    core_name: str
    core_template: bytes


# Stand-ins for what a plan puts in the core properties; they must not occur anywhere else.
_TITLE_MARK = "POVERTYPLAN-TITLE-MARK"
_TIME_MARK = datetime(1901, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # python-docx's
_TIME_MARK_TEXT = _TIME_MARK.strftime(_TIME_FORMAT).encode()
_SKELETON_MAGIC = b"povertyplan docx skeleton 1\n"


@functools.lru_cache(maxsize=8)
def _package(language: str) -> _Package:
    """The skeleton for `language`: the one kept in the cache folder if it was made by this
    module with the same python-docx and lxml, else one set up now (and kept there)."""
    folder = cache_dir()
    path = folder / f"docx-skeleton-{_skeleton_key(language)}.bin" if folder else None
    package = _read_skeleton(path) if path else None
    if package is None:
        package = _set_up_package(language)
        if path:
            write_cache_file(path, _skeleton_bytes(package))
    return package


def _set_up_package(language: str) -> _Package:
    """Set up python-docx's default template for `language` and keep the result as bytes."""
    from docx import Document

    document = Document()
    _clear_body(document)
    _set_up_styles(document, language)
    _set_up_page(document.sections[0])
    _add_page_numbers(document.sections[0])
    _mark_core_properties(document, language)
    names = {part.content_type: part.partname.membername
             for part in document.part.package.iter_parts()}
    document_name, core_name = names[_DOCUMENT_CONTENT_TYPE], names[_CORE_CONTENT_TYPE]
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    # The body now holds only the section properties: the plan goes in front of them.
    head, _, rest = parts.pop(document_name).partition(b"<w:body>")
    if not rest.startswith(b"<w:sectPr"):
        raise RuntimeError("python-docx's template body is not empty")  # pragma: no cover
    core_template = parts.pop(core_name)
    marks = (core_template.count(_TITLE_MARK.encode()), core_template.count(_TIME_MARK_TEXT))
    if marks != (1, 2):  # the title once, the times of creation and change
        raise RuntimeError("python-docx's core properties hold the marks elsewhere too")  # pragma: no cover
    return _Package(_zip(b"", parts), document_name, head + b"<w:body>", rest, core_name,
                    core_template)


def _mark_core_properties(document: DocxDocument, language: str) -> None:
    """Fill the core properties as every plan has them, with marks for the title and times.

    No personal data from the template or the machine.
    """
    properties = document.core_properties
    properties.title = _TITLE_MARK
    properties.language = language
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.created = properties.modified = _TIME_MARK
    properties.revision = 1


def _skeleton_key(language: str) -> str:
    """What the skeleton depends on: this module, the language, python-docx and lxml (their
    package files, which carry their versions)."""
    import importlib.util

    digest = hashlib.sha256(_SKELETON_MAGIC + language.encode() + b"\0")
    digest.update(Path(__file__).read_bytes())
    for library in ("docx", "lxml"):
        spec = importlib.util.find_spec(library)
        origin = spec.origin if spec and spec.origin else ""
        digest.update(b"\0" + origin.encode() + b"\0")
        if origin:
            digest.update(Path(origin).read_bytes())
    return digest.hexdigest()[:32]


def _skeleton_bytes(package: _Package) -> bytes:
    """`package` as the bytes of a cache file: a mark, a digest, then each field with its length."""
    fields = (package.kept_zip, package.document_name.encode(), package.document_head,
              package.document_tail, package.core_name.encode(), package.core_template)
    body = b"".join(len(field).to_bytes(8, "big") + field for field in fields)
    return _SKELETON_MAGIC + hashlib.sha256(body).digest() + body


def _read_skeleton(path: Path) -> _Package | None:
    """The skeleton kept at `path`, or None when it is missing, unreadable or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(_SKELETON_MAGIC) + 32
    body = data[start:]
    if data[:len(_SKELETON_MAGIC)] != _SKELETON_MAGIC or hashlib.sha256(body).digest() != data[start - 32:start]:
        return None
    fields, at = [], 0
    while at + 8 <= len(body):
        size = int.from_bytes(body[at:at + 8], "big")
        fields.append(body[at + 8:at + 8 + size])
        at += 8 + size
    if len(fields) != 6 or at != len(body):
        return None
    kept_zip, document_name, head, tail, core_name, core_template = fields
    return _Package(kept_zip, document_name.decode(), head, tail, core_name.decode(), core_template)


def _zip(kept_zip: bytes, parts: dict[str, bytes]) -> bytes:
    """Return the zip `kept_zip` (or a new one) with `parts` compressed and appended.

    Appending reuses the kept parts' compressed bytes: compressing the 800 kB of styles for
    every plan cost a quarter of the time budget. Word, LibreOffice and python-docx find parts
    by name, so that the plan's two parts now come last does not matter.
    """
    buffer = io.BytesIO(kept_zip)
    with zipfile.ZipFile(buffer, "a" if kept_zip else "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in parts.items():
            archive.writestr(name, blob)
    return buffer.getvalue()


def _clear_body(document: DocxDocument) -> None:
    """Remove any paragraph or table the template brings, so the plan starts with its header."""
    body = document.element.body
    for child in body.xpath("./w:p | ./w:tbl"):
        body.remove(child)


def _set_up_styles(document: DocxDocument, language: str) -> None:
    """Make Times New Roman 14 pt, black, single-spaced with no paragraph spacing the default."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

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
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)
    section.gutter = Mm(0)


def _add_page_numbers(section: Section) -> None:
    """Put a centred PAGE field in the page header; ND30 shows no number on page 1."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # its own, empty header
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for element in _page_field_elements():
        _add_run(paragraph, PAGE_NUMBER_PT)._r.append(element)


# -- the parts a plan fills ------------------------------------------------------------------


TITLE_LIMIT = 255


def _core_xml(package: _Package, plan: PlanDocument) -> bytes:
    """Return the core properties: the title is the summary, the times are now.

    The title property holds at most 255 characters (python-docx refuses more, Word cuts them):
    a longer summary, which the document itself shows whole, is shortened there with "…".
    """
    title = _xml_text(plan.summary)
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1].rstrip() + "…"
    now = datetime.now(timezone.utc).strftime(_TIME_FORMAT).encode()
    core = package.core_template.replace(_TIME_MARK_TEXT, now)
    # lxml escapes a carriage return in text too (it would read back as a newline).
    return core.replace(_TITLE_MARK.encode(), escape(title).replace("\r", "&#13;").encode("utf-8"))


def _document_xml(package: _Package, plan: PlanDocument) -> bytes:
    """Return the document part: the template's, with the plan's body in front of the section.

    The body text is already what lxml would serialise (the fragments below are written in its
    canonical form and text is escaped as it escapes it), so it is spliced in as bytes: parsing
    and serialising it again took a third of the time and changed nothing.
    """
    body = _Body()
    body.add_table(_header_block(plan))
    body.add(_title(plan))
    _add_content(body, plan.body)
    body.add_table(_closing_block(plan))
    body.add(_SPACER)
    return package.document_head + body.xml().encode("utf-8") + package.document_tail


class _Body:
    """The body's XML, in order. Two tables never touch: Word would merge them into one."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._ends_with_table = False

    def add(self, paragraphs: str) -> None:
        """Append one or more paragraphs."""
        self._pieces.append(paragraphs)
        self._ends_with_table = False

    def add_table(self, table: str) -> None:
        """Append a table, after a spacer if the body ends with a table."""
        if self._ends_with_table:
            self._pieces.append(_SPACER)
        self._pieces.append(table)
        self._ends_with_table = True

    def xml(self) -> str:
        return "".join(self._pieces)


# -- header, title, closing ------------------------------------------------------------------


def _header_block(plan: PlanDocument) -> str:
    """Return ô 1–4: agency and national title side by side, then number and date on one line."""
    widest = max((_text_width_mm(line, AGENCY_PT) for line in plan.agency_lines), default=0.0)
    agency = [_line(line, AGENCY_PT, bold=True) for line in plan.agency_lines]
    agency.append(_rule(widest * SHORT_RULE_SHARE, HEADER_COLUMNS_MM[0]))
    national = [_line(NATIONAL_TITLE, NATIONAL_TITLE_PT, bold=True),
                _line(MOTTO, MOTTO_PT, bold=True),
                _rule(_text_width_mm(MOTTO, MOTTO_PT), HEADER_COLUMNS_MM[1])]
    number = _line(plan.number_line, NUMBER_PT, space_before_pt=6)
    date = _line(plan.place_date, DATE_PT, italic=True, space_before_pt=6)
    widths = _column_twips(HEADER_COLUMNS_MM)
    # Bottom alignment puts the 13 pt number and the 14 pt date on (nearly) one baseline.
    rows = (_layout_row(widths, ("".join(agency), "".join(national))),
            _layout_row(widths, (number, date), vertical="bottom"))
    return _table(HEADER_COLUMNS_MM, "".join(rows), border="nil", cell_margin_mm=0.0)


def _title(plan: PlanDocument) -> str:
    """Return ô 5a: the document type, the summary, and a short rule under them."""
    line_mm = _balanced_line_mm(plan.summary, BODY_PT, TEXT_WIDTH_MM)
    side_mm = max(TEXT_WIDTH_MM - line_mm * BALANCE_SLACK, 0.0) / 2
    return (_line(plan.title, BODY_PT, bold=True, space_before_pt=18)
            + _line(plan.summary, BODY_PT, bold=True, side_indent_mm=side_mm)
            + _rule(line_mm * SHORT_RULE_SHARE, TEXT_WIDTH_MM, space_after_pt=12))


def _closing_block(plan: PlanDocument) -> str:
    """Return ô 9b and ô 7: recipients left, signature right, in one row that never splits."""
    # ND30 wants "Nơi nhận:" level with the first authority line: the smaller 12 pt line gets
    # the difference in ascent as extra space, so the two baselines meet.
    ascent_gap = (BODY_PT - RECIPIENTS_HEADING_PT) * ASCENT_EM
    recipients = [_line(RECIPIENTS_HEADING, RECIPIENTS_HEADING_PT, bold=True, italic=True,
                        align="left", space_before_pt=CLOSING_SPACE_PT + ascent_gap)]
    recipients += [_line(line, RECIPIENT_PT, align="left") for line in plan.recipients]
    # ô 7: authority in bold caps, room for signature and seal, the name in bold.
    signature = [(line, True) for line in plan.authority_lines]
    signature += [("", False)] * SIGNATURE_GAP_LINES + [(plan.signer, True)]
    signed = [_line(text, BODY_PT, bold=bold, space_before_pt=CLOSING_SPACE_PT if i == 0 else None)
              for i, (text, bold) in enumerate(signature)]
    row = _layout_row(_column_twips(CLOSING_COLUMNS_MM), ("".join(recipients), "".join(signed)),
                      cant_split=True)
    return _table(CLOSING_COLUMNS_MM, row, border="nil", cell_margin_mm=0.0)


# -- body --------------------------------------------------------------------------------------


def _add_content(body: _Body, blocks: tuple[Block, ...]) -> None:
    """Add the content (ô 6) in order: a paragraph that introduces a table stays on the table's
    page, and the paragraph after a table gets a little air."""
    for previous, block, following in zip((None, *blocks), blocks, (*blocks[1:], None)):
        if isinstance(block, Table):
            body.add_table(_data_table(block))
        else:
            body.add(_body_paragraph(block, after_table=isinstance(previous, Table),
                                     before_table=isinstance(following, Table)))


def _body_paragraph(block: Paragraph, *, after_table: bool, before_table: bool) -> str:
    """Return one justified 14 pt paragraph; headings are bold and stay with what follows."""
    if block.kind not in _PARAGRAPH_KINDS:
        raise ValueError(f"Unknown paragraph kind {block.kind!r}; "
                         f"use one of {list(_PARAGRAPH_KINDS)}")
    always_bold, keep_with_next = _PARAGRAPH_KINDS[block.kind]
    before = _pt_twips(AFTER_TABLE_SPACE_PT) if after_table else 0
    properties = ((_KEEP_NEXT if keep_with_next or before_table else "")
                  + f'<w:spacing w:before="{before}" w:after="{_BODY_SPACE_AFTER}"'
                  f' w:line="{_BODY_LINE}" w:lineRule="auto"/>'
                  f'<w:ind w:firstLine="{_FIRST_LINE_INDENT}"/><w:jc w:val="both"/>')
    runs = "".join(_run(run.text, BODY_PT, bold=always_bold or run.bold, italic=run.italic)
                   for run in block.runs)
    return _paragraph(properties, runs)


def _data_table(block: Table) -> str:
    """Return a bordered data table: a repeating bold header row, rows that never split, and a
    bold total row. A table of few rows is kept on one page: every row but the last stays with
    the row below it."""
    _check_table(block)
    rows: list[tuple[Sequence[str], Sequence[str], bool, bool]] = [
        (block.header, ("center",) * len(block.header), True, True)]
    rows += [(texts, block.align, False, False) for texts in block.rows]
    if block.total is not None:
        rows.append((block.total, block.align, True, False))
    keep_together = len(block.rows) <= KEEP_WHOLE_MAX_ROWS
    widths = _column_twips(block.widths_mm)
    # The cells' XML up to the text is the same down a column for rows of one style: built once
    # per style, a 1000-row table is mostly string joins.
    starts: dict[tuple, tuple[str, ...]] = {}
    xml = []
    for number, (texts, align, bold, header) in enumerate(rows, 1):
        style = (align, bold, keep_together and number < len(rows))
        if style not in starts:
            starts[style] = _data_cell_starts(widths, *style)
        cells = "".join(f"{start}{_run_content(text)}</w:r></w:p></w:tc>"
                        for start, text in zip(starts[style], texts))
        xml.append(f"<w:tr>{_row_properties(header=header)}{cells}</w:tr>")
    return _table(block.widths_mm, "".join(xml), border="single",
                  cell_margin_mm=DATA_CELL_MARGIN_MM)


def _data_cell_starts(widths: Sequence[int], align: Sequence[str], bold: bool,
                      keep_with_next: bool) -> tuple[str, ...]:
    """Return, per column, a data cell's XML up to its text: vertically centred, 12 pt, bold or
    not, aligned as the column, and kept with the next row or not."""
    properties = ((_KEEP_NEXT if keep_with_next else "")
                  + f'<w:spacing w:before="{_CELL_SPACE}" w:after="{_CELL_SPACE}"/>')
    return tuple(f'{_cell_start(width, "center")}<w:p><w:pPr>{properties}'
                 f"{_jc(_ALIGNMENTS[column_align])}</w:pPr>{_run_start(TABLE_PT, bold=bold)}"
                 for width, column_align in zip(widths, align))


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
    if any(width < 0 for width in block.widths_mm):
        raise ValueError(f"Table {block.name!r}: widths_mm {block.widths_mm} has a negative width")
    unknown = sorted(set(block.align) - set(_ALIGNMENTS))
    if unknown:
        raise ValueError(f"Table {block.name!r}: unknown align {unknown}; use {list(_ALIGNMENTS)}")
    if abs(sum(block.widths_mm) - TEXT_WIDTH_MM) > 0.5:
        raise ValueError(f"Table {block.name!r}: widths_mm add up to {sum(block.widths_mm)} mm; "
                         f"they must add up to the text width, {TEXT_WIDTH_MM} mm")


# -- WordprocessingML, written as python-docx wrote it -----------------------------------------
# Elements come in schema order (Word refuses others); attributes in the order python-docx set
# them, so the output stays byte for byte what tests/golden holds. Lengths follow python-docx's
# `Length` arithmetic (below) so they round exactly as before. Text is escaped as lxml escapes
# it (&, <, >; a carriage return never reaches a `w:t`), and characters lxml refuses are
# dropped: for every other character the two serialise identically.

_KEEP_NEXT = "<w:keepNext/>"
_BOTTOM_BORDER = ('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
                  "</w:pBdr>")


# python-docx keeps a length in whole EMUs (914,400 to the inch), truncating, and rounds that to
# twips (635 EMUs each) when it writes one.
_EMU_PER_CM, _EMU_PER_MM, _EMU_PER_PT, _EMU_PER_TWIP = 360000, 36000, 12700, 635


def _emu_twips(emu: int) -> int:
    return int(round(emu / float(_EMU_PER_TWIP)))


def _pt_twips(points: float) -> int:
    """Return `points` in twips as python-docx writes a spacing or line height."""
    return _emu_twips(int(points * _EMU_PER_PT))


def _mm_twips(mm: float) -> int:
    """Return `mm` in twips as python-docx writes an indent or a width."""
    return _emu_twips(int(mm * _EMU_PER_MM))


def _half_points(size_pt: float) -> int:
    """Return a font size in half-points as python-docx writes `w:sz`."""
    return int(int(size_pt * _EMU_PER_PT) / float(_EMU_PER_PT) * 2)


_FIRST_LINE_INDENT = _emu_twips(int(FIRST_LINE_INDENT_CM * _EMU_PER_CM))


_BODY_SPACE_AFTER = _pt_twips(BODY_SPACE_AFTER_PT)
_BODY_LINE = round(BODY_LINE_SPACING * 240)  # a multiple of single spacing, in 240ths
_CELL_SPACE = _pt_twips(TABLE_CELL_SPACE_PT)
# A 1 pt empty paragraph: between two tables (Word merges adjacent ones) and at the end (Word
# adds a full-size paragraph after a final table, which can spill onto an empty page).
_SPACER = f'<w:p><w:pPr><w:spacing w:line="{_pt_twips(1)}" w:lineRule="exact"/></w:pPr></w:p>'
# XML 1.0 forbids most control characters, lone surrogates and U+FFFE/U+FFFF. The text comes
# cleaned; this keeps a stray one from making the whole file unreadable.
# Written as the characters refused, not the complement of those allowed: the same set, but
# compiling the complement's large ranges took about 10 ms of every run.
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RUN_BREAKS = re.compile("([\t\r\n])")


def _xml_text(text: str) -> str:
    """Return `text` without the characters XML cannot hold."""
    return _NOT_XML_CHARACTERS.sub("", text)


def _paragraph(properties: str, content: str = "") -> str:
    """Return a `w:p` with the `w:pPr` children `properties` and the runs `content`."""
    return f"<w:p><w:pPr>{properties}</w:pPr>{content}</w:p>"


def _jc(align: str) -> str:
    return f'<w:jc w:val="{align}"/>'


def _mark_size(size_pt: float) -> str:
    """Return the paragraph mark's size: it sets the height of a paragraph with no text."""
    half_points = round(size_pt * 2)
    return f'<w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'


def _line(text: str, size_pt: float, *, bold: bool = False, italic: bool = False,
          align: str = "center", space_before_pt: float | None = None,
          side_indent_mm: float | None = None) -> str:
    """Return a single-spaced paragraph holding `text`, optionally with space above and the same
    indent on both sides."""
    properties = ""
    if space_before_pt is not None:
        properties += f'<w:spacing w:before="{_pt_twips(space_before_pt)}"/>'
    if side_indent_mm is not None:
        side = _mm_twips(side_indent_mm)
        properties += f'<w:ind w:left="{side}" w:right="{side}"/>'
    properties += _jc(align)
    if text:
        return _paragraph(properties, _run(text, size_pt, bold=bold, italic=italic))
    return _paragraph(properties + _mark_size(size_pt))  # an empty line still needs the size


def _rule(line_mm: float, room_mm: float, *, space_after_pt: float | None = None) -> str:
    """Return an empty paragraph whose bottom border is a solid 0.75 pt line `line_mm` long,
    centred in `room_mm` (the width the paragraph spans). ND30 wants these lines solid, never
    underscores."""
    side = _mm_twips(max(room_mm - line_mm, 0.0) / 2)
    after = f' w:after="{_pt_twips(space_after_pt)}"' if space_after_pt is not None else ""
    return _paragraph(f'{_BOTTOM_BORDER}<w:spacing w:line="{_pt_twips(RULE_LINE_PT)}"'
                      f' w:lineRule="exact"{after}/><w:ind w:left="{side}" w:right="{side}"/>'
                      + _mark_size(RULE_LINE_PT))


@functools.lru_cache(maxsize=64)
def _run_start(size_pt: float, *, bold: bool = False, italic: bool = False) -> str:
    """Return a run's start up to its text: explicit size and emphasis; the font comes from the
    styles."""
    emphasis = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r><w:rPr>{emphasis}<w:sz w:val="{_half_points(size_pt)}"/></w:rPr>'


def _run(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> str:
    """Return a run of `text`."""
    return f"{_run_start(size_pt, bold=bold, italic=italic)}{_run_content(text)}</w:r>"


def _run_content(text: str) -> str:
    """Return `text` as a run's content the way python-docx writes it: a tab is a `w:tab`, a line
    feed or carriage return a `w:br`, the rest `w:t` elements that keep leading and trailing
    space."""
    text = _xml_text(text)
    if not text:
        return ""
    pieces = _RUN_BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,)
    content = []
    for piece in pieces:
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif len(piece.strip()) < len(piece):
            content.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
        elif piece:
            content.append(f"<w:t>{escape(piece)}</w:t>")
    return "".join(content)


def _table(widths_mm: Sequence[float], rows: str, *, border: str, cell_margin_mm: float) -> str:
    """Return a centred table of `rows` with fixed column widths, `border` (`single` or `nil`) on
    every edge and side padding `cell_margin_mm`.

    Word and LibreOffice keep the widths only with a fixed layout, the grid and every cell width
    set. With no padding a cell's text spans its full width, which the centred rules rely on.
    """
    line = ' w:sz="4" w:space="0" w:color="000000"' if border != "nil" else ""
    borders = "".join(f'<w:{edge} w:val="{border}"{line}/>'
                      for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    side = _twips(cell_margin_mm)
    margins = (f'<w:top w:w="0" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
               f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/>')
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in _column_twips(widths_mm))
    return (f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{_twips(sum(widths_mm))}"/>'
            f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
            ' w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")


def _column_twips(widths_mm: Iterable[float]) -> tuple[int, ...]:
    """Return the column widths in twips, rounded as python-docx rounds them."""
    return tuple(_mm_twips(width) for width in widths_mm)


def _row_properties(*, header: bool) -> str:
    """Keep the row on one page; a header row also repeats at the top of every page."""
    return "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else \
        "<w:trPr><w:cantSplit/></w:trPr>"


def _cell_start(width: int, vertical: str | None = None) -> str:
    """Return a cell's start up to its paragraphs: its width, and its vertical alignment."""
    align = f'<w:vAlign w:val="{vertical}"/>' if vertical else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{align}</w:tcPr>'


def _layout_row(widths: Sequence[int], cells: Sequence[str], *, vertical: str | None = None,
                cant_split: bool = False) -> str:
    """Return a row of a borderless layout table whose cells hold the paragraphs `cells`."""
    properties = _row_properties(header=False) if cant_split else ""
    return (f"<w:tr>{properties}"
            + "".join(f"{_cell_start(width, vertical)}{paragraphs}</w:tc>"
                      for width, paragraphs in zip(widths, cells))
            + "</w:tr>")


# -- measures ----------------------------------------------------------------------------------


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


# -- OXML helpers for the set-up: what python-docx has no API for ------------------------------


def _element(tag: str, **attributes: str):
    """Return a new `w:` element with `w:`-qualified `attributes`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _add_run(paragraph: DocxParagraph, size_pt: float) -> DocxRun:
    """Append an empty run of `size_pt` to a python-docx paragraph."""
    from docx.shared import Pt

    run = paragraph.add_run()
    run.font.size = Pt(size_pt)
    run.font.bold = run.font.italic = None
    return run


def _set_run_defaults(r_pr, language: str) -> None:
    """Set Times New Roman 14 pt for all four scripts, black, and `language` on `r_pr`."""
    from docx.oxml.ns import qn

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
    from docx.oxml.ns import qn

    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)


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
