"""Lay out a `PlanDocument` as a .docx that follows Nghị định 30/2020/NĐ-CP, Phụ lục I.

The text arrives final (see `document.py`); this module decides only where and how it is
printed: the header and closing tables, the title, the short rules, the content and its data
tables. The page itself (paper, margins, default font, page numbers) is the skeleton's
(`skeleton.docx`, read by `skeleton.py`, built by `tools/build_skeleton.py`); the XML is written
by `wordml.py`.

Speed: building every paragraph and run through python-docx's object API cost about 150 ms per
plan (a schema-ordered search for each property of each run). So the body is written here as XML
text in exactly the form python-docx (lxml) serialised it, and the skeleton zips it and the core
properties next to its own parts, which are compressed once per process.

tests/golden holds the XML the python-docx implementation wrote; the tests compare byte for byte.
"""

from __future__ import annotations

import os
from typing import IO, Sequence

from povertyplan.render import wordml
from povertyplan.compose.document import Block, Paragraph, PlanDocument, Table
from povertyplan.render.skeleton import BODY_PT, TEXT_WIDTH_MM, skeleton

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"

AGENCY_PT = 13
NATIONAL_TITLE_PT = 13  # 96 mm in bold Times New Roman: one line in the 100 mm column
MOTTO_PT = 14  # ND30: one size above the national title
NUMBER_PT = 13
DATE_PT = 14
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
_ALIGNMENTS = ("left", "center", "right")
# kind -> (always bold, keep with next paragraph)
_PARAGRAPH_KINDS = {"body": (False, False), "heading1": (True, True), "heading2": (True, True)}

_FIRST_LINE_INDENT = wordml.cm_twips(FIRST_LINE_INDENT_CM)
_BODY_SPACE_AFTER = wordml.pt_twips(BODY_SPACE_AFTER_PT)
_BODY_LINE = round(BODY_LINE_SPACING * 240)  # a multiple of single spacing, in 240ths
_CELL_SPACE = wordml.pt_twips(TABLE_CELL_SPACE_PT)


def docx_bytes(plan: PlanDocument) -> bytes:
    """The .docx of `plan`, laid out to Nghị định 30; `ValueError` as `write_docx`."""
    return skeleton(plan.language).docx(_body_xml(plan), plan.summary)


def write_docx(plan: PlanDocument, target: str | os.PathLike[str] | IO[bytes]) -> None:
    """Lay out `plan` to Nghị định 30 and save it to `target` (a path or a binary file object).

    Raises `ValueError` when the plan cannot be laid out as given: an unknown paragraph kind or
    column alignment, a table whose rows or widths do not match its header, or a language that is
    not a language tag. Nothing is written then.
    """
    data = docx_bytes(plan)
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as stream:
            stream.write(data)
    else:
        target.write(data)


def _body_xml(plan: PlanDocument) -> bytes:
    """Return the body's XML, which goes in front of the skeleton's section properties.

    The text is already what lxml would serialise (`wordml` writes its canonical form and
    escapes text as it escapes it).
    """
    body = _Body()
    body.add_table(_header_block(plan))
    body.add(_title(plan))
    _add_content(body, plan.body)
    body.add_table(_closing_block(plan))
    body.add(wordml.SPACER)
    return body.xml().encode("utf-8")


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
            self._pieces.append(wordml.SPACER)
        self._pieces.append(table)
        self._ends_with_table = True

    def xml(self) -> str:
        return "".join(self._pieces)


# -- header, title, closing ------------------------------------------------------------------


def _header_block(plan: PlanDocument) -> str:
    """Return ô 1–4: agency and national title side by side, then number and date on one line."""
    widest = max((wordml.text_width_mm(line, AGENCY_PT) for line in plan.agency_lines), default=0.0)
    agency = [wordml.line(line, AGENCY_PT, bold=True) for line in plan.agency_lines]
    agency.append(_rule(widest * SHORT_RULE_SHARE, HEADER_COLUMNS_MM[0]))
    national = [
        wordml.line(NATIONAL_TITLE, NATIONAL_TITLE_PT, bold=True),
        wordml.line(MOTTO, MOTTO_PT, bold=True),
        _rule(wordml.text_width_mm(MOTTO, MOTTO_PT), HEADER_COLUMNS_MM[1]),
    ]
    number = wordml.line(plan.number_line, NUMBER_PT, space_before_pt=6)
    date = wordml.line(plan.place_date, DATE_PT, italic=True, space_before_pt=6)
    widths = wordml.column_twips(HEADER_COLUMNS_MM)
    # Bottom alignment puts the 13 pt number and the 14 pt date on (nearly) one baseline.
    rows = (
        wordml.layout_row(widths, ("".join(agency), "".join(national))),
        wordml.layout_row(widths, (number, date), vertical="bottom"),
    )
    return wordml.table(HEADER_COLUMNS_MM, "".join(rows), border="nil", cell_margin_mm=0.0)


def _title(plan: PlanDocument) -> str:
    """Return ô 5a: the document type, the summary, and a short rule under them."""
    line_mm = wordml.balanced_line_mm(plan.summary, BODY_PT, TEXT_WIDTH_MM)
    side_mm = max(TEXT_WIDTH_MM - line_mm * BALANCE_SLACK, 0.0) / 2
    return (
        wordml.line(plan.title, BODY_PT, bold=True, space_before_pt=18)
        + wordml.line(plan.summary, BODY_PT, bold=True, side_indent_mm=side_mm)
        + _rule(line_mm * SHORT_RULE_SHARE, TEXT_WIDTH_MM, space_after_pt=12)
    )


def _closing_block(plan: PlanDocument) -> str:
    """Return ô 9b and ô 7: recipients left, signature right, in one row that never splits."""
    # ND30 wants "Nơi nhận:" level with the first authority line: the smaller 12 pt line gets
    # the difference in ascent as extra space, so the two baselines meet.
    ascent_gap = (BODY_PT - RECIPIENTS_HEADING_PT) * ASCENT_EM
    recipients = [
        wordml.line(
            RECIPIENTS_HEADING,
            RECIPIENTS_HEADING_PT,
            bold=True,
            italic=True,
            align="left",
            space_before_pt=CLOSING_SPACE_PT + ascent_gap,
        )
    ]
    recipients += [wordml.line(line, RECIPIENT_PT, align="left") for line in plan.recipients]
    # ô 7: authority in bold caps, room for signature and seal, the name in bold.
    signature = [(line, True) for line in plan.authority_lines]
    signature += [("", False)] * SIGNATURE_GAP_LINES + [(plan.signer, True)]
    signed = [
        wordml.line(text, BODY_PT, bold=bold, space_before_pt=CLOSING_SPACE_PT if i == 0 else None)
        for i, (text, bold) in enumerate(signature)
    ]
    row = wordml.layout_row(
        wordml.column_twips(CLOSING_COLUMNS_MM), ("".join(recipients), "".join(signed)), cant_split=True
    )
    return wordml.table(CLOSING_COLUMNS_MM, row, border="nil", cell_margin_mm=0.0)


def _rule(line_mm: float, room_mm: float, *, space_after_pt: float | None = None) -> str:
    """Return an empty paragraph whose bottom border is a solid 0.75 pt line `line_mm` long,
    centred in `room_mm` (the width the paragraph spans). ND30 wants these lines solid, never
    underscores."""
    side = wordml.mm_twips(max(room_mm - line_mm, 0.0) / 2)
    after = f' w:after="{wordml.pt_twips(space_after_pt)}"' if space_after_pt is not None else ""
    height = wordml.pt_twips(RULE_LINE_PT)
    return wordml.paragraph(
        f'{wordml.BOTTOM_BORDER}<w:spacing w:line="{height}"'
        f' w:lineRule="exact"{after}/><w:ind w:left="{side}" w:right="{side}"/>' + wordml.mark_size(RULE_LINE_PT)
    )


# -- body --------------------------------------------------------------------------------------


def _add_content(body: _Body, blocks: tuple[Block, ...]) -> None:
    """Add the content (ô 6) in order: a paragraph that introduces a table stays on the table's
    page, and the paragraph after a table gets a little air."""
    for previous, block, following in zip((None, *blocks), blocks, (*blocks[1:], None)):
        if isinstance(block, Table):
            body.add_table(_data_table(block))
        else:
            body.add(
                _body_paragraph(
                    block, after_table=isinstance(previous, Table), before_table=isinstance(following, Table)
                )
            )


def _body_paragraph(block: Paragraph, *, after_table: bool, before_table: bool) -> str:
    """Return one justified 14 pt paragraph; headings are bold and stay with what follows."""
    if block.kind not in _PARAGRAPH_KINDS:
        raise ValueError(f"Unknown paragraph kind {block.kind!r}; use one of {list(_PARAGRAPH_KINDS)}")
    always_bold, keep_with_next = _PARAGRAPH_KINDS[block.kind]
    before = wordml.pt_twips(AFTER_TABLE_SPACE_PT) if after_table else 0
    properties = (
        (wordml.KEEP_NEXT if keep_with_next or before_table else "")
        + f'<w:spacing w:before="{before}" w:after="{_BODY_SPACE_AFTER}"'
        f' w:line="{_BODY_LINE}" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="{_FIRST_LINE_INDENT}"/><w:jc w:val="both"/>'
    )
    runs = "".join(wordml.run(run.text, BODY_PT, bold=always_bold or run.bold, italic=run.italic) for run in block.runs)
    return wordml.paragraph(properties, runs)


def _data_table(block: Table) -> str:
    """Return a bordered data table: a repeating bold header row, rows that never split, and a
    bold total row. A table of few rows is kept on one page: every row but the last stays with
    the row below it."""
    _check_table(block)
    rows: list[tuple[Sequence[str], Sequence[str], bool, bool]] = [
        (block.header, ("center",) * len(block.header), True, True)
    ]
    rows += [(texts, block.align, False, False) for texts in block.rows]
    if block.total is not None:
        rows.append((block.total, block.align, True, False))
    keep_together = len(block.rows) <= KEEP_WHOLE_MAX_ROWS
    widths = wordml.column_twips(block.widths_mm)
    # The cells' XML up to the text is the same down a column for rows of one style: built once
    # per style, a 1000-row table is mostly string joins.
    starts: dict[tuple, tuple[str, ...]] = {}
    xml = []
    for number, (texts, align, bold, header) in enumerate(rows, 1):
        style = (align, bold, keep_together and number < len(rows))
        if style not in starts:
            starts[style] = _data_cell_starts(widths, *style)
        cells = "".join(
            f"{start}{wordml.run_content(text)}</w:r></w:p></w:tc>" for start, text in zip(starts[style], texts)
        )
        xml.append(f"<w:tr>{wordml.row_properties(header=header)}{cells}</w:tr>")
    return wordml.table(block.widths_mm, "".join(xml), border="single", cell_margin_mm=DATA_CELL_MARGIN_MM)


def _data_cell_starts(widths: Sequence[int], align: Sequence[str], bold: bool, keep_with_next: bool) -> tuple[str, ...]:
    """Return, per column, a data cell's XML up to its text: vertically centred, 12 pt, bold or
    not, aligned as the column, and kept with the next row or not."""
    properties = (
        wordml.KEEP_NEXT if keep_with_next else ""
    ) + f'<w:spacing w:before="{_CELL_SPACE}" w:after="{_CELL_SPACE}"/>'
    run_start = wordml.run_start(TABLE_PT, bold=bold)
    return tuple(
        f"{wordml.cell_start(width, 'center')}<w:p><w:pPr>{properties}{wordml.jc(column_align)}</w:pPr>{run_start}"
        for width, column_align in zip(widths, align)
    )


def _check_table(block: Table) -> None:
    """Fail loudly when `block` cannot be laid out as a rectangular table of the text width."""
    columns = len(block.header)
    shaped = {"widths_mm": block.widths_mm, "align": block.align}
    shaped.update({f"row {number}": row for number, row in enumerate(block.rows, 1)})
    if block.total is not None:
        shaped["total"] = block.total
    for label, cells in shaped.items():
        if len(cells) != columns:
            raise ValueError(f"Table {block.name!r}: {label} has {len(cells)} cells, the header has {columns}")
    if any(width < 0 for width in block.widths_mm):
        raise ValueError(f"Table {block.name!r}: widths_mm {block.widths_mm} has a negative width")
    unknown = sorted(set(block.align) - set(_ALIGNMENTS))
    if unknown:
        raise ValueError(f"Table {block.name!r}: unknown align {unknown}; use {list(_ALIGNMENTS)}")
    if abs(sum(block.widths_mm) - TEXT_WIDTH_MM) > 0.5:
        raise ValueError(
            f"Table {block.name!r}: widths_mm add up to {sum(block.widths_mm)} mm; "
            f"they must add up to the text width, {TEXT_WIDTH_MM} mm"
        )
