"""The register's column-wise checks give the same households and messages whichever reader
handed them the cells: the fast reader's Arrow-backed text or the exact reader's Python values."""

import unicodedata

import pandas as pd
import pytest

from povertyplan.read import cells
from povertyplan.read import textcolumns
from povertyplan.validate import collector as validation
from povertyplan.validate.register import parse_register
from povertyplan.contract.schema import REGISTER
from povertyplan.read.sheets import RawTable
from povertyplan.validate.collector import Collector

KEYS = ("code", "head", "unit", "category", "household_size", "income", "lacks_employment", "leaving", "area", "note")
UNITS = pd.DataFrame({"unit": ["Khu phố 1", "Khu phố 2"], "households": [100, 100], "row": [2, 3]})
NFD = unicodedata.normalize("NFD", "Khu phố 2")

# (code, head, unit, category, household size, income, lacks employment, leaving, area, note)
DIRTY_ROWS = [
    ("H1", "Người Một", "Khu phố 1", "Hộ nghèo", 4, 1500000, "x", None, None, None),
    ("H2", "Người  Hai", NFD, "hộ cận nghèo", "4", "1.500.000", "X", " x ", "Thành thị", "ghi\u00a0chú"),
    (" H3 ", "Người Ba", "KHU PHỐ  1", " Hộ nghèo ", 3.0, "1 500 000", "y", None, "ngoại ô", None),
    ("H1", "Người Bốn", "Khu phố 1", "Hộ nghèo", "1.000", "1500000,5", None, "", None, "_x000D_"),
    (None, "Người Năm", "Khu phố 1", "Hộ nghèo", None, None, None, None, None, None),
    ("H6", None, "Khu phố 9", "giàu", "bốn", "-5", "xx", None, "nông thôn", None),
    ("H1", "Người Bảy", None, None, 0, "1,500,000", None, None, None, None),
    ("H8_x0009_", "Ngƣời Tám", "Khu phố 2", "nghèo", "2,5", "inf", "x\u00a0", None, None, "a\x01b"),
    ("H9", "Người Chín", "Khu phố 2", "Hộ cận nghèo", "\u00a05 ", "2000000.5", None, "X", "Thành  thị", None),
    ("H10", "Người Mười", "Khu phố 2", "Hộ cận nghèo", "1e3", "٣٤", None, None, None, None),
]


def table_for(frame: pd.DataFrame) -> RawTable:
    columns = {key: index for index, key in enumerate(KEYS)}
    return RawTable(REGISTER, "Hộ gia đình", 1, columns, {key: REGISTER.column(key).name for key in KEYS}, [], frame)


def exact_frame(rows) -> pd.DataFrame:
    """The cells as the exact reader gives them: Python values, None where blank."""
    frame = pd.DataFrame({key: pd.Series([row[i] for row in rows], dtype=object) for i, key in enumerate(KEYS)})
    frame["row"] = range(2, len(rows) + 2)
    return frame


def fast_frame(rows) -> pd.DataFrame:
    """The same cells as the fast reader gives them: Arrow-backed text, NaN where blank."""

    def shown(value):
        return (
            None
            if value is None
            else str(int(value))
            if isinstance(value, float) and value.is_integer()
            else str(value)
        )

    frame = pd.DataFrame({key: pd.Series([shown(row[i]) for row in rows], dtype="str") for i, key in enumerate(KEYS)})
    frame["row"] = range(2, len(rows) + 2)
    return frame


def parse(frame: pd.DataFrame):
    out = Collector()
    households = parse_register(table_for(frame), UNITS, out, frame)
    return households, out.problems + out.repair_warnings()


def test_fast_and_exact_cells_give_the_same_households_and_messages():
    fast, fast_problems = parse(fast_frame(DIRTY_ROWS))
    exact, exact_problems = parse(exact_frame(DIRTY_ROWS))
    pd.testing.assert_frame_equal(fast, exact, check_dtype=False)
    assert [p.format() for p in fast_problems] == [p.format() for p in exact_problems]
    assert fast["code"].tolist() == ["H1", "H2", "H3", "H8", "H9", "H10"]
    assert {(p.code, p.row) for p in fast_problems if p.is_error} >= {
        ("household_code_missing", 6),
        ("duplicate_household", 5),
        ("incomplete_row", 8),
        ("bad_mark", 7),
    }


def test_thousands_dots_in_arrow_text_are_thousands_as_in_typed_text():
    fast, _ = parse(fast_frame(DIRTY_ROWS[:3]))
    assert fast["income"].tolist() == [1_500_000.0] * 3
    households, problems = parse(
        fast_frame([("H1", "A", "Khu phố 1", "Hộ nghèo", "1.000", "1.000", None, None, None, None)])
    )
    assert households["income"].tolist() == [1000.0]
    assert households["household_size"].isna().all() and "household_size_too_large" in {
        p.code for p in problems
    }  # read as 1000


@pytest.mark.parametrize("make", [fast_frame, exact_frame], ids=["fast", "exact"])
@pytest.mark.parametrize(
    "codes", [["B", "A", "C", "A", "B", "A"], ["A", "A", "A", "B", "B", "C"]], ids=["unsorted", "in-code-order"]
)
def test_a_repeated_code_cites_the_first_row_of_that_code(make, codes):
    rows = [(code, "Tên", "Khu phố 1", "Hộ nghèo", None, None, None, None, None, None) for code in codes]
    households, problems = parse(make(rows))
    first = {code: codes.index(code) + 2 for code in codes}
    expected = [
        (row, code, f"mã hộ bị trùng với dòng {first[code]}.")
        for row, code in enumerate(codes, start=2)
        if first[code] != row
    ]
    assert [(p.row, p.household, p.text.split(" Mỗi")[0]) for p in problems] == expected
    assert households["code"].tolist() == sorted(set(codes), key=codes.index)


def test_only_the_printed_duplicates_are_described_on_a_register_repeating_one_code(monkeypatch):
    monkeypatch.setattr(validation, "MAX_LINES_PER_CHECK", 3)
    rows = [("H1", "Tên", "Khu phố 1", "Hộ nghèo", None, None, None, None, None, None)] * 1000
    _, problems = parse(fast_frame(rows))
    assert [p.row for p in problems] == [3, 4, 5, None] and problems[-1].text.startswith(
        "còn 996 dòng khác có cùng loại lỗi này (từ dòng 6)"
    )


TRICKY = [
    "",
    "H1",
    " H1",
    "H1 ",
    "H 1",
    "H  1",
    "H\t1",
    "_x0009_",
    "a_x000D_b",
    "_x0041_",
    "_xyz",
    "a\x7fb",
    "Lê Văn",
    unicodedata.normalize("NFD", "Lê Văn"),
    "Ngƣời",
    "A\u00a0B",
    "A\u200bB",
    "A\ufeffB",
    "\u3000A",
    "x\u202f",
    "Khu phố 1",
    "é  ",
    "Ǆ",
    "Å",
    "\u2126",
]


@pytest.mark.parametrize("ascii_share", [0, 1, 30], ids=["mostly-text", "half", "mostly-ascii"])
def test_arrow_cleaning_agrees_with_clean_text_cell_by_cell(ascii_share):
    values = TRICKY + ["DH-0001"] * ascii_share
    text, repaired = textcolumns.clean_series(pd.Series(values + [None], dtype="str"))
    assert text.tolist() == [cells.clean_text(value)[0] for value in values] + [""]
    assert repaired.tolist() == [cells.clean_text(value)[1] for value in values] + [False]


def arrow_text(values, start=0) -> pd.Series:
    """`values` as Arrow-backed text seen from position `start` (a slice keeps its offset in the array)."""
    return pd.Series(values, dtype="str").iloc[start:]


@pytest.mark.parametrize("start", [0, 5], ids=["whole", "sliced"])
def test_cleaning_and_marks_read_the_arrow_buffers_right(start):
    values = ["x", None, " x", "X", "xx", "", "x", None, "H 1 ", "H1", " H1", "a_x0009_b", "y", "X"]
    assert textcolumns.arrow_chunks(arrow_text(values, start)).chunk(0).offset == start
    text, repaired = textcolumns.clean_series(arrow_text(values, start))
    assert text.tolist() == [cells.clean_text(value)[0] for value in values[start:]]
    assert repaired.tolist() == [cells.clean_text(value)[1] for value in values[start:]]
    marked, filled = textcolumns.one_character_cells(arrow_text(values, start), "xX")
    assert marked.tolist() == [value in ("x", "X") for value in values[start:]]
    assert filled.tolist() == [value is not None for value in values[start:]]


def test_every_space_and_control_character_cleans_alike_on_both_paths():
    """The Arrow path's patterns are built from the same ranges as `clean_text`'s (a list written
    twice had missed U+1680, U+2028 and U+2029)."""
    special = [
        chr(code)
        for code in range(0x3100)
        if chr(code).isspace() or cells.CONTROL.fullmatch(chr(code)) or cells.SPACES.fullmatch(chr(code))
    ]
    special = [character for character in special if not 0xD800 <= ord(character) <= 0xDFFF] + ["\ufeff", "\ufffe"]
    values = [form.format(c=character) for character in special for form in ("a{c}b", "{c}a", "a{c}", "{c}", "a {c}b")]
    text, repaired = textcolumns.clean_series(pd.Series(values, dtype="str"))
    assert text.tolist() == [cells.clean_text(value)[0] for value in values]
    assert repaired.tolist() == [cells.clean_text(value)[1] for value in values]


def test_rows_blank_in_every_column_are_found_as_locate_table_drops_them():
    import pyarrow as pa

    code = pa.chunked_array([["DH-1", None, "  ", "\u3000\u200b", None, "#N/A"]], pa.large_string())
    note = pa.chunked_array([[None, None, None, None, "ghi chú", None]], pa.large_string())
    assert textcolumns.blank_rows([code, note]).tolist() == [False, True, True, True, False, False]
