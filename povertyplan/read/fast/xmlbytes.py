"""numpy over the bytes of spreadsheet XML: what `xlsxgrid` (a sheet's cells) and `sharedstrings`
(the shared-strings table) both use.

Positions are found with whole-array comparisons and read with gathers at fixed offsets, never
with a Python loop per tag; text is cut out into Arrow arrays in one gather. The XML is taken as
programs write it: anything unexpected raises `NotOrdinary` and the caller leaves the part to
openpyxl.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

# pandas keeps its text columns as Arrow large_string: text made so reaches pandas without a copy.
TEXT_TYPE = pa.large_string()
# Blocks of decompressed XML; the parse of one needs a few times this in temporary arrays.
BLOCK_BYTES = 2 * 1024**2
# Text is gathered in chunks of about this size (the gather needs an index per byte).
SLICE_BYTES = 4 * 1024**2
# What reading a damaged part raises (bad deflate data, a bad CRC, a truncated member): the
# readers here then step aside, and openpyxl's reading tells the official the file is damaged.
DAMAGE = (zlib.error, zipfile.BadZipFile, EOFError, OSError)
LT, GT, QUOTE, SLASH, AMP, CR, LF = ord("<"), ord(">"), ord('"'), ord("/"), ord("&"), ord("\r"), ord("\n")
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The start of a part read at once: its root element's start tag lies within (`root_element`).
ROOT_BYTES = 16 * 1024
PAD = b"\0" * 32  # lets every gather at a fixed offset past a tag stay inside the array


class NotOrdinary(Exception):
    """The XML is not the plain kind these readers accept; openpyxl takes over."""


def lean_memory_pool() -> None:
    """Use jemalloc for Arrow where the wheel has it: with the reading threads, the default
    allocator (mimalloc) keeps about 100 MB more of freed memory for a million-row register."""
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, pa.ArrowNotImplementedError, AttributeError):
        pass  # Windows wheels have no jemalloc: keep the default


lean_memory_pool()


def starts_with(data: np.ndarray, positions: np.ndarray, literal: bytes) -> np.ndarray:
    """Whether `literal` starts at each of `positions`."""
    match = np.ones(len(positions), bool)
    for offset, byte in enumerate(literal):
        match &= data[positions + offset] == byte
    return match


def read_digits(data: np.ndarray, starts: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
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


def slices(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The bytes between each start and end as one Arrow string array (gathered, not looped).

    Gathered in chunks of about SLICE_BYTES, since the gather needs an index per byte.
    """
    lengths = np.maximum(ends - starts, 0).astype(np.int64)
    offsets = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    cuts = np.searchsorted(offsets, np.arange(0, offsets[-1], SLICE_BYTES), side="right") - 1
    cuts = np.unique(np.r_[0, cuts, len(starts)])  # 0: leading empty texts belong to the first chunk
    chunks = []
    for first, last in zip(cuts[:-1], cuts[1:]):
        part = offsets[first : last + 1] - offsets[first]
        index = np.repeat(starts[first:last] - part[:-1], lengths[first:last]) + np.arange(part[-1])
        chunks.append(
            pa.LargeStringArray.from_buffers(int(last - first), pa.py_buffer(part), pa.py_buffer(data[index].tobytes()))
        )
    text = pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())
    try:
        text.validate(full=True)  # UTF-8, as the XML declares
    except pa.ArrowInvalid:
        raise NotOrdinary from None
    return text


def split_after(buffer: bytes, end: bytes) -> tuple[bytes, bytes]:
    """(the buffer up to its last `end`, the rest); one row or item this long is not ordinary."""
    cut = buffer.rfind(end)
    if cut < 0:
        if len(buffer) > 8 * BLOCK_BYTES:
            raise NotOrdinary
        return b"", buffer
    cut += len(end)
    return buffer[:cut], buffer[cut:]


# --- the root element, and parts written with a namespace prefix (the Open XML SDK's x:) -----

_PROLOG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?(?:[^?]|\?(?!>))*\?>\s*)*")
_START_TAG = re.compile(
    rb"<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)"  # prefix, name
    rb"((?:\s+[^\s=<>/]+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*)\s*(/?)>"
)  # attributes, empty
_ATTRIBUTE = re.compile(rb"([^\s=]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


@dataclass(frozen=True)
class Root:
    """A part's root element as `root_element` found it."""

    prefix: bytes  # the prefix of SpreadsheetML's elements with its colon (b"x:"), or b"" for none
    name: bytes  # the root's local name (b"worksheet", b"sst")
    declarations: bytes  # the other namespaces it declares, as attributes (for parsing a piece alone)
    end: int  # where its start tag ends (after the ">")
    empty: bool  # written as <sst/>: no content


def root_element(head: bytes) -> Root:
    """The root element at the start of a part (after the XML declaration).

    Programs write SpreadsheetML either as the default namespace (Excel, LibreOffice, openpyxl)
    or with one prefix on every element (the Open XML SDK: ``<x:worksheet xmlns:x="…">``).
    Anything else (a DTD or comment before the root, another namespace such as Strict OOXML,
    which openpyxl does not read) is not ordinary.
    """
    prolog = _PROLOG.match(head)
    tag = _START_TAG.match(head, prolog.end())
    if tag is None:
        raise NotOrdinary
    prefix, name, attributes, empty = tag.groups()
    namespaces, others = {}, []
    for attribute in _ATTRIBUTE.finditer(attributes):
        key, value = attribute[1], attribute[2] if attribute[2] is not None else attribute[3]
        if key == b"xmlns" or key.startswith(b"xmlns:"):
            namespaces[key[6:]] = value
            if key.startswith(b"xmlns:") and key[6:] != (prefix or b""):
                others.append(attribute[0])
    if namespaces.get(prefix or b"") != MAIN_NS:
        raise NotOrdinary
    return Root(prefix + b":" if prefix else b"", name, b" ".join(others), tag.end(), empty == b"/")


def read_root(stream, block_bytes: int) -> tuple[Root, bytes]:
    """(the root element, the bytes read) from the start of a part's stream: a block, or more
    when the root's start tag goes on past it (up to ROOT_BYTES)."""
    buffer = stream.read(block_bytes)
    while True:
        try:
            return root_element(buffer), buffer
        except NotOrdinary:
            more = stream.read(block_bytes) if len(buffer) < ROOT_BYTES else b""
            if not more:
                raise
            buffer += more


def unprefix(piece: bytes, prefix: bytes) -> bytes:
    """`piece` (whole elements of a part's body) with the SpreadsheetML prefix taken off every
    tag, so that it reads as the unprefixed XML programs mostly write.

    Only a consistent prefix is taken: a piece where some tag has none, or that declares a
    namespace itself (``xmlns``), is not ordinary. No ``<`` stands inside text or attribute
    values, so every ``<x:`` is a tag. (Comments, CDATA and processing instructions are for the
    callers to refuse: they see every tag anyway.)
    """
    if b"xmlns" in piece:
        raise NotOrdinary  # a namespace declared inside
    if not prefix:
        return piece
    data = np.frombuffer(piece + PAD, np.uint8)
    tags = np.flatnonzero(data[: len(piece)] == LT)
    at = tags + 1 + (data[tags + 1] == SLASH)  # where each tag's name, and so its prefix, starts
    if not starts_with(data, at, prefix).all():
        raise NotOrdinary
    keep = np.ones(len(piece), bool)
    for offset in range(len(prefix)):
        keep[at + offset] = False
    return data[: len(piece)][keep].tobytes()


# --- character references and line ends, as an XML parser reads text ----------------------

_NAMED_REFERENCES = (
    (b"amp;", ord("&")),
    (b"lt;", ord("<")),
    (b"gt;", ord(">")),
    (b"quot;", ord('"')),
    (b"apos;", ord("'")),
)
_HEX_VALUE = np.full(256, 255, np.uint8)
_HEX_VALUE[np.frombuffer(b"0123456789", np.uint8)] = np.arange(10)
_HEX_VALUE[np.frombuffer(b"abcdef", np.uint8)] = np.arange(10, 16)
_HEX_VALUE[np.frombuffer(b"ABCDEF", np.uint8)] = np.arange(10, 16)
_UTF8_LEAD = np.array([0, 0, 0xC0, 0xE0, 0xF0], np.int64)
_MAX_DIGITS = 7  # &#1114111; the largest code point; more digits (leading zeros) is not ordinary


def text(data: np.ndarray, starts: np.ndarray, ends: np.ndarray, raw: bytes | None = None) -> pa.Array:
    """The text in each [start, end) of `data` as an XML parser gives it, as one Arrow array in
    the ranges' order: references (``&amp;``, ``&#7885;``, ``&#x1EA1;``) resolved and line ends
    (CR LF, a lone CR) made LF.

    The ranges must not overlap; `data` ends with PAD; `raw`, the bytes of `data` if at hand,
    spares looking through `data` for what they do not hold. All in whole-array steps: each
    reference is replaced by its UTF-8 bytes in a copy of `data` (never longer than the
    reference), and the gather that cuts the texts out skips the bytes left over. A reference
    XML does not allow (an unknown entity, a character XML excludes) is not ordinary.
    """
    ends = np.maximum(ends, starts)
    ordered = len(starts) < 2 or not (np.diff(starts) < 0).any()
    by_start = None if ordered else np.argsort(starts, kind="stable")
    first, last = (starts, ends) if ordered else (starts[by_start], ends[by_start])
    amps = _inside(np.flatnonzero(data == AMP), first, last) if raw is None or b"&" in raw else np.zeros(0, np.int64)
    returns = _inside(np.flatnonzero(data == CR), first, last) if raw is None or b"\r" in raw else np.zeros(0, np.int64)
    if not len(amps) and not len(returns):
        return slices(data, starts, ends)
    out, cut_start, cut_end = _resolve(data, amps, returns)
    total = np.cumsum(ends - starts)  # in groups of about SLICE_BYTES: the gather needs an index per byte
    groups = np.r_[0, np.searchsorted(total, np.arange(SLICE_BYTES, total[-1], SLICE_BYTES)), len(starts)]
    return pa.concat_arrays(
        [
            _without_cuts(out, starts[a:b], ends[a:b], cut_start, cut_end)
            for a, b in zip(groups[:-1], groups[1:])
            if b > a
        ]
    )


def _resolve(data: np.ndarray, amps: np.ndarray, returns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a copy of `data` with each reference's UTF-8 bytes at its start and each lone CR made LF,
    then the [start, end) of the bytes left over, sorted)."""
    code, length = _references(data, amps)
    kept = 1 + (code >= 0x80) + (code >= 0x800) + (code >= 0x10000)
    out = data.copy()
    for k in range(4):  # UTF-8: a lead byte, then continuation bytes of six bits each
        here = np.flatnonzero(kept > k)
        count, value = kept[here], code[here]
        shift = 6 * (count - 1 - k)
        if k == 0:
            out[amps] = np.where(count == 1, value, _UTF8_LEAD[count] | (value >> shift))
        else:
            out[amps[here] + k] = 0x80 | ((value >> shift) & 0x3F)
    crlf = data[returns + 1] == LF
    out[returns[~crlf]] = LF  # a lone CR; before LF it is cut
    cut_start = np.concatenate([amps + kept, returns + (~crlf)])
    cut_end = np.concatenate([amps + length, returns + 1])
    if len(returns) and len(amps):
        by_place = np.argsort(cut_start, kind="stable")
        cut_start, cut_end = cut_start[by_place], cut_end[by_place]
    return out, cut_start, cut_end


def _without_cuts(
    data: np.ndarray, starts: np.ndarray, ends: np.ndarray, cut_start: np.ndarray, cut_end: np.ndarray
) -> pa.Array:
    """The ranges' texts, in their order, less the cuts inside them: each range is the segments
    from its start or a cut's end to the next cut's start or its end."""
    first_cut, after_cut = np.searchsorted(cut_start, starts), np.searchsorted(cut_start, ends)
    count = after_cut - first_cut + 1  # segments of each range
    owner = np.repeat(np.arange(len(starts)), count)
    k = np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count)  # the segment's place in its range
    cut = first_cut[owner] + k  # the cut the segment ends at (past the last: the range's end)
    segment_starts = np.where(k == 0, starts[owner], cut_end[np.maximum(cut - 1, 0)])
    segment_ends = np.where(cut < after_cut[owner], cut_start[np.minimum(cut, len(cut_start) - 1)], ends[owner])
    segment_lengths = segment_ends - segment_starts
    lengths = np.bincount(owner, segment_lengths, len(starts)).astype(np.int64)
    return _gather(data, segment_starts, segment_lengths, lengths)


def _gather(data: np.ndarray, segment_starts: np.ndarray, segment_lengths: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """The segments' bytes end to end, cut into texts of `lengths` bytes, as Arrow text."""
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    firsts = np.cumsum(segment_lengths) - segment_lengths
    index = np.repeat(segment_starts - firsts, segment_lengths) + np.arange(offsets[-1])
    text = pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data[index].tobytes()))
    try:
        text.validate(full=True)  # UTF-8, as the XML declares
    except pa.ArrowInvalid:
        raise NotOrdinary from None
    return text


def _inside(hits: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The positions of `hits` that lie in one of the sorted, disjoint [start, end)."""
    if not len(starts):
        return hits[:0]
    owner = np.searchsorted(starts, hits, side="right") - 1
    return hits[(owner >= 0) & (hits < ends[np.maximum(owner, 0)])]


def _references(data: np.ndarray, amps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code point, length in bytes) of the reference starting at each ``&``."""
    code = np.full(len(amps), -1, np.int64)
    length = np.zeros(len(amps), np.int64)
    numeric = data[amps + 1] == ord("#")
    named = np.flatnonzero(~numeric)
    for name, value in _NAMED_REFERENCES:
        hit = named[starts_with(data, amps[named] + 1, name)]
        code[hit], length[hit] = value, 1 + len(name)
    if (code[named] < 0).any():
        raise NotOrdinary  # an entity XML does not predefine (no DTD declares one here)
    numbers = np.flatnonzero(numeric)
    hexadecimal = data[amps[numbers] + 2] == ord("x")
    at = amps[numbers] + 2 + hexadecimal
    base = np.where(hexadecimal, 16, 10)
    value = np.zeros(len(numbers), np.int64)
    digits = np.zeros(len(numbers), np.int64)
    reading = np.ones(len(numbers), bool)
    for offset in range(_MAX_DIGITS + 1):
        digit = _HEX_VALUE[data[at + offset]]
        reading &= digit < base
        if not reading.any():
            break
        value[reading] = value[reading] * base[reading] + digit[reading]
        digits += reading
    if ((digits == 0) | (digits > _MAX_DIGITS) | (data[at + digits] != ord(";"))).any():
        raise NotOrdinary
    code[numbers], length[numbers] = value, at + digits + 1 - amps[numbers]
    allowed = (
        (code == 0x9)
        | (code == 0xA)
        | (code == 0xD)
        | ((code >= 0x20) & (code <= 0xD7FF))
        | ((code >= 0xE000) & (code <= 0xFFFD))
        | ((code >= 0x10000) & (code <= 0x10FFFF))
    )
    if not allowed.all():
        raise NotOrdinary  # XML allows no reference to these: the parser would stop
    return code, length
