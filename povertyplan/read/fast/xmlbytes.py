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
LT, GT, QUOTE, SLASH = ord("<"), ord(">"), ord('"'), ord("/")
PAD = b"\0" * 32  # lets every gather at a fixed offset past a tag stay inside the array
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


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


def contains(hits: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether a position of `hits` (sorted) lies in each [start, end)."""
    if not len(hits):
        return np.zeros(len(starts), bool)
    first = np.searchsorted(hits, starts)
    return (first < len(hits)) & (hits[np.minimum(first, len(hits) - 1)] < ends)


def split_after(buffer: bytes, end: bytes) -> tuple[bytes, bytes]:
    """(the buffer up to its last `end`, the rest); one row or item this long is not ordinary."""
    cut = buffer.rfind(end)
    if cut < 0:
        if len(buffer) > 8 * BLOCK_BYTES:
            raise NotOrdinary
        return b"", buffer
    cut += len(end)
    return buffer[:cut], buffer[cut:]


def unescape(text: str) -> str:
    """Resolve XML's predefined entities and character references (no others exist here)."""
    def replace(match: re.Match) -> str:
        name = match[1]
        if name in _NAMED:
            return _NAMED[name]
        number = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        return chr(number) if 0 < number < 0x110000 else match[0]

    return _ENTITY.sub(replace, text)
