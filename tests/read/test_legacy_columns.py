"""Old encodings and garbled text in a large register read column-wise: the byte-level search
finds exactly the cells the character test does, and the fast reader converts what openpyxl's
reader converts."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from povertyplan.read import legacy, legacycolumns
from povertyplan.read.cells import char_class
from povertyplan.read.legacy import TCVN3, encode
from povertyplan.read.textfindings import TextFindings
from povertyplan.read.vietnamese import letters
from tests.builders import reference_sheets, write_workbook
from tests.read.test_fast_reading import read_both
from tests.legacy_builders import garbled, write_typed_workbook

# Every character that matters: ASCII letters and signs, U+0080–U+00FF, Windows-1252's signs, the
# Vietnamese letters.
CHARACTERS = sorted(
    set("aeiouyAEIOUYbcdhnqtxBDHNQTX -1'")
    | {chr(code) for code in range(0x80, 0x100)}
    | set(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
    | letters()
)


def texts_of_pairs() -> list[str]:
    """Every two-character text of `CHARACTERS`, and each in a word: ``xAB``, ``AB€``."""
    pairs = ["".join(pair) for pair in itertools.product(CHARACTERS, repeat=2)]
    return pairs + [f"x{pair}" for pair in pairs[::7]] + [f"{pair}€y" for pair in pairs[::11]]


def chunked(texts: list[str], size: int = 5000) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(texts[at : at + size], pa.large_string()) for at in range(0, len(texts), size)])


def byte_search_pattern() -> re.Pattern:
    """What the byte search looks for, as a regular expression: `legacy.suspect_parts`' characters,
    and its pairs that start with an ASCII letter."""
    ranges, pairs = legacy.suspect_parts()
    ascii_pairs = [
        f"[{re.escape(''.join(ch for ch in firsts if ch.isascii()))}][{re.escape(seconds)}]"
        for firsts, seconds in pairs.items()
        if any(ch.isascii() for ch in firsts)
    ]
    return re.compile("|".join([char_class(ranges, lambda code: f"\\U{code:08x}"), *ascii_pairs]))


def test_the_byte_search_finds_exactly_the_cells_with_a_suspect_character_or_pair():
    texts, pattern = texts_of_pairs(), byte_search_pattern()
    expected = np.array([pattern.search(text) is not None for text in texts])
    found = np.zeros(len(texts), bool)
    found[legacycolumns._suspects(chunked(texts))] = True
    assert expected.sum() > 10_000
    assert [texts[at] for at in np.flatnonzero(found != expected)] == []
    # Only pairs that start with another letter are left to the pass over a sheet in an old encoding.
    left = [text for text, hit in zip(texts, found) if not hit and legacy.suspect_pattern().search(text)]
    assert left and all(not legacy.suspect_pattern().search(text).group()[0].isascii() for text in left)


def test_vietnamese_typed_in_unicode_holds_no_suspect_cell():
    names = [
        " ".join(parts)
        for parts in itertools.product(
            ["Nguyễn", "Lê", "Hoàng", "Đỗ", "Vũ"],
            ["Văn", "Thị", "Thuý", "Hoà"],
            ["Bá", "Tú", "Xuân", "Quý", "Khoẻ", "Yên", "Thôn 1"],
        )
    ]
    assert len(legacycolumns._suspects(chunked(names, 17))) == 0


def converted(texts: list[str]) -> tuple[list[str], TextFindings]:
    findings = TextFindings()
    columns = legacycolumns.convert_columns(
        {1: chunked(texts, 7)}, np.arange(2, len(texts) + 2), "Hộ gia đình", findings
    )
    return columns[1].to_pylist(), findings


def test_a_column_in_tcvn3_is_converted_with_its_cells_that_look_like_unicode():
    units = [f"Khu phố {n % 4 + 1}" for n in range(20)]
    texts, findings = converted(
        [encode(unit, TCVN3) for unit in units[:10]] + [encode(f"Nguyễn Thị Tú {n}", TCVN3) for n in range(11)]
    )
    assert texts[:10] == units[:10]  # "Khu phè 1": TCVN3 for Khu phố 1, only known from its neighbours
    assert texts[10] == "Nguyễn Thị Tú 0"
    assert np.frombuffer(findings.converted[("Hộ gia đình", 1, TCVN3)], np.int32).tolist() == list(range(2, 23))


def test_a_few_cells_in_tcvn3_leave_a_unicode_column_as_it_is():
    unicode = ["Lê Bá", "Hà Tú", "Thôn 1", "Khu phố 3", "Nguyễn Văn Bá", "Lê Thị Hà", "Thôn 2", "Hộ nghèo"]
    texts, _ = converted(unicode + [encode("Bùi Văn Khánh", TCVN3)])
    assert texts == unicode + ["Bùi Văn Khánh"]


def test_a_garbled_cell_is_repaired_and_noted_with_its_text():
    texts, findings = converted(["Khu phố 1", garbled("Khu phố 2"), None, "Khu phố 3"])
    assert texts == ["Khu phố 1", "Khu phố 2", None, "Khu phố 3"]
    assert np.frombuffer(findings.garbled[("Hộ gia đình", 1)], np.int32).tolist() == [3]
    assert findings.samples[("Hộ gia đình", 1)] == [(garbled("Khu phố 2"), "Khu phố 2")]


@pytest.mark.parametrize("font", [".VnTime", "VNI-Times"])
def test_the_fast_reader_converts_the_register_as_openpyxls_reader_does(tmp_path, monkeypatch, font):
    fast, exact = read_both(
        write_typed_workbook(tmp_path / "s.xlsx", reference_sheets(), lambda *cell: font), monkeypatch
    )
    pd.testing.assert_frame_equal(fast.register, exact.register, check_dtype=False)
    assert fast.register["unit"].iloc[0] == "Khu phố 1"
    assert [problem.format() for problem in fast.warnings] == [problem.format() for problem in exact.warnings]


def test_the_fast_reader_reports_a_garbled_register_cell_as_openpyxls_reader_does(tmp_path, monkeypatch):
    sheets = reference_sheets()
    sheets["Hộ gia đình"][3][2] = garbled(sheets["Hộ gia đình"][3][2])
    fast, exact = read_both(write_workbook(tmp_path / "s.xlsx", sheets), monkeypatch)
    assert fast == exact
    assert fast == [
        'Sheet "Hộ gia đình", dòng 4 (mã hộ BS-003), cột "Đơn vị": ô C4 có chữ bị lỗi mã hóa (như "Ã¡" thay cho "á"): '
        "dữ liệu UTF-8 bị mở sai bảng mã. Gõ lại nội dung ô, hoặc nhập lại dữ liệu từ tệp gốc và chọn mã "
        "Unicode (UTF-8) khi nhập."
    ]
