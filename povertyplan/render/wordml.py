"""WordprocessingML written as XML text, in exactly the form python-docx (lxml) serialised it.

Elements come in schema order (Word refuses others); attributes in the order python-docx set
them, so the output stays byte for byte what tests/golden holds. Lengths follow python-docx's
`Length` arithmetic (below) so they round exactly as before. Text is escaped as lxml escapes
it (`escape`; a carriage return in a run is a break and never reaches a `w:t`), and characters
lxml refuses are dropped: for every other character the two serialise identically.

Nothing here knows the plan or Nghị định 30; `layout.py` decides what goes where.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Iterable, Sequence

from povertyplan.render.xmltext import NOT_XML_CHARACTERS, escape, xml_text  # noqa: F401  (part of wordml's vocabulary)


_RUN_BREAKS = re.compile("([\t\r\n])")


# -- lengths -----------------------------------------------------------------------------------
# python-docx keeps a length in whole EMUs (914,400 to the inch), truncating, and rounds that to
# twips (635 EMUs each) when it writes one.
_EMU_PER_CM, _EMU_PER_MM, _EMU_PER_PT, _EMU_PER_TWIP = 360000, 36000, 12700, 635


def _emu_twips(emu: int) -> int:
    return int(round(emu / float(_EMU_PER_TWIP)))


def pt_twips(points: float) -> int:
    """Return `points` in twips as python-docx writes a spacing or line height."""
    return _emu_twips(int(points * _EMU_PER_PT))


def mm_twips(mm: float) -> int:
    """Return `mm` in twips as python-docx writes an indent or a width."""
    return _emu_twips(int(mm * _EMU_PER_MM))


def cm_twips(cm: float) -> int:
    """Return `cm` in twips as python-docx writes an indent."""
    return _emu_twips(int(cm * _EMU_PER_CM))


def half_points(size_pt: float) -> int:
    """Return a font size in half-points as python-docx writes `w:sz`."""
    return int(int(size_pt * _EMU_PER_PT) / float(_EMU_PER_PT) * 2)


def twips(mm: float) -> int:
    """Return `mm` in twentieths of a point, the unit of most WordprocessingML widths."""
    return round(mm * 1440 / 25.4)


def column_twips(widths_mm: Iterable[float]) -> tuple[int, ...]:
    """Return the column widths in twips, rounded as python-docx rounds them."""
    return tuple(mm_twips(width) for width in widths_mm)


# -- paragraphs and runs -----------------------------------------------------------------------

KEEP_NEXT = "<w:keepNext/>"
BOTTOM_BORDER = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>'
# A 1 pt empty paragraph: between two tables (Word merges adjacent ones) and at the end (Word
# adds a full-size paragraph after a final table, which can spill onto an empty page).
SPACER = f'<w:p><w:pPr><w:spacing w:line="{pt_twips(1)}" w:lineRule="exact"/></w:pPr></w:p>'


def paragraph(properties: str, content: str = "") -> str:
    """Return a `w:p` with the `w:pPr` children `properties` and the runs `content`."""
    return f"<w:p><w:pPr>{properties}</w:pPr>{content}</w:p>"


def jc(align: str) -> str:
    return f'<w:jc w:val="{align}"/>'


def mark_size(size_pt: float) -> str:
    """Return the paragraph mark's size: it sets the height of a paragraph with no text."""
    size = round(size_pt * 2)
    return f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


def line(
    text: str,
    size_pt: float,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    space_before_pt: float | None = None,
    side_indent_mm: float | None = None,
) -> str:
    """Return a single-spaced paragraph holding `text`, optionally with space above and the same
    indent on both sides."""
    properties = ""
    if space_before_pt is not None:
        properties += f'<w:spacing w:before="{pt_twips(space_before_pt)}"/>'
    if side_indent_mm is not None:
        side = mm_twips(side_indent_mm)
        properties += f'<w:ind w:left="{side}" w:right="{side}"/>'
    properties += jc(align)
    if text:
        return paragraph(properties, run(text, size_pt, bold=bold, italic=italic))
    return paragraph(properties + mark_size(size_pt))  # an empty line still needs the size


@functools.lru_cache(maxsize=64)
def run_start(size_pt: float, *, bold: bool = False, italic: bool = False) -> str:
    """Return a run's start up to its text: explicit size and emphasis; the font comes from the
    styles."""
    emphasis = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    return f'<w:r><w:rPr>{emphasis}<w:sz w:val="{half_points(size_pt)}"/></w:rPr>'


def run(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> str:
    """Return a run of `text`."""
    return f"{run_start(size_pt, bold=bold, italic=italic)}{run_content(text)}</w:r>"


def run_content(text: str) -> str:
    """Return `text` as a run's content the way python-docx writes it: a tab is a `w:tab`, a line
    feed or carriage return a `w:br`, the rest `w:t` elements that keep leading and trailing
    space."""
    text = xml_text(text)
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


# -- tables ------------------------------------------------------------------------------------


def table(widths_mm: Sequence[float], rows: str, *, border: str, cell_margin_mm: float) -> str:
    """Return a centred table of `rows` with fixed column widths, `border` (`single` or `nil`) on
    every edge and side padding `cell_margin_mm`.

    Word and LibreOffice keep the widths only with a fixed layout, the grid and every cell width
    set. With no padding a cell's text spans its full width, which the centred rules rely on.
    """
    rule = ' w:sz="4" w:space="0" w:color="000000"' if border != "nil" else ""
    borders = "".join(
        f'<w:{edge} w:val="{border}"{rule}/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    side = twips(cell_margin_mm)
    margins = (
        f'<w:top w:w="0" w:type="dxa"/><w:left w:w="{side}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{side}" w:type="dxa"/>'
    )
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in column_twips(widths_mm))
    return (
        f'<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="{twips(sum(widths_mm))}"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
        ' w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )


def row_properties(*, header: bool) -> str:
    """Keep the row on one page; a header row also repeats at the top of every page."""
    return "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"


def cell_start(width: int, vertical: str | None = None) -> str:
    """Return a cell's start up to its paragraphs: its width, and its vertical alignment."""
    align = f'<w:vAlign w:val="{vertical}"/>' if vertical else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{align}</w:tcPr>'


def layout_row(
    widths: Sequence[int], cells: Sequence[str], *, vertical: str | None = None, cant_split: bool = False
) -> str:
    """Return a row of a borderless layout table whose cells hold the paragraphs `cells`."""
    properties = row_properties(header=False) if cant_split else ""
    return (
        f"<w:tr>{properties}"
        + "".join(f"{cell_start(width, vertical)}{paragraphs}</w:tc>" for width, paragraphs in zip(widths, cells))
        + "</w:tr>"
    )


# -- measures ----------------------------------------------------------------------------------


def text_width_mm(text: str, size_pt: float) -> float:
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


def balanced_line_mm(text: str, size_pt: float, room_mm: float) -> float:
    """Return the length of each line when `text` is broken into the fewest lines of `room_mm`
    and those lines are made equally long.

    A long summary wrapped greedily can leave a word or two alone on its last line; narrowing the
    paragraph to this length (plus some slack) balances the lines the way clerks break them.
    """
    width = text_width_mm(text, size_pt)
    return width / max(1, math.ceil(width / room_mm))
