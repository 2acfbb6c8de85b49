"""Turn raw cell values into clean Python values: text, counts, years, dates.

Pure functions. A value that cannot be used raises `CellIssue` with a Vietnamese explanation;
the caller adds the location (sheet, row, column). Whole columns of text are cleaned the same way
by `textcolumns`, with the patterns below.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from povertyplan.messages import say

EXCEL_ERRORS = (
    "#DIV/0!",
    "#N/A",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
)
# The characters `clean_text` treats, as ranges of code points: once, so that the patterns below
# (Python) and those of `textcolumns` (RE2, for pyarrow) cannot drift apart.
# Characters that an XML 1.0 document (so a .docx) cannot hold, plus other controls: dropped.
CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xD800, 0xDFFF), (0xFFFE, 0xFFFF))
# Python's whitespace (str.isspace) plus the zero-width space and BOM pasted from the web: one space.
SPACE_RANGES = (
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200B),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)


def char_class(ranges, escape=lambda code: f"\\U{code:08x}") -> str:
    """A regular-expression character class of `ranges`; `escape` spells a code point (Python's
    ``\\U0001f600`` by default; RE2 wants ``\\x{1f600}``)."""
    return (
        "["
        + "".join(escape(first) if first == last else f"{escape(first)}-{escape(last)}" for first, last in ranges)
        + "]"
    )


CONTROL = re.compile(char_class(CONTROL_RANGES))
# Excel writes a control character in a cell as the escape _xHHHH_, which openpyxl leaves as text.
ESCAPED_SPACE = re.compile(r"_x000[9aAdD]_")
ESCAPED_CONTROL = re.compile(r"_x00[01][0-9a-fA-F]_|_x007[fF]_")
SPACES = re.compile(char_class(SPACE_RANGES) + "+")
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
# The same, in a register column of text: what both readers put in the cell (`xlsxgrid`, and
# `register.register_frame` for openpyxl's rows), so that one comparison finds them.
UNSAVED_MARK = "\ue000unsaved-formula\ue000"


class CellIssue(ValueError):
    """A cell value that cannot be used; `text` says why and what to do (Vietnamese)."""

    def __init__(self, text: str, code: str = "bad_value"):
        super().__init__(text)
        self.text = text
        self.code = code


def is_blank(value: object) -> bool:
    """Tell whether a cell is empty (None, or text of spaces only; an unsaved formula reads blank)."""
    return value is None or (isinstance(value, str) and not SPACES.sub("", value))


def is_unsaved_formula(value: object) -> bool:
    """Tell whether a cell is a formula without a saved value (see `UnsavedFormula`)."""
    return isinstance(value, UnsavedFormula)


def clean_text(value: object) -> tuple[str, bool]:
    """Return the cell as clean NFC text, and whether cleaning changed what a user could see.

    Cleaning: NFC normalisation, the PDF artefact `ƣ`/`Ƣ` (U+01A3/U+01A2) read as `ư`/`Ư`,
    control characters removed, runs of spaces (tabs, line breaks, no-break spaces) folded.
    Numbers print without a trailing `.0`. Normalisation alone and outer spaces do not count as
    a change: the same letters show either way.
    """
    if value is None:
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = unicodedata.normalize("NFC", str(value))
    text = raw.replace("ƣ", "ư").replace("Ƣ", "Ư")
    if "_x" in text:
        text = ESCAPED_CONTROL.sub("", ESCAPED_SPACE.sub(" ", text))
    text = CONTROL.sub("", text)
    text = SPACES.sub(" ", text).strip()
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
        raise CellIssue(unsaved_text(), "unsaved_formula")
    if isinstance(value, bool):
        raise CellIssue(say("read.boolean_not_count"), "not_integer")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellIssue(say("read.date_not_count"), "not_integer")
    number = value if isinstance(value, (int, float)) else _number_from_text(value)
    if not _finite(number):
        raise CellIssue(say("read.not_integer"), "not_integer")
    if number != int(number):
        raise CellIssue(say("read.fraction"), "fraction")
    if number < 0:
        raise CellIssue(say("read.negative"), "negative")
    if number > MAX_COUNT:
        raise CellIssue(say("read.too_large"), "too_large")
    return int(number)


def _finite(number: object) -> bool:
    """NaN and infinities (an XML value may spell ``INF``) are no number of households."""
    return number == number and abs(number) != float("inf")


def _number_from_text(value: object) -> Decimal:
    error = excel_error(value)
    if error:
        raise CellIssue(excel_error_text(error), "excel_error")
    text = SPACES.sub("", clean_text(value)[0])
    if _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    if len(text) > 30:  # Decimal would accept "1e999999999"; no count is typed this long
        raise CellIssue(say("read.not_integer"), "not_integer")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise CellIssue(say("read.not_integer"), "not_integer") from None
    if not number.is_finite() or abs(number) > 10**12:
        raise CellIssue(say("read.not_integer"), "not_integer")
    return number


def excel_error_text(error: str) -> str:
    """What to say about a cell holding an Excel error value such as ``#DIV/0!``."""
    return say("read.excel_error", error=error)


def unsaved_text() -> str:
    """What to say about a formula cell saved without its value (`UnsavedFormula`)."""
    return say("read.unsaved_formula")


def parse_year(value: object) -> int:
    """Return a plausible plan year (2000–2100) from a number or text."""
    if is_unsaved_formula(value) or excel_error(value):
        parse_count(value)  # raises the precise issue
    try:
        year = parse_count(value)
    except CellIssue:
        year = None
    if year is None or not 2000 <= year <= 2100:
        raise CellIssue(say("read.bad_year"), "bad_year")
    return year


def parse_date(value: object) -> dt.date:
    """Return a date from an Excel date, an Excel serial number or text ``dd/mm/yyyy``."""
    if is_unsaved_formula(value) or excel_error(value):
        parse_count(value)  # raises the precise issue
    date = _date_of(value)
    if date is None or not 2000 <= date.year <= 2100:
        raise CellIssue(say("read.bad_date"), "bad_date")
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
