"""Row heights for wrapped text, estimated from its length and the column's width.

openpyxl's write-only mode cannot fit rows to their text, and Excel does not fit them when it
opens a file: a row without a height shows one line of a wrapped cell and, printed, the next row
covers the rest. So the writer gives each row that needs more than one line its height, counting
the lines as a word-wrapping reader would, with a conservative number of characters per unit of
column width (fonts differ between Excel, LibreOffice and the computers they run on).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

# Characters that fit in one unit of column width (the width of a digit): Calibri's letters,
# spaces and punctuation are narrower than its digits, LibreOffice's stand-in fonts wider; bold
# is wider. Words are wrapped as a reader wraps them, so no more margin is needed.
CHARS_PER_UNIT = 1.0
BOLD_CHARS_PER_UNIT = 0.92
LINE_POINTS = 15  # one line of 11 pt text, as Excel's default row height


def line_count(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` takes wrapped in a column `width` wide: each line break starts a line,
    words move whole to the next line, a word longer than a line is broken."""
    capacity = max(1, int(width * (BOLD_CHARS_PER_UNIT if bold else CHARS_PER_UNIT)))
    if len(text) <= capacity and "\n" not in text:
        return 1
    return sum(_paragraph_lines(paragraph, capacity) for paragraph in text.split("\n"))


@functools.lru_cache(maxsize=4096)  # a list repeats its texts (indicators, reasons) from row to row
def _paragraph_lines(paragraph: str, capacity: int) -> int:
    if len(paragraph) <= capacity:
        return 1
    lines, used = 1, 0
    for word in paragraph.split():
        length = len(word)
        if length > capacity:
            lines += 1 if used else 0
            full, used = divmod(length, capacity)
            lines += full - 1 if used == 0 else full
            used = used or capacity
        elif not used:
            used = length
        elif used + 1 + length <= capacity:
            used += 1 + length
        else:
            lines, used = lines + 1, length
    return lines


def row_height(cells: Sequence[tuple[object, float]], bold: bool = False) -> float | None:
    """The height in points of a row whose wrapped cells are `cells`, ``(value, width)`` pairs,
    or None when one line is enough (the row keeps the default height)."""
    lines = max(
        (line_count(value, width, bold) for value, width in cells if isinstance(value, str) and value), default=1
    )
    return lines * LINE_POINTS if lines > 1 else None


def data_row_heights(rows: Sequence[Sequence[object]], wrapped: Sequence[tuple[int, float]]) -> list[float | None]:
    """`row_height` of each row of `rows`, whose wrapped columns are `wrapped`: ``(index, width)`` pairs.

    Column by column, each distinct text measured once: a list of ten thousand households repeats
    its units, classes and indicators, and a row at a time took a second for fifty thousand rows.
    """
    lines = np.ones(len(rows), dtype=np.int64)
    for index, width in wrapped:
        values = [values[index] if index < len(values) else None for values in rows]
        counts = {value: line_count(value, width) for value in set(values) if isinstance(value, str) and value}
        if any(count > 1 for count in counts.values()):
            lines = np.maximum(lines, [counts.get(value, 1) if isinstance(value, str) else 1 for value in values])
    return [float(count * LINE_POINTS) if count > 1 else None for count in lines.tolist()]
