"""Column-wise reading of one large worksheet straight from its XML, vectorised with numpy.

A register at Excel's limit holds twenty million cells. openpyxl makes a Python object of each
(minutes); calamine parses fast but builds the sheet's whole dense grid (about 1 GB). This reader
decompresses the sheet in blocks cut after a ``</row>``, finds the tags of every cell with numpy
over the block's bytes, and keeps only the columns it is asked for, as Arrow text: memory is
bounded by one block plus the columns kept.

It accepts only the XML that spreadsheet programs write (Excel, LibreOffice, openpyxl,
XlsxWriter): inside ``<sheetData>`` only rows, cells, values, formulas and plain inline strings,
no namespace prefixes, comments or processing instructions, every cell with its reference first,
rows and columns in order, inside Excel's grid. Anything else makes `read_columns` return None,
and the caller reads the sheet with openpyxl, which explains what is wrong.

Values come out as text the way the exact reader's cells print (`cells.clean_text`'s input):
numbers as written in the file (``1500000``, ``4.5``), booleans ``True``/``False``, error values
(``#N/A``) as their text, a formula without a saved value as `UNSAVED`, a blank or empty cell as
null. Dates keep their serial number (the register has no date column).
"""
from __future__ import annotations

import os
import re
import zipfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384  # XFD
# pandas keeps its text columns as Arrow large_string: text made so reaches pandas without a copy.
TEXT_TYPE = pa.large_string()
# Blocks of decompressed XML; the parse of one needs a few times this in temporary arrays.
BLOCK_BYTES = 2 * 1024**2
# The start of a sheet searched for its header rows.
HEAD_BYTES = 256 * 1024
SLICE_BYTES = 4 * 1024**2
# A cell in the text column that held a formula without a saved value (see `cells.UNSAVED_FORMULA`).
UNSAVED = "\ue000unsaved-formula\ue000"

_LT, _GT, _QUOTE, _SLASH = ord("<"), ord(">"), ord('"'), ord("/")
_PAD = b"\0" * 32  # lets every gather at a fixed offset past a tag stay inside the array
# The first letter of the tags allowed inside <sheetData> (row, c, v, f, is, t), opening or
# closing; `r` only as the start of `row` (a rich-text run `<r>` is not ordinary).
_ALLOWED_NAME = np.zeros(256, dtype=bool)
_ALLOWED_NAME[list(b"rcvfit")] = True
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}

# Kinds of cell value.
BLANK, SHARED, TEXT, UNSAVED_KIND = 0, 1, 2, 3


class NotOrdinary(Exception):
    """The XML is not the plain kind this reader accepts; the exact reader takes over."""


@dataclass
class SharedStrings:
    """The workbook's shared strings (`read_shared_strings`), and which of them are empty."""

    text: pa.Array

    def __post_init__(self):
        self.empty = pc.equal(pc.utf8_length(self.text), 0).to_numpy(zero_copy_only=False) if len(self.text) else np.zeros(1, bool)


@dataclass
class Columns:
    """What `read_columns` returns: the wanted columns as Arrow text, one row per sheet row with
    a value in any column (`rows`, ascending Excel numbers), and `head`: the first rows' values."""

    rows: np.ndarray
    columns: dict[int, pa.Array | pa.ChunkedArray]


def read_columns(archive: zipfile.ZipFile, part: str, shared: SharedStrings, wanted: list[int], max_columns: int) -> Columns | None:
    """The columns `wanted` (0 = A) of the sheet at `part`, for the rows that hold any value in
    the first `max_columns` columns; None when the sheet is not ordinary.

    `shared` is the workbook's shared strings (`read_shared_strings`).
    """
    wanted = sorted(set(wanted))
    try:
        return _assemble(list(_in_threads(lambda block: _parse_block(block, shared, wanted, max_columns), sheet_blocks(archive, part))), wanted)
    except NotOrdinary:
        return None


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


def first_rows(archive: zipfile.ZipFile, part: str, shared: SharedStrings, count: int, max_columns: int) -> list[tuple[int, tuple]] | None:
    """(Excel row, values) of the sheet's first `count` rows holding a value, as `reader` yields
    them (values up to the last filled column, None for blanks); None when not ordinary.

    Only the start of the sheet is parsed: a header sits in its first rows.
    """
    wanted = list(range(max_columns))
    try:
        block = next(sheet_blocks(archive, part), b"")
        cut = block.find(b"</row>", HEAD_BYTES)
        block = block if cut < 0 else block[: cut + len(b"</row>")]
        found = _assemble([_parse_block(block, shared, wanted, max_columns)], wanted)
    except NotOrdinary:
        return None
    table = [found.columns[column][:count].to_pylist() for column in wanted]
    result = []
    for index, row in enumerate(found.rows[:count]):
        values = [column[index] for column in table]
        while values and values[-1] is None:
            values.pop()
        result.append((int(row), tuple(values)))
    return result


def _assemble(pieces: list[Columns], wanted: list[int]) -> Columns:
    """The blocks' columns end to end (chunks, not copies), once their rows are proven in order."""
    last = 0
    for piece in pieces:
        if len(piece.rows) and piece.rows[0] <= last:
            raise NotOrdinary  # rows out of order, or one row split over two blocks
        last = piece.rows[-1] if len(piece.rows) else last
    rows = np.concatenate([piece.rows for piece in pieces] or [np.zeros(0, np.int64)])
    return Columns(rows, {column: pa.chunked_array([piece.columns.pop(column) for piece in pieces], TEXT_TYPE) for column in wanted})


def _dense(rows: np.ndarray, cell_rows: dict[int, np.ndarray], values: dict[int, pa.Array]) -> Columns:
    """Columns with one entry per row of `rows`, null where the column's cell is blank."""
    columns = {}
    for column, text in values.items():
        at = np.full(len(rows), -1, dtype=np.int64)
        at[np.searchsorted(rows, cell_rows[column])] = np.arange(len(text))
        columns[column] = text.take(pa.array(at, mask=at < 0))
    return Columns(rows, columns)


def sheet_blocks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's ``<sheetData>`` content in blocks of whole rows (each cut after a ``</row>``)."""
    carry, started = b"", False
    with archive.open(part) as stream:
        while True:
            block = stream.read(BLOCK_BYTES)
            buffer = carry + block
            if not started:
                begin = buffer.find(b"<sheetData")
                if begin < 0:
                    if not block:
                        return
                    carry = buffer[-64:]
                    continue
                opened = buffer.find(b">", begin)
                if opened < 0:
                    carry = buffer
                    continue
                if buffer[opened - 1] == _SLASH:  # <sheetData/>: no cells
                    return
                buffer, started = buffer[opened + 1 :], True
            end = buffer.find(b"</sheetData")
            if end >= 0:
                if buffer[:end].strip():
                    yield buffer[:end]
                return
            if not block:
                raise NotOrdinary  # the part ends inside <sheetData>
            piece, carry = _split_after(buffer, b"</row>")
            if piece:
                yield piece


def _parse_block(block: bytes, shared: SharedStrings, wanted: list[int], max_columns: int) -> Columns:
    data = np.frombuffer(block + _PAD, dtype=np.uint8)
    tags = np.flatnonzero(data == _LT).astype(np.int32)  # a block is far below 2 GB
    first = data[tags + 1]
    slash = (first == _SLASH).astype(np.int64)
    name, second = data[tags + 1 + slash], data[tags + 2 + slash]
    if (~_ALLOWED_NAME[name] | ((name == ord("r")) & (second != ord("o")))).any():
        raise NotOrdinary
    closes = np.flatnonzero(data == _GT).astype(np.int32)
    is_cell = first == ord("c")
    cells = tags[is_cell]
    if not len(cells):
        return Columns(np.zeros(0, np.int64), {c: pa.array([], TEXT_TYPE) for c in wanted})
    if not (_at(data, cells + 2, b' r="')).all():
        raise NotOrdinary
    row, digits = _cell_rows(data, tags[first == ord("r")], cells)
    column, after_reference = _columns(data, cells + 6, digits)
    tag_end = closes[np.searchsorted(closes, cells)]
    kind_char, kind_next = _types(block, data, cells, after_reference, tag_end)
    empty = data[tag_end - 1] == _SLASH
    # The tag after the cell's start tag (no "<" can stand inside a tag): <v>, <f…>, <is> or </c>.
    at = np.flatnonzero(is_cell) + 1
    child = np.where(empty, 0, data[tags[np.minimum(at, len(tags) - 1)] + 1])
    formula = child == ord("f")
    if formula.any():
        # After <f …/> the next tag follows; after <f …>text</f> the one after </f>.
        f_closed = data[closes[np.searchsorted(closes, tags[at[formula]])] - 1] == _SLASH
        at[formula] += np.where(f_closed, 1, 2)
        child[formula] = data[tags[np.minimum(at[formula], len(tags) - 1)] + 1]
    inline = child == ord("i")
    value_tag = np.where(inline, at + 1, at)  # <is><t…>: the text follows <t…>
    value_tag = np.minimum(value_tag, len(tags) - 2)
    starts = closes[np.searchsorted(closes, tags[value_tag])] + 1
    ends = tags[value_tag + 1]
    has_value = (child == ord("v")) | inline
    if inline.any() and not (data[tags[value_tag[inline]] + 1] == ord("t")).all():
        raise NotOrdinary
    has_value &= ~((child == ord("v")) & (data[starts - 2] == _SLASH))  # <v/>
    kind = np.where(has_value, TEXT, BLANK)
    shared_cell = has_value & (kind_char == ord("s")) & (kind_next == _QUOTE)
    kind[shared_cell] = SHARED
    # As `reader` does: no <v>, or an empty one on a cell that is not text (t="str" with an empty
    # <v> is Excel saving a formula whose result is empty text).
    is_str = (kind_char == ord("s")) & (kind_next == ord("t"))
    kind[formula & (~has_value | ((ends <= starts) & ~is_str))] = UNSAVED_KIND
    shared_index = np.zeros(len(cells), np.int64)
    if shared_cell.any():
        index, length = _digits(data, starts[shared_cell], len(str(len(shared.text))))
        if ((length == 0) | (starts[shared_cell] + length != ends[shared_cell]) | (index >= len(shared.text))).any():
            raise NotOrdinary
        shared_index[shared_cell] = index
    # A cell counts when it shows something: an empty shared string does not, as for `reader`.
    filled = (column < max_columns) & ((kind == UNSAVED_KIND) | ((kind == TEXT) & (ends > starts)) | ((kind == SHARED) & ~shared.empty[shared_index]))
    order = row * 16384 + column
    if len(order) > 1 and (np.diff(order) <= 0).any():
        raise NotOrdinary  # cells out of order or repeated
    ampersands = np.flatnonzero(data == ord("&")) if b"&" in block else None
    # One pass over the wanted cells, then one slice per column: cells come row by row, a
    # stable sort by column groups each column's cells in row order.
    keep = filled & np.isin(column, wanted)
    by_column = np.argsort(column[keep].astype(np.int16), kind="stable")  # a radix sort
    picked = np.flatnonzero(keep)[by_column]
    text = _values(data, starts[picked], ends[picked], kind[picked], kind_char[picked], shared_index[picked], shared.text, ampersands)
    bounds = np.searchsorted(column[picked], [*wanted, wanted[-1] + 1]) if len(picked) else np.zeros(len(wanted) + 1, np.int64)
    rows, values = {}, {}
    for at, wanted_column in enumerate(wanted):
        rows[wanted_column] = row[picked[bounds[at] : bounds[at + 1]]]
        values[wanted_column] = text.slice(bounds[at], bounds[at + 1] - bounds[at])
    filled_rows = row[filled]  # ascending, as checked above
    return _dense(filled_rows[np.r_[True, filled_rows[1:] != filled_rows[:-1]]] if len(filled_rows) else filled_rows, rows, values)


def _at(data: np.ndarray, positions: np.ndarray, literal: bytes) -> np.ndarray:
    """Whether `literal` starts at each of `positions`."""
    match = np.ones(len(positions), bool)
    for offset, byte in enumerate(literal):
        match &= data[positions + offset] == byte
    return match


def _digits(data: np.ndarray, starts: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(value, length) of the decimal digits starting at each position (at most `width` + 1 read)."""
    value = np.zeros(len(starts), np.int64)
    length = np.zeros(len(starts), np.int64)
    reading = np.ones(len(starts), bool)
    for offset in range(width + 1):
        digit = data[starts + offset] - np.uint8(ord("0"))  # wraps above 9 for any other byte
        reading &= digit <= 9
        value = np.where(reading, value * 10 + digit, value)
        length += reading
    return value, length


def _cell_rows(data: np.ndarray, row_tags: np.ndarray, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row number, its count of digits) of each cell, from its <row r="…"> element (the number
    `reader` gives the row, whatever the cell's own reference says)."""
    if not len(row_tags) or cells[0] < row_tags[0] or not _at(data, row_tags + 4, b' r="').all():
        raise NotOrdinary  # a cell outside a row, or a row without its number
    number, length = _digits(data, row_tags + 8, 7)
    if ((length == 0) | (data[row_tags + 8 + length] != _QUOTE) | (number < 1) | (number > EXCEL_MAX_ROW)).any():
        raise NotOrdinary
    owner = np.searchsorted(row_tags, cells) - 1
    return number[owner], length[owner]


def _columns(data: np.ndarray, at: np.ndarray, digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(column 0-based, position after the closing quote) of each cell reference at `at`,
    whose row part has `digits` digits (its row's number; a reference that disagrees in
    length is not ordinary)."""
    letters = np.zeros(len(at), np.int64)
    column = np.zeros(len(at), np.int64)
    for _ in range(3):  # Excel's last column is XFD
        byte = data[at + letters]
        upper = (byte >= ord("A")) & (byte <= ord("Z"))
        column = np.where(upper, column * 26 + (byte.astype(np.int64) - ord("A") + 1), column)
        letters += upper
    quote = at + letters + digits
    first_digit = data[at + letters] - np.uint8(ord("1"))  # a row number starts with 1 to 9
    if ((letters == 0) | (column > EXCEL_MAX_COLUMN) | (first_digit > 8) | (data[quote] != _QUOTE) | (data[quote - 1] - np.uint8(ord("0")) > 9)).any():
        raise NotOrdinary
    return column - 1, quote + 1


def _odd_attribute_syntax(block: bytes) -> bool:
    """Whether an attribute may be quoted or spaced otherwise than programs write it.

    Single bytes are looked for first (memchr speed); the longer patterns only when one is there.
    """
    if b"'" in block and b"='" in block:
        return True
    if b"\t" in block or b"\n" in block or b"\r" in block:
        return any(odd in block for odd in (b"\tt=", b"\nt=", b"\rt=", b"\tr=", b"\nr=", b"\rr="))
    return False


def _types(block: bytes, data: np.ndarray, cells: np.ndarray, after_reference: np.ndarray, tag_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first two letters of each cell's `t` attribute (0 where it has none)."""
    char = np.zeros(len(cells), np.uint8)
    following = np.zeros(len(cells), np.uint8)
    if _odd_attribute_syntax(block):
        raise NotOrdinary
    expected = block.count(b' t="')
    if not expected:
        return char, following
    # Programs write r, then s, then t: look there first.
    at = after_reference.copy()
    styled = _at(data, at, b' s="')
    if styled.any():
        at[styled] += 4 + _digits(data, at[styled] + 4, 6)[1] + 1
    typed = _at(data, at, b' t="')
    if typed.sum() == expected:
        marks, owner = at[typed], np.flatnonzero(typed)
    else:  # t after other attributes, or ' t="' inside a text: find every one
        body = data[: len(block)]
        marks = np.flatnonzero((body[:-3] == ord(" ")) & (body[1:-2] == ord("t")) & (body[2:-1] == ord("=")) & (body[3:] == _QUOTE))
        owner = np.searchsorted(cells, marks, side="right") - 1
        inside = (owner >= 0) & (marks < tag_end[np.maximum(owner, 0)])  # not in a row tag or a text
        owner, marks = owner[inside], marks[inside]
        if (np.diff(owner) == 0).any():
            raise NotOrdinary  # two t attributes in one tag
    char[owner], following[owner] = data[marks + 4], data[marks + 5]
    return char, following


def _values(data: np.ndarray, starts, ends, kind, kind_char, shared_index, shared: pa.Array, ampersands) -> pa.Array:
    """The cells' values as Arrow text (every cell given shows something)."""
    is_shared = kind == SHARED
    if is_shared.all():
        return shared.take(pa.array(shared_index))
    own = _slices(data, starts[~is_shared], ends[~is_shared])
    if is_shared.any():
        out = pc.replace_with_mask(shared.take(pa.array(shared_index, mask=~is_shared)), pa.array(~is_shared), own)
    else:
        out = own
    if ampersands is not None:
        escaped = (kind == TEXT) & _contains(ampersands, starts, ends)
        if escaped.any():
            fixed = out.to_numpy(zero_copy_only=False).astype(object)
            fixed[escaped] = [unescape(value) for value in fixed[escaped]]
            out = pa.array(fixed, TEXT_TYPE)
    boolean = (kind == TEXT) & (kind_char == ord("b"))
    if boolean.any():
        out = pc.if_else(pa.array(boolean), pc.if_else(pc.equal(out, "1"), "True", "False"), out)
    unsaved = kind == UNSAVED_KIND
    if unsaved.any():
        out = pc.if_else(pa.array(unsaved), pa.scalar(UNSAVED), out)
    return out


def _slices(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The bytes between each start and end as one Arrow string array (gathered, not looped).

    Gathered in chunks of about SLICE_BYTES, since the gather needs an index per byte.
    """
    lengths = np.maximum(ends - starts, 0).astype(np.int64)
    offsets = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    cuts = np.searchsorted(offsets, np.arange(0, offsets[-1], SLICE_BYTES), side="right") - 1
    cuts = np.unique(np.r_[cuts, len(starts)]) if len(starts) else np.zeros(1, np.int64)
    chunks = []
    for first, last in zip(cuts[:-1], cuts[1:]):
        part = offsets[first : last + 1] - offsets[first]
        index = np.repeat(starts[first:last] - part[:-1], lengths[first:last]) + np.arange(part[-1])
        chunks.append(pa.LargeStringArray.from_buffers(int(last - first), pa.py_buffer(part), pa.py_buffer(data[index].tobytes())))
    text = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
    try:
        text.validate(full=True)  # UTF-8, as the XML declares
    except pa.ArrowInvalid:
        raise NotOrdinary from None
    return text


def _contains(hits: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether a position of `hits` (sorted) lies in each [start, end)."""
    if not len(hits):
        return np.zeros(len(starts), bool)
    first = np.searchsorted(hits, starts)
    return (first < len(hits)) & (hits[np.minimum(first, len(hits) - 1)] < ends)


def unescape(text: str) -> str:
    """Resolve XML's predefined entities and character references (no others exist here)."""
    def replace(match: re.Match) -> str:
        name = match[1]
        if name in _NAMED:
            return _NAMED[name]
        number = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        return chr(number) if 0 < number < 0x110000 else match[0]

    return _ENTITY.sub(replace, text)


def read_shared_strings(archive: zipfile.ZipFile, part: str | None) -> SharedStrings | None:
    """The workbook's shared strings as Arrow text, in order; None when the part is not plain.

    Plain strings (``<si><t>…</t></si>``) are cut out with numpy; rich text (``<r>`` runs) is
    joined run by run and phonetic guides (``<rPh>``) are left out, as Excel shows the cell.
    """
    empty = pa.array([], TEXT_TYPE)
    if part is None or part not in archive.NameToInfo:
        return SharedStrings(empty)
    try:
        chunks = [_shared_strings(block) for block in _item_blocks(archive, part)]
    except NotOrdinary:
        return None
    return SharedStrings(pa.concat_arrays(chunks) if chunks else empty)


def _split_after(buffer: bytes, end: bytes) -> tuple[bytes, bytes]:
    """(the buffer up to its last `end`, the rest); one row or item this long is not ordinary."""
    cut = buffer.rfind(end)
    if cut < 0:
        if len(buffer) > 8 * BLOCK_BYTES:
            raise NotOrdinary
        return b"", buffer
    cut += len(end)
    return buffer[:cut], buffer[cut:]


def _item_blocks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The shared-strings part in blocks of whole items (each cut after a ``</si>``)."""
    carry = b""
    with archive.open(part) as stream:
        while block := stream.read(BLOCK_BYTES):
            buffer = carry + block
            if b"<!" in buffer or b"<si/>" in buffer:
                raise NotOrdinary  # a DTD, comment or CDATA; an item without text
            piece, carry = _split_after(buffer, b"</si>")
            if piece:
                yield piece
    if b"<si" in carry:
        raise NotOrdinary  # the part ends inside an item


def _shared_strings(block: bytes) -> pa.Array:
    data = np.frombuffer(block + _PAD, dtype=np.uint8)
    tags = np.flatnonzero(data == _LT)
    items = tags[_at(data, tags, b"<si>") | _at(data, tags, b"<si ")]
    item_ends = tags[_at(data, tags, b"</si>")]
    if len(item_ends) != len(items):
        raise NotOrdinary
    closes = np.flatnonzero(data == _GT)
    # Each item's tags run from its <si> to its </si>; a plain item is exactly <si><t…>text</t></si>.
    at = np.searchsorted(tags, items)
    t_open = tags[np.minimum(at + 1, len(tags) - 1)]
    self_closed_t = data[closes[np.searchsorted(closes, t_open)] - 1] == _SLASH
    plain_t = _at(data, t_open, b"<t>") | _at(data, t_open, b"<t ")
    after = tags[np.minimum(at + 2, len(tags) - 1)]
    plain = plain_t & np.where(self_closed_t, _at(data, after, b"</si>"), _at(data, after, b"</t>") & _at(data, tags[np.minimum(at + 3, len(tags) - 1)], b"</si>"))
    starts = closes[np.searchsorted(closes, t_open)] + 1
    ends = np.where(self_closed_t, starts, after)
    text = _slices(data, starts, ends)
    escaped = _contains(np.flatnonzero(data == ord("&")), starts, ends) & plain
    rich = ~plain
    if not (escaped.any() or rich.any()):
        return _as_openpyxl_reads(text)
    values = text.to_numpy(zero_copy_only=False).astype(object)
    values[escaped] = [unescape(value) for value in values[escaped]]
    if rich.any():
        ends = item_ends[np.searchsorted(item_ends, items[rich])]
        values[rich] = [_rich_text(block[start:end]) for start, end in zip(items[rich], ends)]
    return _as_openpyxl_reads(pa.array(values, TEXT_TYPE))


def _as_openpyxl_reads(text: pa.Array) -> pa.Array:
    """Excel escapes a literal ``_x`` as ``_x005F_x``; openpyxl drops the ``x005F_``, so the
    cell cleaning (`cells.clean_text`) sees the same text from both readers."""
    return pc.replace_substring(text, "x005F_", "")


_RUN_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>|<t(?:\s[^>]*)?/>")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)


def _rich_text(item: bytes) -> str:
    """The text of one ``<si>`` with runs: its ``<t>`` texts joined, phonetic guides left out."""
    item = _PHONETIC.sub(b"", item)
    return unescape(b"".join(match[1] or b"" for match in _RUN_TEXT.finditer(item)).decode("utf-8"))
