"""Clean whole text columns of the register at once, as `cells.clean_text` cleans one value.

Pure functions on pandas Series. Arrow-backed text (the fast reader's) is judged with pyarrow
kernels on its buffers and only the cells that need it are cleaned; other columns go through
pandas' vectorised string methods with the patterns of `cells`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from povertyplan.read.cells import (
    CONTROL,
    CONTROL_RANGES,
    ESCAPED_CONTROL,
    ESCAPED_SPACE,
    SPACE_RANGES,
    SPACES,
    char_class,
)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _re2(code: int) -> str:
    return f"\\x{{{code:x}}}"


# The same conditions as `cells.clean_text`, in RE2 syntax for pyarrow: a cell matching none is
# clean. Any control, any space but the ASCII one (each becomes one), "ƣ"/"Ƣ" (read as "ư"/"Ư"),
# an outer or double space, an Excel escape. RE2 has no surrogates (Arrow text holds none).
_UNUSUAL = (
    tuple(r for r in CONTROL_RANGES if r != (0xD800, 0xDFFF))
    + tuple(r for r in SPACE_RANGES if r != (0x1C, 0x20))
    + ((0x1C, 0x1F), (0x1A2, 0x1A3))
)
_DIRTY_RE2 = char_class(_UNUSUAL, _re2) + r"|^ | $|  |_x[0-9a-fA-F]{4}_"
# A cell of spaces only (`cells.is_blank`).
_BLANK_RE2 = "^" + char_class(SPACE_RANGES, _re2) + "*$"
_ESCAPE_RE2 = r"_x[0-9a-fA-F]{4}_"


def is_arrow_text(values: "pd.Series") -> bool:
    """Whether `values` is a column of Arrow-backed text (the fast reader's, pandas' ``str``)."""

    return isinstance(values.array, pd.arrays.ArrowStringArray)


def arrow_chunks(values: "pd.Series"):
    """The pyarrow ChunkedArray behind an Arrow-backed text column, as it is: kernels take it
    chunk by chunk, combining the chunks would copy every cell.

    Through the Arrow interchange protocol (`__arrow_array__`, public), which hands over the same
    ChunkedArray without a copy; ``pa.chunked_array(values.array)`` would copy every cell (5 s a
    million cells)."""
    return values.array.__arrow_array__()


def text_series(array, index, dtype=None) -> "pd.Series":
    """A pyarrow string array (or ChunkedArray) as a pandas text column (``str``, blank cells NaN) on `index`."""

    dtype = dtype or pd.StringDtype("pyarrow", na_value=float("nan"))
    chunks = array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])
    return pd.Series(pd.arrays.ArrowStringArray(chunks, dtype=dtype), index=index, copy=False)


def _dirty(raw) -> "np.ndarray":
    """Which cells of pyarrow text without nulls `clean_text` would change.

    Mostly ASCII columns (codes, numbers, marks) need only cheap kernels, no normalisation can
    change ASCII; other text (names of people, units, classes) is judged once per distinct value.
    """

    ascii_ = pc.string_is_ascii(raw)
    if 2 * (pc.sum(ascii_).as_py() or 0) < len(raw):
        return _unusual_values(raw)
    dirty = _unusual_ascii(raw)
    other = np.flatnonzero(~ascii_.to_numpy(zero_copy_only=False))
    if len(other):
        dirty[other] = _unusual_values(raw.take(other))
    return dirty


def _unusual_ascii(raw) -> "np.ndarray":
    """`_DIRTY_RE2` for ASCII text: a control character, outer or double spaces, an Excel escape.

    The substring searches cost most: they run only when the cells' bytes, read as one run per
    chunk, hold a double space or ``_x`` at all.
    """

    odd = pc.or_(pc.invert(pc.ascii_is_printable(raw)), pc.or_(pc.starts_with(raw, " "), pc.ends_with(raw, " ")))
    contents = [_content_bytes(chunk) for chunk in raw.chunks]
    if any(_holds_pair(content, b"  ") for content in contents):
        odd = pc.or_(odd, pc.match_substring(raw, "  "))
    if any(_holds_pair(content, b"_x") for content in contents):
        odd = pc.or_(odd, pc.match_substring_regex(raw, _ESCAPE_RE2))
    return odd.to_numpy(zero_copy_only=False)


def _content_bytes(chunk) -> "np.ndarray":
    """The UTF-8 bytes of all cells of a pyarrow text array, one after another (no copy)."""

    _, offsets, data = chunk.buffers()
    if data is None or offsets is None:  # no cell holds a character
        return np.zeros(0, dtype=np.uint8)
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=kind)[[chunk.offset, chunk.offset + len(chunk)]]
    return np.frombuffer(data, dtype=np.uint8)[bounds[0] : bounds[1]]


def _holds_pair(content: "np.ndarray", pair: bytes) -> bool:
    """Whether two adjacent bytes of `content` are `pair` (across cells too: a cheap pre-check)."""
    return bool(((content[:-1] == pair[0]) & (content[1:] == pair[1])).any())


def one_character_cells(values: "pd.Series", allowed: str) -> tuple["np.ndarray", "np.ndarray"]:
    """(which cells of Arrow-backed text are exactly one of the characters `allowed`, which are filled)."""

    chunks = arrow_chunks(values)
    chosen = pc.is_in(chunks, value_set=pa.array(list(allowed), type=chunks.type))  # false, not null, where blank
    return chosen.to_numpy(zero_copy_only=False), chunks.is_valid().to_numpy(zero_copy_only=False)


def _encoded(raw) -> tuple["np.ndarray", object]:
    """(each cell's index among the distinct values, the distinct values) of pyarrow text."""

    encoded = pc.dictionary_encode(raw)
    if isinstance(encoded, pa.ChunkedArray):  # one dictionary for all chunks
        encoded = (
            encoded.combine_chunks()
            if encoded.num_chunks
            else pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], raw.type))
        )
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary


def _unusual_values(raw) -> "np.ndarray":
    """`_DIRTY_RE2` or not NFC, computed once per distinct value of `raw`."""

    indices, distinct = _encoded(raw)
    unusual = pc.or_(
        pc.match_substring_regex(distinct, _DIRTY_RE2), pc.not_equal(pc.utf8_normalize(distinct, "NFC"), distinct)
    )
    return unusual.to_numpy(zero_copy_only=False)[indices]


def _clean_arrow(values: "pd.Series") -> tuple["pd.Series", "pd.Series"]:
    """`clean_series` of Arrow-backed text: only the cells that need it are cleaned, once per distinct value."""

    raw = pc.fill_null(arrow_chunks(values), "")  # pandas' text dtype keeps a blank cell as NaN, never as "nan"
    dirty = _dirty(raw)
    repaired = np.zeros(len(raw), dtype=bool)
    if dirty.any():
        positions = np.flatnonzero(dirty)
        indices, distinct = _encoded(raw.take(positions))
        text, changed = clean_series(pd.Series(distinct.to_pylist(), dtype=object))
        raw = pc.replace_with_mask(raw, pa.array(dirty), pa.array(text.to_numpy(), type=raw.type).take(indices))
        repaired[positions] = changed.to_numpy()[indices]
    return text_series(raw, values.index, values.dtype), pd.Series(repaired, index=values.index)


def clean_series(values: "pd.Series") -> tuple["pd.Series", "pd.Series"]:
    """`clean_text` over a whole column at once: (clean text, whether each cell was repaired
    visibly: normalisation alone is not a repair).

    Vectorised, so a million-row register has no per-row Python loop. Arrow-backed text (the
    fast reader's) stays Arrow-backed, ``""`` where blank; other columns give object text.
    """

    if is_arrow_text(values):
        return _clean_arrow(values)
    raw = values.astype(object).map(_as_text).str.normalize("NFC")  # numbers print as the cell shows them: 12, not 12.0
    text = raw.str.replace("ƣ", "ư", regex=False).str.replace("Ƣ", "Ư", regex=False)
    text = text.str.replace(ESCAPED_SPACE, " ", regex=True).str.replace(ESCAPED_CONTROL, "", regex=True)
    text = text.str.replace(CONTROL, "", regex=True).str.replace(SPACES, " ", regex=True).str.strip()
    return text.astype(object), pd.Series(text.to_numpy() != raw.str.strip().to_numpy(), index=values.index)


def blank_rows(columns: list) -> "np.ndarray":
    """Which rows are blank in every one of `columns` (Arrow text: null, or spaces only), the
    rule `sheets._project` applies row by row; an unsaved-formula marker is not blank.

    Column by column, only over the rows not yet shown filled: in a register the first column
    (the household code) settles almost every row.
    """

    size = len(columns[0]) if columns else 0
    undecided = np.arange(size)
    for column in columns:
        if not len(undecided):
            break
        cells = column if len(undecided) == size else column.take(pa.array(undecided))
        filled = pc.and_kleene(pc.is_valid(cells), pc.invert(pc.match_substring_regex(cells, _BLANK_RE2)))
        undecided = undecided[~filled.to_numpy(zero_copy_only=False).astype(bool)]
    blank = np.zeros(size, bool)
    blank[undecided] = True
    return blank
