"""A table's data rows as worksheet XML text, byte for byte as openpyxl's write-only mode writes them.

Used by `xlsx_out` alone, which knows openpyxl: it passes in openpyxl's column letters and which
text openpyxl treats apart, and puts the rows into the workbook openpyxl saved. openpyxl's cost
per cell made a review list of 10,000 households take seconds; this text takes a fraction of one.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Sequence

from povertyplan.compose.spreadsheet import Formula
from povertyplan.render.xmltext import escape


def rows_xml(
    rows: Sequence[Sequence[object]],
    row_looks: Sequence[Sequence[object | None]],
    first_row: int,
    style_id: Callable[[object], int],
    column_letter: Callable[[int], str],
    treated_apart: Callable[[str], bool],
    heights: Sequence[float | None] | None = None,
) -> str | None:
    """`rows` from Excel row `first_row` on as openpyxl's write-only mode writes them, or None
    when a value is not plain (text, int, float, None) or is text openpyxl treats apart
    (`treated_apart`: a formula, an error code, a character a worksheet cannot hold, …).

    A `Formula` is written as openpyxl writes a formula: without a computed value, which the
    spreadsheet program computes on opening (the workbook asks for a full calculation).
    `row_looks` gives each cell's look (None: unstyled) and `style_id` a look's style index;
    `column_letter` names the column numbered from 1; `heights` each row's height in points
    (None: the default), as openpyxl writes a row dimension's. The same XML, byte for byte: inline
    strings, numbers as ``%.16g``, non-ASCII characters as character references, a style index
    only on a styled cell, a blank unstyled cell left out; style indices are taken in openpyxl's
    order. Each distinct text is formatted once.
    """
    letters = [column_letter(index) for index in range(1, max(map(len, rows), default=0) + 1)]
    styles: dict[int, list[str]] = {}  # by the identity of a row's looks: rows share a few lists
    texts: dict[str, str | None] = {}
    parts = []
    for offset, (values, cell_looks) in enumerate(zip(rows, row_looks)):
        number, height = first_row + offset, heights[offset] if heights else None
        parts.append(
            f'<row r="{number}" ht="{"%.16g" % height}" customHeight="1">' if height else f'<row r="{number}">'
        )
        if id(cell_looks) not in styles:
            styles[id(cell_looks)] = [f' s="{style_id(look)}"' if look else "" for look in cell_looks]
        for letter, value, styled in zip(letters, values, styles[id(cell_looks)]):
            kind = type(value)
            if kind is str:
                rest = (
                    texts[value]
                    if value in texts
                    else texts.setdefault(value, None if treated_apart(value) else _text_cell(value))
                )
            elif kind is int or (kind is float and math.isfinite(value)):
                rest = f' t="n"><v>{"%.16g" % value}</v></c>'
            elif kind is Formula:
                rest = (
                    "><f>" + escape(value.text).encode("ascii", "xmlcharrefreplace").decode("ascii") + "</f><v></v></c>"
                )
            elif value is None:
                if not styled:
                    continue
                rest = ' t="n"></c>'
            else:
                rest = None
            if rest is None:
                return None
            parts.append(f'<c r="{letter}{number}"{styled}{rest}')
        parts.append("</row>")
    return "".join(parts)


def _text_cell(value: str) -> str:
    """The end of a text cell's XML after its style, as openpyxl writes it."""
    if not value:
        return ' t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return (
        f' t="inlineStr"><is><t{space}>'
        + escape(value).encode("ascii", "xmlcharrefreplace").decode("ascii")
        + "</t></is></c>"
    )


def with_rows(data: bytes, rows: dict[str, str]) -> bytes:
    """The .xlsx `data` with the XML `rows[part]` added at the end of each named sheet part's rows."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
    ):
        for info in source.infolist():
            part = source.read(info)
            if info.filename in rows:
                added = rows[info.filename].encode("ascii")  # `rows_xml` wrote non-ASCII as references, as lxml does
                if b"</sheetData>" in part:
                    head, tail = part.rsplit(b"</sheetData>", 1)
                    part = head + added + b"</sheetData>" + tail
                else:
                    part = part.replace(b"<sheetData/>", b"<sheetData>" + added + b"</sheetData>", 1)
            target.writestr(info, part)
    return out.getvalue()
