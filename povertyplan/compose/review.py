"""The review list (rà soát): households whose declared class disagrees with the standard, counts per unit.

An internal working list: it holds personal data (household codes, heads' names, incomes,
deprivations) and says so on its first sheet; the plan itself never shows a name. Households are
listed with `Mã hộ`, the head of household's name and their row in the workbook. The counts per
unit come in sheets of at most about fifteen columns, to be read on a screen and printed on A4;
every table has header filters. `review_workbook` is pure (DataFrames in, a `Spreadsheet` out);
`render.xlsx` writes it.
"""

from __future__ import annotations

import numpy as np

from povertyplan.aggregate.assessment import Assessment, unit_positions
from povertyplan.aggregate.classify import indicator_columns
from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import (
    AREA_NAMES,
    CATEGORY_NAMES,
    CLASS_NAMES,
    LEVEL_AREAS,
    LEVELS,
    NEAR_POOR,
    POOR,
    REGISTER,
    UNKNOWN,
)
from povertyplan.contract.standards import Standard
from povertyplan.contract.vnformat import group_thousands
from povertyplan.compose.spreadsheet import Column, Sheet, Spreadsheet, TableSheet, TextSheet
from povertyplan.messages import say

NOTICE_SHEET, LIST_SHEET, UNITS_SHEET = "Lưu ý", "Rà soát", "Theo đơn vị"
DEPRIVATION_SHEETS = {POOR: "Thiếu hụt - hộ nghèo", NEAR_POOR: "Thiếu hụt - hộ cận nghèo"}
MONEY = "#,##0"
DIFFERENT, UNDECIDED = "Khác phân loại", "Chưa xác định"


def review_workbook(workbook: Workbook, assessment: Assessment) -> Spreadsheet:
    """The review list of `workbook` (call only when `assessment.has_data`)."""
    return Spreadsheet(tuple(review_sheets(workbook, assessment)))


def review_sheets(workbook: Workbook, assessment: Assessment) -> list[Sheet]:
    """The review workbook's sheets: the notice first, then the list (when households could be
    classified), the counts per unit, and the deprivations per unit of poor and of near-poor households."""
    sheets: list[Sheet] = [notice_sheet(workbook, assessment)]
    if assessment.classified is not None:
        sheets.append(list_sheet(workbook, assessment))
    sheets.append(units_sheet(assessment))
    if assessment.deprivations is not None:
        sheets += [deprivations_sheet(assessment, category) for category in (POOR, NEAR_POOR)]
    return sheets


def _commune(workbook: Workbook) -> str:
    info = workbook.info
    return f"{LEVELS[info.level][0]} {info.name}"


def notice_sheet(workbook: Workbook, assessment: Assessment) -> TextSheet:
    """First sheet: that the file is internal, which standard was applied and how, and the totals."""
    rows = [
        ("title", (say("compose.review_title", year=workbook.info.year, commune=_commune(workbook).upper()),)),
        ("heading", (say("compose.review_internal"),)),
        ("text", (say("compose.review_purpose", register=REGISTER.name),)),
    ]
    if assessment.standard is not None:
        rows += [("text", (text,)) for text in standard_lines(assessment.standard, workbook.info.level)]
    rows += _totals_rows(assessment)
    rows.append(("text", (_contents_line(assessment),)))
    return TextSheet(NOTICE_SHEET, (46, 16, 60), tuple(rows))


def standard_lines(standard: Standard, level: str) -> list[str]:
    """How households were classified, in words an official can check by hand."""
    rural, urban = (
        group_thousands(standard.income_threshold["rural"]),
        group_thousands(standard.income_threshold["urban"]),
    )
    k = standard.poor_min_deprivations
    lines = [
        say("compose.review_standard", decree=standard.decree, period=standard.period, rural=rural, urban=urban),
        say("compose.review_classes", deprivations=k),
    ]
    ceiling = standard.average_income_ceiling
    if ceiling:
        lines.append(
            say(
                "compose.review_average",
                rural=group_thousands(ceiling["rural"]),
                urban=group_thousands(ceiling["urban"]),
            )
        )
    lines.append(
        say(
            "compose.review_area",
            level=LEVELS[level][1],
            area=AREA_NAMES[LEVEL_AREAS[level]].lower(),
            column=REGISTER.column("area").name,
        )
    )
    if not all(indicator.confirmed for indicator in standard.indicators):
        lines.append(say("compose.review_unconfirmed", decree=standard.decree))
    return lines


def _totals_rows(assessment: Assessment) -> list[tuple[str, tuple[str, ...]]]:
    classified = assessment.classified
    if classified is None:
        return [("text", (say("compose.review_not_classified"),))]
    different, undecided = int(assessment.different.sum()), int(assessment.undecided.sum())
    counts = (
        ("Hộ trong danh sách", len(classified)),
        ("Phân loại khớp với chuẩn", len(classified) - different - undecided),
        ("Phân loại khác với chuẩn", different),
        ("Chưa xác định (chưa ghi thu nhập)", undecided),
    )
    return [("header", ("Nội dung", "Số hộ")), *(("row", (label, count)) for label, count in counts)]


def _contents_line(assessment: Assessment) -> str:
    """What each sheet holds, in the order of the sheets."""
    parts = []
    if assessment.classified is not None:
        parts.append(say("compose.review_list_contents", sheet=LIST_SHEET))
    counts = []
    if assessment.deprivations is not None:
        counts.append(say("compose.review_units_classes"))
    if assessment.classified is not None:
        counts.append(say("compose.review_units_different"))
    if assessment.leaving is not None:
        counts.append(say("compose.review_units_leaving"))
    parts.append(say("compose.review_units_contents", sheet=UNITS_SHEET, counts=", ".join(counts)))
    if assessment.deprivations is not None:
        parts.append(
            say(
                "compose.review_deprivations_contents",
                poor=DEPRIVATION_SHEETS[POOR],
                near_poor=DEPRIVATION_SHEETS[NEAR_POOR],
            )
        )
    return say("compose.review_contents", parts="; ".join(parts))


# Widths add up to about 180 characters: landscape A4 at about 80 %, long texts wrapped.
LIST_COLUMNS = (
    Column("TT", 5),
    Column("Mã hộ", 11, wrap=True),
    Column(REGISTER.column("head").name, 20, wrap=True),
    Column("Đơn vị", 12, wrap=True),
    Column("Dòng trong sổ", 7),
    Column("Phân loại trong danh sách", 12, wrap=True),
    Column("Phân loại theo chuẩn", 14, wrap=True),
    Column("Kết quả", 10, wrap=True),
    Column("Khu vực", 10),
    Column("Thu nhập bình quân (đồng/người/tháng)", 12, MONEY),
    Column("Chuẩn thu nhập (đồng/người/tháng)", 12, MONEY),
    Column("Số chỉ số thiếu hụt", 9),
    Column("Các chỉ số thiếu hụt", 26, wrap=True),
    Column("Lý do", 30, wrap=True),
)


def list_sheet(workbook: Workbook, assessment: Assessment) -> TableSheet:
    """One row per household that disagrees with the standard or could not be classified,
    by unit in plan order, then by row.

    Built household by household in Python: the list holds a few per cent of the register, where
    pandas' per-call overhead would cost more than the rows.
    """
    classified, standard = assessment.classified, assessment.standard
    listed = classified[assessment.different | assessment.undecided]
    order = {unit: index for index, unit in enumerate(workbook.units["unit"])}
    fields = {
        name: listed[name].tolist()
        for name in ("code", "unit", "row", "category", "computed", "area", "income", "threshold", "deprivations")
    }
    fields["head"] = workbook.register.loc[listed.index, "head"].tolist()
    households = [dict(zip(fields, values)) for values in zip(*fields.values())]
    marks = workbook.register.loc[listed.index, indicator_columns(standard)].to_numpy(dtype=bool).tolist()
    indices = sorted(
        range(len(households)),
        key=lambda i: (households[i]["unit"] not in order, order.get(households[i]["unit"], 0), households[i]["row"]),
    )
    rows = [_list_row(number, households[i], marks[i], standard) for number, i in enumerate(indices, start=1)]
    title = (say("compose.review_list_title", count=len(rows)),)
    return TableSheet(LIST_SHEET, LIST_COLUMNS, rows, title_lines=title, filtered=True)


def _list_row(number: int, household: dict, marks: list[bool], standard: Standard) -> tuple:
    """The cells of `LIST_COLUMNS` for one listed household (`marks`: its indicator columns)."""
    undecided = household["computed"] == UNKNOWN
    return (
        number,
        household["code"],
        household["head"],
        household["unit"],
        household["row"],
        CATEGORY_NAMES[household["category"]],
        CLASS_NAMES[household["computed"]],
        UNDECIDED if undecided else DIFFERENT,
        AREA_NAMES[household["area"]],
        None if undecided else household["income"],
        household["threshold"],
        household["deprivations"],
        "; ".join(indicator.name for indicator, marked in zip(standard.indicators, marks) if marked),
        reason(household, standard),
    )


def reason(household: dict, standard: Standard) -> str:
    """Why a household has its computed class: income against its threshold, number of deprivations."""
    count = household["deprivations"]
    if household["computed"] == UNKNOWN:
        return say("compose.reason_undecided", count=count)
    k = standard.poor_min_deprivations
    income, threshold = group_thousands(household["income"]), group_thousands(household["threshold"])
    area = AREA_NAMES[household["area"]].lower()
    if household["income"] <= household["threshold"]:
        if count >= k:
            return say(
                "compose.reason_within_many", income=income, threshold=threshold, area=area, count=count, deprivations=k
            )
        return say(
            "compose.reason_within_few", income=income, threshold=threshold, area=area, count=count, deprivations=k
        )
    if count >= k:
        return say(
            "compose.reason_above_many", income=income, threshold=threshold, area=area, count=count, deprivations=k
        )
    return say("compose.reason_above_few", income=income, threshold=threshold, area=area, count=count, deprivations=k)


def units_sheet(assessment: Assessment) -> TableSheet:
    """Counts per unit, and a bold `Cộng` row: classes, and registrations against the target."""
    parts = [part for part in (_classes_part(assessment), _leaving_part(assessment)) if part is not None]
    return _units_table(UNITS_SHEET, say("compose.review_units_title"), assessment, parts)


def deprivations_sheet(assessment: Assessment, category: str) -> TableSheet:
    """The households of `category` (poor or near-poor) lacking each indicator, per unit, grouped by dimension."""
    table, standard = assessment.deprivations, assessment.standard
    counts = [table[f"{category}_{indicator.key}"].to_numpy() for indicator in standard.indicators]
    columns = tuple(Column(f"{indicator.number}. {indicator.name}", 13, wrap=True) for indicator in standard.indicators)
    spans = [indicator.dimension for indicator in standard.indicators]
    groups = tuple((dimension, spans.count(dimension)) for dimension in standard.dimensions)
    title = say(
        "compose.review_deprivations_title", households=CATEGORY_NAMES[category].lower(), decree=standard.decree
    )
    return _units_table(DEPRIVATION_SHEETS[category], title, assessment, [(columns, counts, groups)])


def _units_table(name: str, title: str, assessment: Assessment, parts: list) -> TableSheet:
    """A sheet of counts per unit from `parts` (each: columns, counts, group headings), with the
    bold `Cộng` row; the filter leaves it out, so that sorting keeps it last."""
    counts = np.column_stack([column for _, part_counts, _ in parts for column in part_counts]).astype("int64")
    columns = tuple(column for part_columns, _, _ in parts for column in part_columns)
    groups = tuple(group for _, _, part_groups in parts for group in part_groups)
    rows = [[unit, *values] for unit, values in zip(_units_of(assessment), counts.tolist())]
    rows.append(["Cộng", *counts.sum(axis=0).tolist()])
    return TableSheet(
        name,
        (Column("Đơn vị", 16, wrap=True), *columns),
        rows,
        title_lines=(title,),
        groups=(("", 1), *groups),
        bold_last_row=True,
        filtered=True,
    )


def _units_of(assessment: Assessment) -> list[str]:
    table = assessment.deprivations if assessment.deprivations is not None else assessment.leaving
    return list(table["unit"])


# Each part of the units sheet: its columns, their counts per unit (arrays in the plan's unit
# order), and its group headings; None when the register lacks its data.


def _classes_part(assessment: Assessment):
    if assessment.deprivations is None:
        return None
    table = assessment.deprivations
    counts = [table[POOR].to_numpy(), table[NEAR_POOR].to_numpy()]
    columns = (Column("Hộ nghèo", 10, wrap=True), Column("Hộ cận nghèo", 10, wrap=True))
    if assessment.classified is not None:
        positions = unit_positions(assessment.classified["unit"], table["unit"])
        for chosen in (assessment.different, assessment.undecided):
            counts.append(np.bincount(positions[chosen & (positions >= 0)], minlength=len(table)))
        columns += (Column("Khác phân loại", 11, wrap=True), Column("Chưa xác định", 11, wrap=True))
    return columns, counts, (("Số hộ", len(columns)),)


def _leaving_part(assessment: Assessment):
    if assessment.leaving is None:
        return None
    table = assessment.leaving
    counts = [table[key].to_numpy() for key in ("poor_registered", "target", "short", "near_poor_registered")]
    columns = (
        Column("Hộ nghèo đăng ký thoát nghèo", 13, wrap=True),
        Column("Chỉ tiêu giảm hộ nghèo", 12, wrap=True),
        Column("Còn thiếu so với chỉ tiêu", 12, wrap=True),
        Column("Hộ cận nghèo đăng ký thoát cận nghèo", 14, wrap=True),
    )
    return columns, counts, (("Đăng ký thoát nghèo", len(columns)),)
