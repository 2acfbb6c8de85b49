"""Column-wise reading of one large worksheet straight from its XML, vectorised with numpy.

A register at Excel's limit holds twenty million cells. openpyxl makes a Python object of each
(minutes); calamine parses fast but builds the sheet's whole dense grid (about 1 GB). This reader
decompresses the sheet in blocks cut after a ``</row>``, finds the tags of every cell with numpy
over the block's bytes, and keeps only the columns it is asked for, as Arrow text: memory is
bounded by one block plus the columns kept.

It accepts only the XML that spreadsheet programs write (Excel, LibreOffice, openpyxl,
XlsxWriter, the Open XML SDK with its ``x:`` prefix on every element): inside ``<sheetData>``
only rows, cells, values, formulas and plain inline strings, no comments, processing
instructions or namespace declarations, every cell with its reference first, rows and columns in
order, inside Excel's grid. Anything else makes `read_columns` return None, and the caller reads
the sheet with openpyxl, which explains what is wrong. Text comes out as an XML parser reads it
(references and line ends resolved, `xmlbytes.text`).

Values come out as text the way the exact reader's cells print (`cells.clean_text`'s input):
numbers as written in the file (``1500000``, ``4.5``), booleans ``True``/``False``, error values
(``#N/A``) as their text, a formula without a saved value as `UNSAVED`, a blank or empty cell as
null. Dates keep their serial number (the register has no date column).
"""

from __future__ import annotations

import os
import re
import threading
import zipfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from povertyplan.read.cells import UNSAVED_MARK as UNSAVED
from povertyplan.read.limits import EXCEL_MAX_COLUMN, EXCEL_MAX_ROW
from povertyplan.read.fast.sharedstrings import SharedStrings
from povertyplan.read.fast.xmlbytes import (
    BLOCK_BYTES,
    DAMAGE,
    GT,
    LT,
    PAD,
    QUOTE,
    SLASH,
    TEXT_TYPE,
    NotOrdinary,
    read_digits,
    read_root,
    split_after,
    starts_with,
    text,
    unprefix,
)

# The text the kept columns of a large sheet may hold: a real million-household register holds
# about 150 MB. A cell repeating a long shared string (Excel allows 32,767 characters) would make
# a copy per cell here, where openpyxl shares one string: beyond this, openpyxl reads the sheet.
MAX_TEXT_BYTES = 1024**3
# The start of a sheet searched for its header rows.
HEAD_BYTES = 256 * 1024

# The first letter of the tags allowed inside <sheetData> (row, c, v, f, is, t), opening or
# closing; `r` only as the start of `row` (a rich-text run `<r>` is not ordinary).
_ALLOWED_NAME = np.zeros(256, dtype=bool)
_ALLOWED_NAME[list(b"rcvfit")] = True

# Rows numbered from the block before (`_row_numbers`): far below any row, in order.
RELATIVE = -(2**40)

# Kinds of cell value.
BLANK, SHARED, TEXT, UNSAVED_KIND = 0, 1, 2, 3


@dataclass
class Columns:
    """What `read_columns` returns: the wanted columns as Arrow text, one row per sheet row with
    a value in any column (`rows`, ascending Excel numbers)."""

    rows: np.ndarray
    columns: dict[int, pa.Array | pa.ChunkedArray]
    last_row: int = 0  # the number of the block's last <row> (filled or not), for `_assemble`
    hidden_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # rows <row hidden="1">


def read_columns(
    archive: zipfile.ZipFile, part: str, shared: SharedStrings, wanted: list[int], max_columns: int
) -> Columns | None:
    """The columns `wanted` (0 = A) of the sheet at `part`, for the rows that hold any value in
    the first `max_columns` columns; None when the sheet is not ordinary.

    `shared` is the workbook's shared strings (`read_shared_strings`).
    """
    wanted = sorted(set(wanted))
    budget = _TextBudget(MAX_TEXT_BYTES)
    try:

        def parse(piece):
            return _parse_block(
                unprefix(*piece), shared, wanted, max_columns, budget
            )  # in the threads: a copy per block

        return _assemble(list(_in_threads(parse, sheet_blocks(archive, part))), wanted)
    except (NotOrdinary, *DAMAGE):
        return None


class _TextBudget:
    """The bytes of text the kept columns may add up to, shared by the reading threads."""

    def __init__(self, limit: int):
        self._left, self._lock = limit, threading.Lock()

    def spend(self, size: int) -> None:
        with self._lock:
            self._left -= size
            if self._left < 0:
                raise NotOrdinary  # openpyxl shares one string among cells; copies would not fit


def _in_threads(work, items: Iterator) -> Iterator:
    """`map(work, items)` on every core, in order, a few items in flight at a time (memory).

    numpy and zlib release the GIL for the bulk of this work, so threads do run in parallel;
    the decompression of the next block overlaps the parse of the previous ones.
    """
    workers = max(1, min(4, os.cpu_count() or 1))
    if workers == 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(workers) as pool:
        pending: deque = deque()
        try:
            for item in items:
                pending.append(pool.submit(work, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def first_rows(
    archive: zipfile.ZipFile, part: str, shared: SharedStrings, count: int, max_columns: int
) -> list[tuple[int, tuple]] | None:
    """(Excel row, values) of the sheet's first `count` rows holding a value, as `reader` yields
    them (values up to the last filled column, None for blanks); None when not ordinary.

    Only the start of the sheet is parsed, as far as those rows reach: a header sits in its
    first rows.
    """
    wanted = list(range(max_columns))
    try:
        pieces, rows = [], 0
        for piece in _from_the_start(sheet_blocks(archive, part)):
            pieces.append(_parse_block(unprefix(*piece), shared, wanted, max_columns))
            rows += len(pieces[-1].rows)
            if rows >= count:
                break
        found = _assemble(pieces, wanted)
    except (NotOrdinary, *DAMAGE):
        return None
    table = [found.columns[column][:count].to_pylist() for column in wanted]
    result = []
    for index, row in enumerate(found.rows[:count]):
        values = [column[index] for column in table]
        while values and values[-1] is None:
            values.pop()
        result.append((int(row), tuple(values)))
    return result


def _from_the_start(blocks: Iterator[tuple[bytes, bytes]]) -> Iterator[tuple[bytes, bytes]]:
    """The blocks, the first cut after the first row past HEAD_BYTES (the header is near)."""
    for number, (block, prefix) in enumerate(blocks):
        row_end = b"</" + prefix + b"row>"
        cut = block.find(row_end, HEAD_BYTES) if number == 0 else -1
        if cut < 0:
            yield block, prefix
        else:
            yield block[: cut + len(row_end)], prefix
            yield block[cut + len(row_end) :], prefix


def _assemble(pieces: list[Columns], wanted: list[int]) -> Columns:
    """The blocks' columns end to end (chunks, not copies), once their rows are proven in order.

    Rows written without a number at the start of a block (`RELATIVE` + k) get theirs here, from
    the last row of the blocks before, as openpyxl counts them.
    """
    last = 0
    for piece in pieces:
        relative = piece.rows < 0
        if relative.any():
            piece.rows = np.where(relative, piece.rows + (last - RELATIVE), piece.rows)
        if len(piece.rows) and (piece.rows[0] <= last or piece.rows[-1] > EXCEL_MAX_ROW):
            raise NotOrdinary  # rows out of order, or one row split over two blocks
        if piece.last_row:  # 0: a block without rows
            last = piece.last_row + (last - RELATIVE) if piece.last_row < 0 else piece.last_row
        if last > EXCEL_MAX_ROW:
            raise NotOrdinary
    rows = np.concatenate([piece.rows for piece in pieces] or [np.zeros(0, np.int64)])
    hidden = np.concatenate([piece.hidden_rows for piece in pieces] or [np.zeros(0, np.int64)])
    return Columns(
        rows,
        {column: pa.chunked_array([piece.columns.pop(column) for piece in pieces], TEXT_TYPE) for column in wanted},
        hidden_rows=hidden,
    )


def sheet_blocks(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[bytes, bytes]]:
    """The part's ``<sheetData>`` content in blocks of whole rows (each cut after a ``</row>``),
    each with the prefix of its tags (b"x:" as the Open XML SDK writes, b"" mostly), for
    `xmlbytes.unprefix` to take off."""
    with archive.open(part) as stream:
        root, buffer = read_root(stream, BLOCK_BYTES)
        prefix = root.prefix
        begin, end, row_end = b"<" + prefix + b"sheetData", b"</" + prefix + b"sheetData", b"</" + prefix + b"row>"
        carry, started = buffer[root.end :], False
        while True:
            block = stream.read(BLOCK_BYTES)
            buffer = carry + block
            if not started:
                at = buffer.find(begin)
                if at < 0:
                    if not block:
                        return
                    carry = buffer[-64:]
                    continue
                opened = buffer.find(b">", at)
                if opened < 0:
                    carry = buffer
                    continue
                if buffer[opened - 1] == SLASH:  # <sheetData/>: no cells
                    return
                buffer, started = buffer[opened + 1 :], True
            stop = buffer.find(end)
            if stop >= 0:
                if buffer[:stop].strip():
                    yield buffer[:stop], prefix
                return
            if not block:
                raise NotOrdinary  # the part ends inside <sheetData>
            piece, carry = split_after(buffer, row_end)
            if piece:
                yield piece, prefix


def _parse_block(
    block: bytes, shared: SharedStrings, wanted: list[int], max_columns: int, budget: _TextBudget | None = None
) -> Columns:
    data = np.frombuffer(block + PAD, dtype=np.uint8)
    tags = np.flatnonzero(data == LT).astype(np.int32)  # a block is far below 2 GB
    first = data[tags + 1]
    slash = (first == SLASH).astype(np.int64)
    name, second = data[tags + 1 + slash], data[tags + 2 + slash]
    if (~_ALLOWED_NAME[name] | ((name == ord("r")) & (second != ord("o")))).any():
        raise NotOrdinary
    closes = _Closes(data)
    is_row = first == ord("r")
    row_numbers, row_digits = _row_numbers(
        block,
        data,
        tags[is_row],
        closes.ending(tags[is_row], tags[np.minimum(np.flatnonzero(is_row) + 1, len(tags) - 1)]),
    )
    last_row = int(row_numbers[-1]) if len(row_numbers) else 0
    is_cell = first == ord("c")
    cells = tags[is_cell]
    if not len(cells):
        return Columns(np.zeros(0, np.int64), {c: pa.array([], TEXT_TYPE) for c in wanted}, last_row)
    # The tag after the cell's start tag (no "<" can stand inside a tag): <v>, <f…>, <is> or </c>.
    at = np.flatnonzero(is_cell) + 1
    next_tag = tags[np.minimum(at, len(tags) - 1)]
    tag_end = closes.ending(cells, next_tag)
    # Programs write the reference first; Google Sheets once wrote it last (<c t="s" s="1" r="A1">),
    # and programs built on the Open XML SDK often write none.
    reference_first = starts_with(data, cells + 2, b' r="').all()
    reference = cells + 2 if reference_first else _references_anywhere(block, data, cells, tag_end)
    row, digits, owner = _cell_rows(tags[is_row], row_numbers, row_digits, cells)
    column, after_reference = _columns(data, reference, digits, owner)
    if reference_first:
        kind_char, kind_next = _types(block, data, cells, after_reference, tag_end)
    else:
        kind_char, kind_next = _types_anywhere(data, len(block), cells, tag_end)
    empty = data[tag_end - 1] == SLASH
    child = np.where(empty, 0, data[next_tag + 1])
    formula = child == ord("f")
    if formula.any():
        # After <f …/> the next tag follows; after <f …>text</f> the one after </f>.
        f_closed = data[closes.after(tags[at[formula]]) - 1] == SLASH
        at[formula] += np.where(f_closed, 1, 2)
        child[formula] = data[tags[np.minimum(at[formula], len(tags) - 1)] + 1]
    # As openpyxl: a cell of type inlineStr takes its text from <is> only, any other from <v> only.
    typed_inline = kind_char == ord("i")
    inline = (child == ord("i")) & typed_inline
    value_tag = np.where(inline, at + 1, at)  # <is><t…>: the text follows <t…>
    value_tag = np.minimum(value_tag, len(tags) - 2)
    value_at = tags[value_tag]
    ends = tags[value_tag + 1]
    has_v = child == ord("v")
    # <v> or <t> as programs write them; else the text starts after the tag's ">".
    plain = (data[value_at + 2] == GT) | ~(has_v | inline)
    starts = np.where(plain, np.minimum(value_at + 3, ends), 0)
    if not plain.all():
        starts[~plain] = closes.after(value_at[~plain]) + 1
    if inline.any() and not (data[tags[value_tag[inline]] + 1] == ord("t")).all():
        raise NotOrdinary
    empty_v = has_v & ((data[starts - 2] == SLASH) | (ends <= starts))  # <v/>, <v></v>
    has_value = (has_v & ~typed_inline & ~empty_v) | inline
    kind = np.where(has_value, TEXT, BLANK)
    shared_cell = has_value & (kind_char == ord("s")) & (kind_next == QUOTE)
    kind[shared_cell] = SHARED
    # As `xlsx.CellParser` does: a formula without a value and no <v>, or an empty one on a cell
    # that is not text (t="str" with an empty <v> is Excel saving a formula whose result is
    # empty text).
    is_str = (kind_char == ord("s")) & (kind_next == ord("t"))
    no_value = np.where(typed_inline, ~inline, ~has_v | empty_v)
    kind[formula & no_value & (~has_v | (empty_v & ~is_str))] = UNSAVED_KIND
    shared_index = np.zeros(len(cells), np.int64)
    if shared_cell.any():
        index = _indices(data, starts[shared_cell], ends[shared_cell] - starts[shared_cell])
        if (index >= len(shared.text)).any():
            raise NotOrdinary
        shared_index[shared_cell] = index
    # A cell counts when it shows something: an empty shared string does not, as for `reader`.
    filled = (column < max_columns) & (
        (kind == UNSAVED_KIND) | ((kind == TEXT) & (ends > starts)) | ((kind == SHARED) & ~shared.empty[shared_index])
    )
    order = row * EXCEL_MAX_COLUMN + column
    if len(order) > 1 and (np.diff(order) <= 0).any():
        raise NotOrdinary  # cells out of order or repeated
    # The wanted cells laid out column after column, one entry per row of the block (null where
    # a column's cell is blank): shared strings by one take, the cells' own text put in after.
    picked = np.flatnonzero(filled & np.isin(column, wanted))
    filled_rows = row[filled]  # ascending, as checked above
    rows = filled_rows[np.r_[True, filled_rows[1:] != filled_rows[:-1]]] if len(filled_rows) else filled_rows
    position = np.searchsorted(wanted, column[picked]) * len(rows) + np.searchsorted(rows, row[picked])
    from_shared = kind[picked] == SHARED
    index = np.full(len(wanted) * len(rows), -1, dtype=np.int64)
    index[position[from_shared]] = shared_index[picked[from_shared]]
    if budget is not None:
        budget.spend(int(shared.sizes[shared_index[picked[from_shared]]].sum() + (ends[picked] - starts[picked]).sum()))
    own = picked[~from_shared]
    order = np.argsort(position[~from_shared], kind="stable")  # the order of the dense layout
    own, own_position = own[order], position[~from_shared][order]
    own_text = _own_text(block, data, starts[own], ends[own], kind[own], kind_char[own]) if len(own) else None
    if from_shared.any() or own_text is None:
        dense = shared.text.take(pa.array(index, mask=index < 0))
        if own_text is not None:
            mask = np.zeros(len(index), bool)
            mask[own_position] = True
            dense = pc.replace_with_mask(dense, pa.array(mask), own_text)
    else:  # text written in the cells (openpyxl): laid out around its bytes, not copied
        dense = _spread(own_text, own_position, len(index))
    return Columns(
        rows,
        {wanted_column: dense.slice(at * len(rows), len(rows)) for at, wanted_column in enumerate(wanted)},
        last_row,
        hidden_rows=_hidden_rows(block),
    )


_HIDDEN_ROW = re.compile(rb'<(?:[A-Za-z_][-.\w]*:)?row r="([0-9]+)"[^>]*? hidden="(?:1|true)"')


def _hidden_rows(block: bytes) -> np.ndarray:
    """The numbers of the rows of `block` whose tag says hidden; a search only when the block
    holds the attribute at all (memchr speed)."""
    if b' hidden="' not in block:
        return np.zeros(0, np.int64)
    return np.array([int(match[1]) for match in _HIDDEN_ROW.finditer(block)], dtype=np.int64)


class _Closes:
    """Where tags end (their ">"), found only when the cheap way does not do."""

    def __init__(self, data: np.ndarray):
        self._data, self._positions = data, None

    def after(self, starts: np.ndarray) -> np.ndarray:
        """The first ">" after each position."""
        if self._positions is None:
            self._positions = np.flatnonzero(self._data == GT).astype(np.int32)
        return self._positions[np.searchsorted(self._positions, starts)]

    def ending(self, starts: np.ndarray, next_tags: np.ndarray) -> np.ndarray:
        """The ">" ending each tag at `starts`, given where the next tag begins: right before it
        when nothing stands between (as programs write), else looked for."""
        ends = next_tags - 1
        spaced = self._data[ends] != GT
        if spaced.any():
            ends[spaced] = self.after(starts[spaced])
        return ends


def _row_numbers(
    block: bytes, data: np.ndarray, row_tags: np.ndarray, row_ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(number, count of its digits) of each <row>, the number `reader` gives it: its ``r``, or
    for a row written without one (as programs built on the Open XML SDK may write) the row
    before's plus one, `RELATIVE` + k for the k-th row of the block before any numbered row
    (`_assemble` counts on from the block before). 0 digits: none written."""
    at = row_tags + 4
    numbered_first = starts_with(data, at, b' r="')
    if not numbered_first.all():
        if _odd_attribute_syntax(block):
            raise NotOrdinary
        at = _marks(data, len(block), row_tags, row_ends, ord("r"))
    numbered = at >= 0
    number, length = read_digits(data, at + 4, 7)
    if (numbered & ((length == 0) | (data[at + 4 + length] != QUOTE) | (number < 1) | (number > EXCEL_MAX_ROW))).any():
        raise NotOrdinary
    if not numbered.all():
        index = np.arange(len(row_tags))
        before = np.maximum.accumulate(np.where(numbered, index, -1))
        counted = np.where(before >= 0, number[np.maximum(before, 0)] + index - before, RELATIVE + index + 1)
        number, length = np.where(numbered, number, counted), np.where(numbered, length, 0)
        if (number > EXCEL_MAX_ROW).any():
            raise NotOrdinary
    return number, length


def _cell_rows(
    row_tags: np.ndarray, numbers: np.ndarray, digits: np.ndarray, cells: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row number, its count of digits, the row's index in the block) of each cell, from its
    <row> element (the number `reader` gives the row, whatever the cell's own reference says)."""
    if not len(row_tags) or cells[0] < row_tags[0]:
        raise NotOrdinary  # a cell outside a row
    owner = np.searchsorted(row_tags, cells) - 1
    return numbers[owner], digits[owner], owner


_ZEROS = np.uint64(0x3030303030303030)  # eight "0"


def _indices(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The numbers written with exactly `lengths` (1 to 8) decimal digits at `starts`.

    Eight bytes at a time (SWAR, after Lemire's "parsing eight digits"): left-padded with "0"s,
    the digits are checked and combined pairwise, by fours, then by eights.
    """
    if ((lengths < 1) | (lengths > 8)).any():
        raise NotOrdinary
    words = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))[starts]
    lengths = lengths.astype(np.uint64)
    pad = (np.uint64(8) - lengths) * np.uint64(8)
    digits = (words << pad) | np.where(pad > 0, _ZEROS >> (np.uint64(64) - pad) % np.uint64(64), np.uint64(0))
    digits = digits - _ZEROS
    if (((digits + np.uint64(0x7676767676767676)) | digits) & np.uint64(0x8080808080808080)).any():
        raise NotOrdinary  # a byte that is not a digit
    digits = ((digits * np.uint64(2561)) >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF)
    digits = ((digits * np.uint64(6553601)) >> np.uint64(16)) & np.uint64(0x0000FFFF0000FFFF)
    return ((digits * np.uint64(42949672960001)) >> np.uint64(32)).astype(np.int64)


def _columns(
    data: np.ndarray, reference: np.ndarray, digits: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(column 0-based, position after the closing quote) of each cell from its reference (the
    `` r="`` at `reference`), whose row part has `digits` digits (its row's number; a reference
    that disagrees in length is not ordinary; 0: the row has no number, the digits are read).
    A cell without a reference (-1) follows the cell before in its row, as openpyxl counts."""
    has = reference >= 0
    at = reference + 4
    letters = np.zeros(len(at), np.int64)
    column = np.zeros(len(at), np.int64)
    for _ in range(3):  # Excel's last column is XFD
        byte = data[at + letters]
        upper = (byte >= ord("A")) & (byte <= ord("Z"))
        column = np.where(upper, column * 26 + (byte.astype(np.int64) - ord("A") + 1), column)
        letters += upper
    if not (digits > 0).all():
        digits = np.where(digits > 0, digits, read_digits(data, at + letters, 7)[1])
    quote = at + letters + digits
    first_digit = data[at + letters] - np.uint8(ord("1"))  # a row number starts with 1 to 9
    if (
        has
        & (
            (letters == 0)
            | (column > EXCEL_MAX_COLUMN)
            | (first_digit > 8)
            | (data[quote] != QUOTE)
            | (data[quote - 1] - np.uint8(ord("0")) > 9)
        )
    ).any():
        raise NotOrdinary
    column -= 1
    if not has.all():
        index = np.arange(len(at))
        row_start = np.searchsorted(owner, owner)  # the row's first cell
        before = np.maximum.accumulate(np.where(has, index, -1))
        from_reference = before >= row_start
        column = np.where(
            has, column, np.where(from_reference, column[np.maximum(before, 0)] + index - before, index - row_start)
        )
        if (column >= EXCEL_MAX_COLUMN).any():
            raise NotOrdinary
    return column, quote + 1


def _odd_attribute_syntax(block: bytes) -> bool:
    """Whether an attribute may be quoted or spaced otherwise than programs write it.

    Single bytes are looked for first (memchr speed); the longer patterns only when one is there.
    """
    if b"'" in block and b"='" in block:
        return True
    if b"\t" in block or b"\n" in block or b"\r" in block:
        return any(odd in block for odd in (b"\tt=", b"\nt=", b"\rt=", b"\tr=", b"\nr=", b"\rr="))
    return False


def _types(
    block: bytes, data: np.ndarray, cells: np.ndarray, after_reference: np.ndarray, tag_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The first two letters of each cell's `t` attribute (0 where it has none)."""
    if _odd_attribute_syntax(block):
        raise NotOrdinary
    # Programs write r, then s, then t, and mostly nothing more: read them in that order, and
    # look through the whole block only when some tag holds more.
    char = np.zeros(len(cells), np.uint8)
    following = np.zeros(len(cells), np.uint8)
    at = after_reference.copy()
    styled = starts_with(data, at, b' s="')
    if styled.any():
        at[styled] += 4 + read_digits(data, at[styled] + 4, 6)[1] + 1
    typed = np.flatnonzero(starts_with(data, at, b' t="'))
    if len(typed):
        char[typed], following[typed] = data[at[typed] + 4], data[at[typed] + 5]
        # s, n, b, e, d; str; inlineStr
        at[typed] += 5 + np.where(char[typed] == ord("i"), 9, np.where(following[typed] == ord("t"), 3, 1))
    if ((at == tag_end) | ((at == tag_end - 1) & (data[at] == SLASH))).all() and (data[at[typed] - 1] == QUOTE).all():
        return char, following
    return _types_anywhere(data, len(block), cells, tag_end)


def _types_anywhere(
    data: np.ndarray, size: int, cells: np.ndarray, tag_end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`_types` for tags with other attributes too, or in another order: every ` t="` of the
    block that stands in a cell's start tag."""
    typed = _marks(data, size, cells, tag_end, ord("t"))
    return np.where(typed >= 0, data[typed + 4], 0).astype(np.uint8), np.where(typed >= 0, data[typed + 5], 0).astype(
        np.uint8
    )


def _references_anywhere(block: bytes, data: np.ndarray, cells: np.ndarray, tag_end: np.ndarray) -> np.ndarray:
    """Where `` r="`` stands in each cell's start tag, wherever it is among the attributes; -1
    for a cell written without one."""
    if _odd_attribute_syntax(block):
        raise NotOrdinary
    return _marks(data, len(block), cells, tag_end, ord("r"))


def _marks(data: np.ndarray, size: int, cells: np.ndarray, tag_end: np.ndarray, letter: int) -> np.ndarray:
    """The position of `` <letter>="`` in each cell's start tag, -1 where there is none."""
    body = data[:size]
    marks = np.flatnonzero(
        (body[:-3] == ord(" ")) & (body[1:-2] == letter) & (body[2:-1] == ord("=")) & (body[3:] == QUOTE)
    )
    owner = np.searchsorted(cells, marks, side="right") - 1
    inside = (owner >= 0) & (marks < tag_end[np.maximum(owner, 0)])  # not in a row tag or a text
    owner, marks = owner[inside], marks[inside]
    if (np.diff(owner) == 0).any():
        raise NotOrdinary  # the attribute twice in one tag
    found = np.full(len(cells), -1, np.int64)
    found[owner] = marks
    return found


def _spread(values: pa.Array, positions: np.ndarray, size: int) -> pa.Array:
    """An array of `size` texts holding `values` at `positions` (ascending) and nulls elsewhere,
    sharing the bytes of `values`."""
    own_offsets = np.frombuffer(values.buffers()[1], np.int64, len(values) + 1, values.offset * 8)
    lengths = np.zeros(size, np.int64)
    lengths[positions] = np.diff(own_offsets)
    offsets = np.zeros(size + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    valid = np.zeros(size, bool)
    valid[positions] = True
    data = values.buffers()[2] or pa.py_buffer(b"")  # no buffer when every text is empty
    return pa.LargeStringArray.from_buffers(
        size,
        pa.py_buffer(offsets),
        data.slice(int(own_offsets[0])),
        pa.array(valid).buffers()[1],
        size - len(positions),
    )


def _own_text(block: bytes, data: np.ndarray, starts, ends, kind, kind_char) -> pa.Array:
    """The text of cells that are not shared strings: numbers as written, booleans as openpyxl
    prints them, references resolved, `UNSAVED` for a formula without a saved value."""
    out = text(data, starts, np.where(kind == TEXT, ends, starts), block)
    boolean = (kind == TEXT) & (kind_char == ord("b"))
    if boolean.any():
        out = pc.if_else(pa.array(boolean), pc.if_else(pc.equal(out, "1"), "True", "False"), out)
    unsaved = kind == UNSAVED_KIND
    if unsaved.any():
        out = pc.if_else(pa.array(unsaved), pa.scalar(UNSAVED, TEXT_TYPE), out)
    return out
