"""The workbook's shared strings (``xl/sharedStrings.xml``) as Arrow text, read with numpy.

openpyxl makes a Python string of each, through an XML parser (a million of them in a large
register take seconds). Plain items (``<si><t>…</t></si>``, with or without phonetic properties)
are cut out of the XML's bytes in one gather, their references resolved in whole-array steps;
the other items (rich-text runs, phonetic guides, anything unusual) of each block are given to
the XML parser together and read as openpyxl reads them. Parts written with a namespace prefix
(the Open XML SDK's ``<x:si>``) are read the same, the prefix taken off first.
"""

from __future__ import annotations

import zipfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from povertyplan.read.fast.xmlbytes import (
    BLOCK_BYTES,
    DAMAGE,
    GT,
    LT,
    MAIN_NS,
    PAD,
    SLASH,
    TEXT_TYPE,
    NotOrdinary,
    Root,
    read_root,
    split_after,
    starts_with,
    text,
    unprefix,
)

# What each tag of the part is, for telling plain items from the others.
OTHER, ITEM, ITEM_EMPTY, ITEM_END, TEXT, TEXT_EMPTY, TEXT_END, PHONETIC_PROPERTIES = range(8)
_TEXT_TAGS = (b"<t>", b'<t xml:space="preserve">')
_MARKUP = np.frombuffer(b"!?", np.uint8)
_AFTER_NAME = np.frombuffer(b"> /", np.uint8)


@dataclass
class SharedStrings:
    """The workbook's shared strings (`read_shared_strings`), with each one's size in bytes and
    whether it is empty."""

    text: pa.Array

    def __post_init__(self):
        self.sizes = (
            pc.binary_length(self.text).to_numpy(zero_copy_only=False) if len(self.text) else np.zeros(1, np.int64)
        )
        self.empty = self.sizes == 0


def read_shared_strings(archive: zipfile.ZipFile, part: str | None) -> SharedStrings | None:
    """The workbook's shared strings as Arrow text, in order, exactly as openpyxl reads them;
    None when the part is not plain XML as programs write it (openpyxl then reads it).

    Rich text is joined run by run and phonetic guides (``<rPh>``) are left out, as Excel shows
    the cell; Excel's ``_x005F_`` escape is dropped, as openpyxl drops it.
    """
    empty = pa.array([], TEXT_TYPE)
    if part is None or part not in archive.NameToInfo:
        return SharedStrings(empty)
    try:
        with archive.open(part) as stream:
            chunks = [_shared_strings(block, root) for block, root in _item_blocks(stream)]
    except (NotOrdinary, ET.ParseError, *DAMAGE):
        return None
    return SharedStrings(_as_openpyxl_reads(pa.concat_arrays(chunks)) if chunks else empty)


def _item_blocks(stream) -> Iterator[tuple[bytes, Root]]:
    """The part's items in blocks of whole items (each cut after an ``</si>``), prefix taken off."""
    root, buffer = read_root(stream, BLOCK_BYTES)
    if root.empty:
        return
    end_item, end_root = b"</" + root.prefix + b"si>", b"</" + root.prefix + root.name + b">"
    carry, block = buffer[root.end :], b""
    while True:
        block = stream.read(BLOCK_BYTES)
        if not block:
            break
        piece, carry = split_after(carry + block, end_item)
        if piece:
            yield unprefix(piece, root.prefix), root
    rest = carry.rstrip()
    if not rest.endswith(end_root):
        raise NotOrdinary  # the part ends inside an item, or is cut short
    rest = unprefix(rest[: -len(end_root)], root.prefix)
    if rest.strip():
        yield rest, root


def _shared_strings(block: bytes, root: Root) -> pa.Array:
    data = np.frombuffer(block + PAD, dtype=np.uint8)
    tags = np.flatnonzero(data == LT)
    closes = np.flatnonzero(data == GT)
    ends = closes[np.minimum(np.searchsorted(closes, tags), len(closes) - 1)] if len(closes) else tags
    code = _tag_codes(data, tags, ends)
    first, last = _items(code)
    plain, text_start, text_end = _plain_items(code, tags, ends, first, last)
    if plain.all():
        return _plain_text(data, text_start, text_end)
    values = np.empty(len(first), object)
    if plain.any():
        values[plain] = _plain_text(data, text_start[plain], text_end[plain]).to_numpy(zero_copy_only=False)
    others = np.flatnonzero(~plain)
    values[others] = _parsed(block, tags[first[others]], ends[last[others]] + 1, root)
    return pa.array(values, TEXT_TYPE)


def _tag_codes(data: np.ndarray, tags: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """What each tag is (`ITEM`, `TEXT_END` …): only the forms programs write are told apart."""
    one, two, three = data[tags + 1], data[tags + 2], data[tags + 3]
    if np.isin(one, _MARKUP).any():
        raise NotOrdinary  # a comment, CDATA or processing instruction
    code = np.full(len(tags), OTHER, np.int8)
    closed = data[ends - 1] == SLASH
    item = (one == ord("s")) & (two == ord("i")) & np.isin(three, _AFTER_NAME)
    code[item] = np.where(closed[item], ITEM_EMPTY, ITEM)
    ending = one == SLASH
    code[ending & (two == ord("s")) & (three == ord("i")) & (data[tags + 4] == GT)] = ITEM_END
    code[ending & (two == ord("t")) & (three == GT)] = TEXT_END
    text = one == ord("t")
    code[text & (two == GT)] = TEXT
    code[text & (two == SLASH) & (three == GT)] = TEXT_EMPTY
    spaced = np.flatnonzero(text & (two == ord(" ")))  # <t xml:space="preserve">, <t xml:space="preserve"/>
    code[spaced[starts_with(data, tags[spaced], _TEXT_TAGS[1])]] = TEXT
    code[spaced[starts_with(data, tags[spaced], _TEXT_TAGS[1][:-1] + b"/>")]] = TEXT_EMPTY
    properties = np.flatnonzero((one == ord("p")) & closed)
    code[properties[starts_with(data, tags[properties], b"<phoneticPr ")]] = PHONETIC_PROPERTIES
    return code


def _items(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first tag, last tag) of each item, in order; items that do not nest properly are not ordinary."""
    marks = np.flatnonzero((code == ITEM) | (code == ITEM_EMPTY) | (code == ITEM_END))
    kinds = code[marks]
    opened = kinds == ITEM
    # Every <si> is followed by its </si>, and every </si> follows a <si>.
    unclosed = opened & (np.r_[kinds[1:], OTHER] != ITEM_END)
    unopened = (kinds == ITEM_END) & (np.r_[OTHER, kinds[:-1]] != ITEM)
    if (unclosed | unopened).any():
        raise NotOrdinary
    first = marks[kinds != ITEM_END]
    last = first.copy()
    last[opened[kinds != ITEM_END]] = marks[kinds == ITEM_END]
    return first, last


def _plain_items(code: np.ndarray, tags: np.ndarray, ends: np.ndarray, first: np.ndarray, last: np.ndarray):
    """(whether each item is plain, where its text starts, where it ends).

    Plain: ``<si><t>text</t></si>``, ``<si><t/></si>``, ``<si></si>`` or ``<si/>``, each perhaps
    with ``<phoneticPr …/>`` before the ``</si>``; whatever stands between the tags is no part of
    the text for openpyxl either.
    """
    span = last - first
    inner = np.minimum(first + 1, len(code) - 1)
    after = np.minimum(first + 2, len(code) - 1)
    with_properties = (span >= 2) & (code[np.maximum(last - 1, 0)] == PHONETIC_PROPERTIES)
    span = span - with_properties
    text = (span == 3) & (code[inner] == TEXT) & (code[after] == TEXT_END)
    no_text = (span <= 1) | ((span == 2) & (code[inner] == TEXT_EMPTY))
    plain = text | no_text
    start = np.where(text, ends[inner] + 1, 0)
    return plain, start, np.where(text, tags[after], start)


def _plain_text(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    return text(data, starts, ends)


def _parsed(block: bytes, starts: np.ndarray, ends: np.ndarray, root: Root) -> list[str]:
    """The text of the items at [starts, ends) of `block`, read by the XML parser in one piece
    as openpyxl reads each (`Text.content`: the item's own ``<t>``, then each run's ``<t>``)."""
    body = b"".join(block[start:end] for start, end in zip(starts.tolist(), ends.tolist()))
    document = ET.fromstring(b'<sst xmlns="' + MAIN_NS + b'" ' + root.declarations + b">" + body + b"</sst>")
    if len(document) != len(starts):
        raise NotOrdinary
    return [_content(item) for item in document]


def _content(item: ET.Element) -> str:
    """openpyxl's `Text.from_tree(item).content`: children are matched by local name, and of
    repeated ``<t>`` the last counts."""
    plain, runs = None, []
    for child in item:
        name = _local(child.tag)
        if name == "t":
            plain = child.text
        elif name == "r":
            run = None
            for part in child:
                if _local(part.tag) == "t":
                    run = part.text
            runs.append(run)
    return "".join(text for text in (plain, *runs) if text is not None)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _as_openpyxl_reads(text: pa.Array) -> pa.Array:
    """Excel escapes a literal ``_x`` as ``_x005F_x``; openpyxl drops the ``x005F_``, so the
    cell cleaning (`cells.clean_text`) sees the same text from both readers."""
    return pc.replace_substring(text, "x005F_", "")
