"""Vietnamese number, date and document-number formats, as Nghị định 30/2020 and practice ask."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np

# The blank left for the clerk where a number or a day/month is not known yet.
BLANK = "\u00a0" * 6


def rate_hundredths(count, households):
    """Return 100 × count ÷ households in hundredths of a percent, rounded half up.

    Integer arithmetic, so exact: half up as Excel's ROUND does, never cut (the hand-typed 2023
    plan cut 1,445 to 1,44). Works on ints and, element-wise, on integer pandas Series.
    """
    if np.any(np.asarray(households) <= 0):
        raise ValueError("households must be positive")
    return (20000 * count + households) // (2 * households)


def format_hundredths(hundredths: int) -> str:
    """Write a rate held in hundredths with a decimal comma: 71 → ``0,71``, 118 → ``1,18``."""
    sign = "-" if hundredths < 0 else ""
    whole, part = divmod(abs(hundredths), 100)
    return f"{sign}{format_count(whole)},{part:02d}"


def format_rate(count: int, households: int) -> str:
    """Return the rate of `count` among `households` in percent, two decimals, decimal comma."""
    return format_hundredths(rate_hundredths(count, households))


def format_count(count: int) -> str:
    """Write a count as the whole plan does, tables and text alike: ``237``, ``2.452``, ``37.705``."""
    return group_thousands(count)


class Count(int):
    """A count as the wording template receives it: a number to compare and add (``{% if
    leaving.short %}``, ``{{ a.poor + a.near_poor }}``) that prints in the plan's style, ``2.452``.

    Sums and differences of counts stay counts; anything else is a plain int.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return format_count(int(self))

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else int(self).__format__(spec)

    def __add__(self, other):
        total = int(self) + other
        return Count(total) if isinstance(other, int) and not isinstance(other, bool) else total

    __radd__ = __add__

    def __sub__(self, other):
        difference = int(self) - other
        return Count(difference) if isinstance(other, int) and not isinstance(other, bool) else difference

    def __rsub__(self, other):
        difference = other - int(self)
        return Count(difference) if isinstance(other, int) and not isinstance(other, bool) else difference

    def __neg__(self) -> "Count":
        return Count(-int(self))

    def __abs__(self) -> "Count":
        return Count(abs(int(self)))


def group_thousands(number: float) -> str:
    """Write `number` rounded to a whole, with a dot between thousands: 1500000 → ``1.500.000``.

    Exact for every whole number a plan holds (below 2**53).
    """
    return f"{number:,.0f}".replace(",", ".")


def format_document_number(number: int | None, symbol: str = "KH-UBND") -> str:
    """Return ô 3: ``Số: 05/KH-UBND``; numbers below 10 take a leading zero; blank when unknown."""
    if number is None:
        return f"Số:{BLANK}/{symbol}"
    return f"Số: {number:02d}/{symbol}"


def format_place_date(place: str, date: dt.date | None, year: int) -> str:
    """Return ô 4: ``Bắc Sơn, ngày 05 tháng 3 năm 2023``.

    Nghị định 30: days 1–9 and months 1–2 take a leading zero; months 3–12 never do. Without a
    date, the day and month are left blank for the clerk and the plan year is printed.
    """
    if date is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def lowercase_first(text: str) -> str:
    """``Khu phố`` → ``khu phố``: a generic word as it reads inside a sentence."""
    return text[:1].lower() + text[1:]


def slug(text: str) -> str:
    """Return an ASCII file-name part: ``Phường Bắc Sơn`` → ``phuong-bac-son``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "khong-ten"
