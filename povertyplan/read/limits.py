"""Limits on what a workbook file may hold: past them it is refused as hostile or ignored.

Stated for users in docs/limits.md.
"""

# A real million-row register unpacks to about 1 GB of XML at a compression ratio near 10; a zip
# bomb unpacks hundreds of times its size.
MAX_UNPACKED_BYTES = 3 * 1024**3
MAX_RATIO = 200
RATIO_APPLIES_ABOVE = 5 * 1024**2
MAX_MEMBERS = 10_000
# Parts openpyxl parses whole into memory (styles, workbook, relationships…); real ones are
# kilobytes. The shared strings hold every distinct text of the workbook, so they get more room.
MAX_PART_BYTES = 50 * 1024**2
MAX_SHARED_STRINGS_BYTES = 500 * 1024**2
# The contract has no sheet this wide; cells further right are ignored, never stored.
MAX_COLUMNS = 200
# Excel's own grid: a cell beyond it cannot come from Excel.
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
# Excel writes no DTD; a real prolog (<?xml …?>) is a few dozen bytes.
PROLOG_BYTES = 16 * 1024
# An .xls or .ods is read whole into memory by calamine, one slot of about 32 bytes per cell of each
# sheet's used area; a register of 100,000 households × 20 columns has 2 million.
MAX_BOOK_CELLS = 30_000_000
# An .xls (Excel 97–2003) holds at most 65,536 rows × 256 columns; a full one is about 200 MB.
MAX_XLS_BYTES = 512 * 1024**2
XLS_MAX_ROW = 65_536
XLS_MAX_COLUMN = 256
# Cells of an .xls or .ods holding an error value or an unsaved formula (each is reported at its cell).
MAX_MARKED_CELLS = 1_000_000
