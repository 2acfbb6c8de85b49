"""Signs that `Thông tin chung` was copied from another year: warnings naming the item and its value.

Last year's workbook with only `Năm kế hoạch` changed still carries last year's issue date, căn cứ
and poverty-standard period; the plan would print them. Each is a warning at its cell (the official
may mean it: a plan signed late, a căn cứ of an older decree), never an error.
"""

from __future__ import annotations

import datetime as dt
import re

from povertyplan.contract.model import GeneralInfo
from povertyplan.contract.standards import default_period, period_key, standard_for_period
from povertyplan.messages import say
from povertyplan.read.cells import clean_text
from povertyplan.read.sheets import RawTable
from povertyplan.validate.collector import Collector, shown_value

# Dates and plan years a căn cứ cites: "ngày 15/02/2023", "ngày 15 tháng 02 năm 2023", "năm 2022".
_WORDED_DATE = re.compile(r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\bngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b", re.IGNORECASE)
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
# A law is named with the year it was passed ("Luật Tổ chức chính quyền địa phương năm 2015"): no plan year.
_LAW = re.compile(r"\b(?:luật|hiến pháp|pháp lệnh)\b", re.IGNORECASE)


def cited(text: str) -> tuple[list[dt.date], list[int]]:
    """(the dates, the years outside those dates) a căn cứ's text cites, in order."""
    dates = []
    for pattern in (_WORDED_DATE, _NUMERIC_DATE):
        for match in pattern.finditer(text):
            try:
                dates.append(dt.date(int(match[3]), int(match[2]), int(match[1])))
            except ValueError:  # "ngày 31/02/2023" cites no day: nothing to compare
                pass
        text = pattern.sub(" ", text)
    return dates, [int(match[1]) for match in _YEAR.finditer(text)]


def stale_warnings(
    info: GeneralInfo, items: dict[str, list[tuple[int, object]]], table: RawTable, out: Collector
) -> None:
    """Warn about an issue date, căn cứ or period that belong to another year than the plan's."""
    where = {"sheet": table.sheet, "column": table.header("value")}
    if info.date and "date" in items and not _in_plan_year(info.date, info.year):
        row, value = items["date"][0]
        out.warn(
            "date_other_year",
            say("validate.date_other_year", year=info.year),
            row=row,
            value=shown_value(value),
            **where,
        )
    latest = info.date or dt.date(info.year, 12, 31)
    for row, value in items.get("bases", []):
        text = clean_text(value)[0]
        problem = _stale_basis(text, latest, info.year, info.date is not None)
        if problem:
            out.warn("basis_other_year", problem, row=row, value=text, **where)
    if "standard_period" in items:
        _check_period(info, items["standard_period"][0], where, out)


def _in_plan_year(date: dt.date, year: int) -> bool:
    """A plan is issued in its year, or in December of the year before."""
    return date.year == year or (date.year == year - 1 and date.month == 12)


def _stale_basis(text: str, latest: dt.date, year: int, dated: bool) -> str | None:
    """What is wrong with one căn cứ, or None: a date after the plan's issue date (or after its
    year, when it has none), or a plan year older than the year before the plan's."""
    dates, years = cited(text)
    later = [date for date in dates if date > latest]
    if later:
        shown = f"{later[0]:%d/%m/%Y}"
        return (
            say("validate.basis_after_date", cited=shown, issued=f"{latest:%d/%m/%Y}")
            if dated
            else say("validate.basis_after_year", cited=shown, year=year)
        )
    old = [cited_year for cited_year in years if cited_year < year - 1]
    if old and not _LAW.search(text):
        return say("validate.basis_old_year", cited=old[0], year=year)
    return None


def _check_period(info: GeneralInfo, item: tuple[int, object], where: dict, out: Collector) -> None:
    """`Giai đoạn chuẩn nghèo` typed, but not the period of the plan's year."""
    expected = default_period(info.year)
    row, value = item
    typed = clean_text(value)[0]
    if not expected or not typed:
        return
    standard = standard_for_period(typed)
    if standard is None or period_key(expected) not in {period_key(period) for period in standard.periods}:
        out.warn(
            "period_other_year",
            say("validate.period_other_year", year=info.year, expected=expected),
            row=row,
            value=typed,
            **where,
        )
