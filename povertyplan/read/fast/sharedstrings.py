"""The workbook's shared strings (``xl/sharedStrings.xml``) as Arrow text, read with numpy.

openpyxl makes a Python string of each, through an XML parser (a million of them in a large
register take seconds). Plain items are cut out of the XML's bytes in one gather; the rare items
with runs or escapes are read one by one, as openpyxl reads them.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from povertyplan.read.fast.xmlbytes import DAMAGE, BLOCK_BYTES, GT, LT, PAD, SLASH, TEXT_TYPE, NotOrdinary, contains, slices, split_after, starts_with, unescape


@dataclass
class SharedStrings:
    """The workbook's shared strings (`read_shared_strings`), with each one's size in bytes and
    whether it is empty."""

    text: pa.Array

    def __post_init__(self):
        self.sizes = pc.binary_length(self.text).to_numpy(zero_copy_only=False) if len(self.text) else np.zeros(1, np.int64)
        self.empty = self.sizes == 0


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
    except (NotOrdinary, *DAMAGE):
        return None
    return SharedStrings(pa.concat_arrays(chunks) if chunks else empty)


def _item_blocks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The shared-strings part in blocks of whole items (each cut after a ``</si>``)."""
    carry = b""
    with archive.open(part) as stream:
        while block := stream.read(BLOCK_BYTES):
            buffer = carry + block
            if b"<!" in buffer or b"<si/>" in buffer:
                raise NotOrdinary  # a DTD, comment or CDATA; an item without text
            piece, carry = split_after(buffer, b"</si>")
            if piece:
                yield piece
    if b"<si" in carry:
        raise NotOrdinary  # the part ends inside an item


def _shared_strings(block: bytes) -> pa.Array:
    data = np.frombuffer(block + PAD, dtype=np.uint8)
    tags = np.flatnonzero(data == LT)
    items = tags[starts_with(data, tags, b"<si>") | starts_with(data, tags, b"<si ")]
    item_ends = tags[starts_with(data, tags, b"</si>")]
    if len(item_ends) != len(items):
        raise NotOrdinary
    closes = np.flatnonzero(data == GT)
    # Each item's tags run from its <si> to its </si>; a plain item is exactly <si><t…>text</t></si>.
    at = np.searchsorted(tags, items)
    t_open = tags[np.minimum(at + 1, len(tags) - 1)]
    self_closed_t = data[closes[np.searchsorted(closes, t_open)] - 1] == SLASH
    plain_t = starts_with(data, t_open, b"<t>") | starts_with(data, t_open, b"<t ")
    after = tags[np.minimum(at + 2, len(tags) - 1)]
    plain = plain_t & np.where(self_closed_t, starts_with(data, after, b"</si>"), starts_with(data, after, b"</t>") & starts_with(data, tags[np.minimum(at + 3, len(tags) - 1)], b"</si>"))
    starts = closes[np.searchsorted(closes, t_open)] + 1
    ends = np.where(self_closed_t, starts, after)
    text = slices(data, starts, ends)
    escaped = contains(np.flatnonzero(data == ord("&")), starts, ends) & plain
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
