"""Turn raw cell values into clean Python values: text, counts, years, dates.

Pure functions. A value that cannot be used raises `CellIssue` with a Vietnamese explanation;
the caller adds the location (sheet, row, column).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA")
# Characters that an XML 1.0 document (so a .docx) cannot hold, plus other controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Excel writes a control character in a cell as the escape _xHHHH_, which openpyxl leaves as text.
_ESCAPED_SPACE = re.compile(r"_x000[9aAdD]_")
_ESCAPED_CONTROL = re.compile(r"_x00[01][0-9a-fA-F]_|_x007[fF]_")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# No commune counts more households than this; a larger "count" is a typing or file error.
MAX_COUNT = 10**9


class UnsavedFormula(str):
    """A formula cell whose file holds no computed value (saved by a program that does not
    calculate, e.g. a script): the reader yields `UNSAVED_FORMULA`, which reads as blank text."""

    def __repr__(self) -> str:
        return "UNSAVED_FORMULA"


UNSAVED_FORMULA = UnsavedFormula("")
UNSAVED_TEXT = "ô này có công thức nhưng chưa có giá trị đã tính (tệp được lưu bằng chương trình không tính công thức). Mở tệp bằng Excel, bấm Lưu (Ctrl+S) rồi chạy lại."


class CellIssue(ValueError):
    """A cell value that cannot be used; `text` says why and what to do (Vietnamese)."""

    def __init__(self, text: str, code: str = "bad_value"):
        super().__init__(text)
        self.text = text
        self.code = code


def is_blank(value: object) -> bool:
    """Tell whether a cell is empty (None, or text of spaces only; an unsaved formula reads blank)."""
    return value is None or (isinstance(value, str) and not _SPACES.sub("", value))


def is_unsaved_formula(value: object) -> bool:
    """Tell whether a cell is a formula without a saved value (see `UnsavedFormula`)."""
    return isinstance(value, UnsavedFormula)


def clean_text(value: object) -> tuple[str, bool]:
    """Return the cell as clean NFC text, and whether cleaning changed more than outer spaces.

    Cleaning: NFC normalisation, the PDF artefact `ƣ`/`Ƣ` (U+01A3/U+01A2) read as `ư`/`Ư`,
    control characters removed, runs of spaces (tabs, line breaks, no-break spaces) folded.
    Numbers print without a trailing `.0`.
    """
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    text = unicodedata.normalize("NFC", raw).replace("ƣ", "ư").replace("Ƣ", "Ư")
    if "_x" in text:
        text = _ESCAPED_CONTROL.sub("", _ESCAPED_SPACE.sub(" ", text))
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    return text, text != raw.strip()


def excel_error(value: object) -> str | None:
    """Return the Excel error code a cell holds (``#DIV/0!`` …), or None."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    return None


def parse_count(value: object) -> int:
    """Return a whole, non-negative count from a number or Vietnamese-formatted text.

    ``237``, ``237.0``, ``" 2.452 "`` (thousands dot) and ``"2 452"`` are 2452-style counts;
    fractions, negatives, words, Excel errors, unsaved formulas and numbers beyond `MAX_COUNT`
    raise `CellIssue`. Never rounds.
    """
    if is_unsaved_formula(value):
        raise CellIssue(UNSAVED_TEXT, "unsaved_formula")
    if isinstance(value, bool):
        raise CellIssue("là giá trị đúng/sai, không phải số. Nhập số hộ bằng chữ số.", "not_integer")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellIssue("là ngày tháng, không phải số. Nhập số hộ bằng chữ số và định dạng ô là Số (Number).", "not_integer")
    number = value if isinstance(value, (int, float)) else _number_from_text(value)
    if not _finite(number):
        raise CellIssue(NOT_INTEGER, "not_integer")
    if number != int(number):
        raise CellIssue("không phải số nguyên (số hộ không có phần lẻ). Sửa lại thành số nguyên.", "fraction")
    if number < 0:
        raise CellIssue("là số âm. Nhập số từ 0 trở lên.", "negative")
    if number > MAX_COUNT:
        raise CellIssue("lớn bất thường, không thể là số hộ. Kiểm tra lại số đã nhập.", "too_large")
    return int(number)


NOT_INTEGER = "không phải số nguyên. Nhập số hộ bằng chữ số."


def _finite(number: object) -> bool:
    """NaN and infinities (an XML value may spell ``INF``) are no number of households."""
    return number == number and abs(number) != float("inf")


def _number_from_text(value: object) -> Decimal:
    error = excel_error(value)
    if error:
        raise CellIssue(excel_error_text(error), "excel_error")
    text = _SPACES.sub("", clean_text(value)[0])
    if _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if len(text) > 30:  # Decimal would accept "1e999999999"; no count is typed this long
        raise CellIssue(NOT_INTEGER, "not_integer")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise CellIssue(NOT_INTEGER, "not_integer") from None
    if not number.is_finite() or abs(number) > 10**12:
        raise CellIssue(NOT_INTEGER, "not_integer")
    return number


def excel_error_text(error: str) -> str:
    """What to say about a cell holding an Excel error value such as ``#DIV/0!``."""
    return f"là lỗi công thức của Excel ({error}). Sửa công thức trong Excel hoặc nhập thẳng giá trị, rồi lưu lại."


def parse_year(value: object) -> int:
    """Return a plausible plan year (2000–2100) from a number or text."""
    if is_unsaved_formula(value) or excel_error(value):
        parse_count(value)  # raises the precise issue
    try:
        year = parse_count(value)
    except CellIssue:
        year = None
    if year is None or not 2000 <= year <= 2100:
        raise CellIssue("không phải năm hợp lệ. Nhập năm bằng 4 chữ số, ví dụ 2025.", "bad_year")
    return year


def parse_date(value: object) -> dt.date:
    """Return a date from an Excel date, an Excel serial number or text ``dd/mm/yyyy``."""
    if is_unsaved_formula(value) or excel_error(value):
        parse_count(value)  # raises the precise issue
    date = _date_of(value)
    if date is None or not 2000 <= date.year <= 2100:
        raise CellIssue("không phải ngày hợp lệ. Nhập ngày dạng ngày/tháng/năm, ví dụ 05/3/2025.", "bad_date")
    return date


def _date_of(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    match = _DATE_TEXT.match(clean_text(value)[0])
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


# The same conditions as `clean_text`, in RE2 syntax for pyarrow: a cell matching none is clean.
_DIRTY_RE2 = (
    r"[\x00-\x1f\x7f-\x9f\x{a0}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}\x{feff}\x{fffe}\x{ffff}\x{1a2}\x{1a3}]"
    r"|^\s|\s$|\s\s|_x[0-9a-fA-F]{4}_"
)
_ESCAPE_RE2 = r"_x[0-9a-fA-F]{4}_"


def is_arrow_text(values: "pd.Series") -> bool:
    """Whether `values` is a column of Arrow-backed text (the fast reader's, pandas' ``str``)."""
    import pandas as pd

    return isinstance(values.array, pd.arrays.ArrowStringArray)


def arrow_chunks(values: "pd.Series"):
    """The pyarrow ChunkedArray behind an Arrow-backed text column, as it is: kernels take it
    chunk by chunk, combining the chunks would copy every cell."""
    return values.array._pa_array


def text_series(array, index, dtype=None) -> "pd.Series":
    """A pyarrow string array (or ChunkedArray) as a pandas text column (``str``, blank cells NaN) on `index`."""
    import pandas as pd
    import pyarrow as pa

    dtype = dtype or pd.StringDtype("pyarrow", na_value=float("nan"))
    chunks = array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])
    return pd.Series(pd.arrays.ArrowStringArray(chunks, dtype=dtype), index=index, copy=False)


def _dirty(raw) -> "np.ndarray":
    """Which cells of pyarrow text without nulls `clean_text` would change.

    Mostly ASCII columns (codes, numbers, marks) need only cheap kernels, no normalisation can
    change ASCII; other text (names of people, units, classes) is judged once per distinct value.
    """
    import numpy as np
    import pyarrow.compute as pc

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
    import pyarrow.compute as pc

    odd = pc.or_(pc.invert(pc.ascii_is_printable(raw)), pc.or_(pc.starts_with(raw, " "), pc.ends_with(raw, " ")))
    contents = [_content_bytes(chunk) for chunk in raw.chunks]
    if any(_holds_pair(content, b"  ") for content in contents):
        odd = pc.or_(odd, pc.match_substring(raw, "  "))
    if any(_holds_pair(content, b"_x") for content in contents):
        odd = pc.or_(odd, pc.match_substring_regex(raw, _ESCAPE_RE2))
    return odd.to_numpy(zero_copy_only=False)


def _content_bytes(chunk) -> "np.ndarray":
    """The UTF-8 bytes of all cells of a pyarrow text array, one after another (no copy)."""
    import numpy as np
    import pyarrow as pa

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
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = arrow_chunks(values)
    chosen = pc.is_in(chunks, value_set=pa.array(list(allowed), type=chunks.type))  # false, not null, where blank
    return chosen.to_numpy(zero_copy_only=False), chunks.is_valid().to_numpy(zero_copy_only=False)


def _encoded(raw) -> tuple["np.ndarray", object]:
    """(each cell's index among the distinct values, the distinct values) of pyarrow text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(raw)
    if isinstance(encoded, pa.ChunkedArray):  # one dictionary for all chunks
        encoded = encoded.combine_chunks() if encoded.num_chunks else pa.DictionaryArray.from_arrays(pa.array([], pa.int32()), pa.array([], raw.type))
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary


def _unusual_values(raw) -> "np.ndarray":
    """`_DIRTY_RE2` or not NFC, computed once per distinct value of `raw`."""
    import pyarrow.compute as pc

    indices, distinct = _encoded(raw)
    unusual = pc.or_(pc.match_substring_regex(distinct, _DIRTY_RE2), pc.not_equal(pc.utf8_normalize(distinct, "NFC"), distinct))
    return unusual.to_numpy(zero_copy_only=False)[indices]


def _clean_arrow(values: "pd.Series") -> tuple["pd.Series", "pd.Series"]:
    """`clean_series` of Arrow-backed text: only the cells that need it are cleaned, once per distinct value."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

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
    """`clean_text` over a whole column at once: (clean text, whether each cell was repaired).

    Vectorised, so a million-row register has no per-row Python loop. Arrow-backed text (the
    fast reader's) stays Arrow-backed, ``""`` where blank; other columns give object text.
    """
    import pandas as pd

    if is_arrow_text(values):
        return _clean_arrow(values)
    raw = values.astype(object).map(_as_text)  # numbers print as the cell shows them: 12, not 12.0
    text = raw.str.normalize("NFC").str.replace("ƣ", "ư", regex=False).str.replace("Ƣ", "Ư", regex=False)
    text = text.str.replace(_ESCAPED_SPACE, " ", regex=True).str.replace(_ESCAPED_CONTROL, "", regex=True)
    text = text.str.replace(_CONTROL, "", regex=True).str.replace(_SPACES, " ", regex=True).str.strip()
    return text.astype(object), pd.Series(text.to_numpy() != raw.str.strip().to_numpy(), index=values.index)
