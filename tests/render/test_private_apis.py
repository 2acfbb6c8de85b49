"""The private parts of openpyxl and pandas the writers and column cleaners rely on still behave
as expected: an upgrade that changes them fails here."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from povertyplan.read.textcolumns import arrow_chunks
from povertyplan.render.xlsx import give_style, style_of


def test_a_style_record_copied_from_one_write_only_cell_styles_another():
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("S")
    first = WriteOnlyCell(sheet, "a")
    first.font = Font(bold=True)
    second = WriteOnlyCell(sheet, "b")
    give_style(second, style_of(first))
    assert second.font.bold and second.style_id == first.style_id
    sheet.append([first, second])
    saved = io.BytesIO()
    book.save(saved)
    saved.seek(0)
    assert openpyxl.load_workbook(saved)["S"]["B1"].font.bold


def test_the_text_column_s_arrow_data_is_handed_over_without_a_copy():
    chunks = pa.chunked_array([pa.array(["một", "hai"], type=pa.large_string())])
    series = pd.Series(pd.arrays.ArrowStringArray(chunks, dtype=pd.StringDtype("pyarrow", na_value=float("nan"))))
    handed = arrow_chunks(series)
    assert isinstance(handed, pa.ChunkedArray)
    assert handed.chunk(0).buffers()[2].address == chunks.chunk(0).buffers()[2].address
