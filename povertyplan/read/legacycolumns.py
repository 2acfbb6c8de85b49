"""Old encodings and garbled text in a large sheet read column-wise (`bigsheet`), vectorised.

The column reader keeps no fonts, so text is judged by its characters (`legacy.readings`). The
cells holding a character or pair of letters Vietnamese never writes are found with numpy over
each column's UTF-8 bytes (`_suspects`), and only their distinct values are judged in Python: a
column of plain Vietnamese costs a pass over its bytes. A sheet mostly typed in an old encoding
(more cells recognised as it than cells plainly Unicode or that could be either) has its other
cells converted too when every word they change becomes a word (`legacy.convert_like`):
``Khu phè 3`` is TCVN3 for ``Khu phố 3``, though ``phè`` is a Vietnamese word as well.
"""

from __future__ import annotations

import functools
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from povertyplan.read.legacy import (
    BEYOND_BYTES_RE2,
    GARBLED,
    TCVN3,
    TCVN3_CAPITALS,
    choose,
    convert_like,
    is_tie,
    readings,
    suspect_parts,
)
from povertyplan.read.textfindings import SAMPLES, TextFindings


@functools.cache
def _byte_tables() -> tuple[np.ndarray, np.ndarray]:
    """`legacy.suspect_parts` as lookups on UTF-8 bytes: (the second bytes after C3 (U+00C0–U+00FF)
    of the characters Vietnamese never uses: every character C2 starts (U+0080–U+00BF) is one but
    the no-break space; [ASCII byte, second byte after C3] of the pairs that start with an ASCII
    letter: ``aù``, ``hÌ``)."""
    ranges, pairs = suspect_parts()
    alone = np.zeros(256, bool)
    for first, last in ranges:
        for code in range(max(first, 0xC0), last + 1):
            alone[code - 0xC0 + 0x80] = True
    after_ascii = np.zeros((128, 256), bool)
    for firsts, seconds in pairs.items():
        for first, second in (
            (first, second) for first in firsts if first.isascii() for second in seconds if 0xC0 <= ord(second) <= 0xFF
        ):
            after_ascii[ord(first), ord(second) - 0xC0 + 0x80] = True
    return alone, after_ascii


def convert_columns(columns: dict, rows: np.ndarray, sheet: str, findings: TextFindings) -> dict:
    """`columns` (column index → Arrow text, one entry per row of `rows`) with their cells in an
    old encoding or garbled converted to Unicode, each noted in `findings`.

    Text that reads as well in TCVN3 as in VNI takes the encoding of the sheet's other cells.
    """
    found = {
        index: _judged(values, _suspects(values), lambda text: (text, readings(text)))
        for index, values in columns.items()
    }
    counts = Counter(_clear_reading(read) for _, results in found.values() for _, read in results)
    counts.pop(None, None)
    encoding = counts.most_common(1)[0][0] if counts else findings.dominant()
    judged = {
        index: (positions, [choose(read, text, encoding) for text, read in results])
        for index, (positions, results) in found.items()
    }
    if counts:
        undecided = {index: _undecided(values, *judged[index]) for index, values in columns.items()}
        against = sum(len(others) for others in undecided.values()) + sum(
            len(_where(values, BEYOND_BYTES_RE2)) for values in columns.values()
        )
        if counts[encoding] > against:
            judged = {
                index: _merged(
                    *judged[index], *_judged(columns[index], undecided[index], lambda text: _like(text, encoding))
                )
                for index in columns
            }
    return {index: _apply(values, *judged[index], rows, sheet, index, findings) for index, values in columns.items()}


def _clear_reading(found: list) -> str | None:
    """The old encoding `found` (`legacy.readings`) reads best in, if not a tie nor garbled."""
    if not found or is_tie(found) or found[0][0] == GARBLED:
        return None
    encoding = max(found, key=lambda reading: reading[2])[0]
    return TCVN3 if encoding == TCVN3_CAPITALS else encoding


def _suspects(values) -> np.ndarray:
    """The positions of the cells of `values` (Arrow text) holding a character Vietnamese never
    uses (TCVN3's signs, VNI's marks, a garbled letter's bytes) or a pair of letters it never
    writes that starts with an ASCII letter (VNI's ``aù``, TCVN3's ``nghÌo``): `legacy.suspect_regex`
    but for the rare pairs that start with another letter (``ôù``), found with numpy in the UTF-8
    bytes of each chunk."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    found, start = [], 0
    for chunk in chunks:
        content, bounds = _content(chunk)
        if len(content) > 1:
            at = _suspect_bytes(content, bounds)
            if len(at):
                cells = np.zeros(len(chunk), bool)
                cells[np.searchsorted(bounds, at, side="right") - 1] = True
                found.append(start + np.flatnonzero(cells))
        start += len(chunk)
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _where(values, pattern: str) -> np.ndarray:
    """The positions of the cells of `values` (Arrow text) matching `pattern` (RE2)."""
    matched = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    return np.flatnonzero(matched.to_numpy(zero_copy_only=False))


def _content(chunk) -> tuple[np.ndarray, np.ndarray]:
    """(the UTF-8 bytes of a text array's cells one after another, each cell's start in them)."""
    _, offsets, data = chunk.buffers()
    if data is None or offsets is None:
        return np.zeros(0, np.uint8), np.zeros(len(chunk) + 1, np.int64)
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    bounds = np.frombuffer(offsets, dtype=kind)[chunk.offset : chunk.offset + len(chunk) + 1]
    return np.frombuffer(data, dtype=np.uint8)[bounds[0] : bounds[-1]], bounds - bounds[0]


def _suspect_bytes(content: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Where in `content` (valid UTF-8, cells starting at `bounds`) a character Vietnamese never
    uses starts, or a pair that starts with an ASCII letter ends."""
    alone, after_ascii = _byte_tables()
    lead = np.flatnonzero((content[:-1] & 0xFE) == 0xC2)  # C2 or C3; a lead byte is never a text's last
    first, second, before = content[lead], content[lead + 1], content[np.maximum(lead - 1, 0)]
    starts = np.zeros(len(content) + 1, bool)
    starts[bounds] = True
    pair = (before < 0x80) & ~starts[lead] & after_ascii[before & 0x7F, second]
    return lead[np.where(first == 0xC2, second != 0xA0, alone[second] | pair)]


def _judged(values, positions: np.ndarray, judge) -> tuple[np.ndarray, list]:
    """(`positions`, `judge` of the cell at each), `judge` called once per distinct value."""
    if not len(positions):
        return positions, []
    encoded = pc.dictionary_encode(values.take(pa.array(positions)))
    if isinstance(encoded, pa.ChunkedArray):  # one dictionary for all chunks
        encoded = encoded.combine_chunks()
    verdicts = [judge(value) for value in encoded.dictionary.to_pylist()]
    return positions, [verdicts[at] for at in encoded.indices.to_numpy(zero_copy_only=False)]


def _undecided(values, positions: np.ndarray, results: list) -> np.ndarray:
    """The cells not recognised whose characters could still be an old encoding's: not ASCII,
    every character a byte's."""
    recognised = np.zeros(len(values), bool)
    recognised[positions[[result is not None for result in results]]] = True
    maybe = np.flatnonzero(~recognised)
    if not len(maybe):
        return maybe
    cells = values.take(pa.array(maybe))
    typed = pc.and_(pc.invert(pc.string_is_ascii(cells)), pc.invert(pc.match_substring_regex(cells, BEYOND_BYTES_RE2)))
    return maybe[pc.fill_null(typed, False).to_numpy(zero_copy_only=False)]


def _like(text: str, encoding: str) -> tuple[str, str] | None:
    converted = convert_like(text, encoding)
    return None if converted is None else (encoding, converted)


def _merged(positions: np.ndarray, results: list, more_positions: np.ndarray, more: list) -> tuple[np.ndarray, list]:
    """Two (positions, results) as one, in the order of the positions."""
    every = np.concatenate([positions, more_positions])
    order = np.argsort(every, kind="stable")
    merged = results + more
    return every[order], [merged[at] for at in order]


def _apply(
    values, positions: np.ndarray, results: list, rows: np.ndarray, sheet: str, column: int, findings: TextFindings
):
    """`values` with the cells at `positions` replaced by their results' text, noted by kind."""
    hit = np.array([result is not None for result in results], dtype=bool)
    if not hit.any():
        return values
    positions, results = positions[hit], [result for result in results if result is not None]
    kinds = np.array([kind for kind, _ in results], dtype=object)
    texts = [text for _, text in results]
    for kind in dict.fromkeys(kinds):
        chosen = np.flatnonzero(kinds == kind)
        found = values.take(pa.array(positions[chosen[:SAMPLES]])).to_pylist() if kind == GARBLED else ()
        findings.note_rows(sheet, column, kind, rows[positions[chosen]], found, [texts[at] for at in chosen[:SAMPLES]])
    mask = np.zeros(len(values), bool)
    mask[positions] = True
    return pc.replace_with_mask(values, pa.array(mask), pa.array(texts, type=values.type))
