"""The sheet `Thông tin chung`: labels and values to a `GeneralInfo`, with the contract's defaults."""

from __future__ import annotations

import re

from povertyplan.read.cells import CellIssue, clean_text, is_blank, parse_count, parse_date, parse_year
from povertyplan.contract.model import GeneralInfo
from povertyplan.contract.schema import (
    AUTHORITY_LINES,
    INFO,
    INFO_ITEMS,
    LEVELS,
    SIGNER_TITLES,
    InfoItem,
    name_key,
    plain_key,
)
from povertyplan.messages import say
from povertyplan.read.sheets import RawTable
from povertyplan.contract.standards import default_period
from povertyplan.validate.collector import Collector, shown_value
from povertyplan.validate.stale import stale_warnings


def _item_for(label: object) -> InfoItem | None:
    for key_of in (name_key, plain_key):
        for item in INFO_ITEMS:
            if key_of(label) in {key_of(name) for name in item.names}:
                return item
    return None


def collect_items(table: RawTable, out: Collector, blank_rows: dict[str, int]) -> dict[str, list[tuple[int, object]]]:
    """Group the sheet's values by item key, keeping each value's row; unknown labels are ignored.

    A label whose value is blank (or unusable: an Excel error, an unsaved formula, reported here)
    is left out; its row goes to `blank_rows`, so a required item can be reported at that row.
    """
    items: dict[str, list[tuple[int, object]]] = {}
    for row, values in table.rows:
        label = table.value(values, "label")
        item = _item_for(label) if not is_blank(label) else None
        if item is None:
            continue
        value = table.value(values, "value")
        if out.unusable(value, sheet=table.sheet, row=row, column=table.header("value")) or is_blank(value):
            blank_rows.setdefault(item.key, row)
            continue
        if items.get(item.key) and not item.repeats:
            out.warn(
                "duplicate_label",
                say("validate.duplicate_label", item=item.label, row=items[item.key][0][0]),
                sheet=table.sheet,
                row=row,
                column=table.header("label"),
            )
            continue
        items.setdefault(item.key, []).append((row, value))
    return items


def item_cells(table: RawTable, key: str) -> list[tuple[int, object]]:
    """Every (row, value) of the labels of item `key` on the sheet, blank values included: where
    to report a problem with the item, and whether it is given when other items are invalid."""
    cells = []
    for row, values in table.rows:
        label = table.value(values, "label")
        if not is_blank(label) and (item := _item_for(label)) is not None and item.key == key:
            cells.append((row, table.value(values, "value")))
    return cells


def headerless_info_table(sheet: str, rows: list[tuple[int, tuple]]) -> RawTable | None:
    """Read `Thông tin chung` without its header row when column A holds known labels.

    Officials often delete the `Thông tin | Giá trị` row; the labels themselves are unambiguous.
    """
    known = sum(1 for _, values in rows if values and not is_blank(values[0]) and _item_for(values[0]))
    if known < 2:
        return None
    return RawTable(
        INFO,
        sheet,
        0,
        {"label": 0, "value": 1},
        {key: INFO.column(key).name for key in ("label", "value")},
        rows,
        positions={"label": 0, "value": 1},
    )


def parse_info(table: RawTable, out: Collector) -> GeneralInfo | None:
    """Validate the general information; record every problem and return None if any is fatal."""
    blank_rows: dict[str, int] = {}
    items = collect_items(table, out, blank_rows)
    reader = _InfoReader(table, items, out)
    for item in INFO_ITEMS:
        if item.required and item.key not in items and item.key in blank_rows:
            out.error(
                "required",
                say("validate.item_empty", item=item.label),
                sheet=table.sheet,
                row=blank_rows[item.key],
                column=table.header("value"),
            )
        elif item.required and item.key not in items:
            out.error(
                "required",
                say("validate.item_missing", item=item.label, column=table.header("value")),
                sheet=table.sheet,
                column=table.header("label"),
            )
    level = reader.choice("level", LEVELS, say("validate.unknown_level"))
    name = reader.text("name")
    year = reader.parsed("year", parse_year)
    signer_title = reader.choice("signer_title", SIGNER_TITLES, say("validate.unknown_signer_title"))
    signer = reader.text("signer")
    number = reader.parsed("number", _parse_number)
    date = reader.parsed("date", parse_date)
    assigned = reader.parsed("assigned_target", parse_count)
    assigned_near_poor = reader.parsed("assigned_near_poor_target", parse_count)
    period = reader.text("standard_period")
    if out.has_errors or None in (level, year, signer_title) or not name or not signer:
        return None
    if not period:
        period = _default_period(year, table, out)
    name = reader.without_level_word(name, level)
    unit_word = reader.text("unit_word") or LEVELS[level][2]
    overrides = tuple(reader.texts("authority_override"))
    info = GeneralInfo(
        level=level,
        name=name,
        year=year,
        signer=signer,
        signer_title=SIGNER_TITLES[signer_title],
        authority_lines=overrides or AUTHORITY_LINES[name_key(SIGNER_TITLES[signer_title])],
        place=reader.text("place") or default_place(level, name),
        unit_word=unit_word,
        standard_period=_normalise_period(period),
        province=reader.text("province"),
        parent_agency=reader.text("parent_agency"),
        number=number,
        date=date,
        bases=tuple(reader.texts("bases")),
        assigned_target=assigned,
        assigned_near_poor_target=assigned_near_poor,
        campaign=reader.text("campaign"),
    )
    stale_warnings(info, items, table, out)
    return info


def default_place(level: str, name: str) -> str:
    """Nghị định 30: the place is the commune's name; a unit named by a number keeps its word."""
    return f"{LEVELS[level][0]} {name}" if re.fullmatch(r"\d+", name) else name


def _default_period(year: int, table: RawTable, out: Collector) -> str | None:
    period = default_period(year)  # the plan years each standard's data file declares
    if period:
        return period
    out.error("no_period", say("validate.no_period", year=year), sheet=table.sheet)
    return None


def _normalise_period(period: str | None) -> str:
    """Write a period as the plans do: ``2022-2025`` → ``2022 - 2025``."""
    match = re.fullmatch(r"(\d{4})\s*[-–—]\s*(\d{4})", period or "")
    return f"{match[1]} - {match[2]}" if match else (period or "")


def _parse_number(value: object) -> int:
    """The document number: a positive whole number (``15``, or ``15/KH-UBND`` as typed)."""
    text = clean_text(value)[0]
    match = re.fullmatch(r"(\d+)\s*(/.*)?", text)
    number = int(match[1]) if match else None
    if number is None or number < 1:
        raise CellIssue(say("validate.bad_number"), "bad_number")
    return number


class _InfoReader:
    """Reads item values with the row and column needed for messages."""

    def __init__(self, table: RawTable, items: dict[str, list[tuple[int, object]]], out: Collector):
        self.table, self.items, self.out = table, items, out

    def _where(self, row: int) -> dict:
        return {"sheet": self.table.sheet, "row": row, "column": self.table.header("value")}

    def texts(self, key: str) -> list[str]:
        texts = []
        for row, value in self.items.get(key, []):
            text, repaired = clean_text(value)
            if repaired:
                self.out.repaired_rows(self.table, "value", [row])
            if text:
                texts.append(text)
        return texts

    def text(self, key: str) -> str:
        texts = self.texts(key)
        return texts[0] if texts else ""

    def parsed(self, key: str, parse):
        if key not in self.items:
            return None
        row, value = self.items[key][0]
        try:
            return parse(value)
        except CellIssue as issue:
            self.out.error(issue.code, issue.text, value=shown_value(value), **self._where(row))
            return None

    def without_level_word(self, name: str, level: str) -> str:
        """`Tên đơn vị hành chính` without the level's word typed before it (``Xã Tân Lập`` when
        the level is Xã, also after ``UBND``), with a warning: the plan writes the word itself."""
        word = LEVELS[level][0]
        match = re.match(
            rf"(?:(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+)?{re.escape(word)}\s+(?=\S)", name, re.IGNORECASE
        )
        if not match:
            return name
        fixed = name[match.end() :]
        row, value = self.items["name"][0]
        self.out.warn(
            "level_in_name",
            say("validate.level_in_name", word=match[0].strip(), fixed=fixed),
            value=name,
            **self._where(row),
        )
        return fixed

    def choice(self, key: str, allowed: dict, refusal: str) -> str | None:
        """The key in `allowed` the item's value names, or None after recording `refusal` (which lists them)."""
        if key not in self.items:
            return None
        row, value = self.items[key][0]
        text = clean_text(value)[0]
        # "Phó Chủ tịch UBND", "Chủ tịch Ủy ban nhân dân phường" name the same office.
        key = re.sub(r"\s+(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\b.*$", "", name_key(text))
        if key in allowed:
            return key
        self.out.error("unknown_choice", refusal, value=text, **self._where(row))

        return None
