"""The review list (rà soát): households whose declared class disagrees with the standard, counts per unit.

An internal document: it holds personal data (household codes, incomes, deprivations) and says so
on its first sheet. `review_sheets` is pure (DataFrames in, sheet descriptions out); `write_review`
hands them to `xlsx_out`. Households are identified by `Mã hộ` and their row in the workbook, never
by name.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .assessment import Assessment
from .classify import disagrees, indicator_columns
from .model import Workbook
from .output import plan_filename
from .schema import AREA_NAMES, CATEGORY_NAMES, CLASS_NAMES, LEVEL_AREAS, LEVELS, NEAR_POOR, POOR, UNKNOWN
from .standards import Standard
from .xlsx_out import Column, Sheet, TableSheet, TextSheet, write_workbook

NOTICE_SHEET, LIST_SHEET, UNITS_SHEET = "Lưu ý", "Rà soát", "Theo đơn vị"
MONEY = "#,##0"
DIFFERENT, UNDECIDED = "Khác phân loại", "Chưa xác định"


def review_filename(info) -> str:
    """``ke-hoach-giam-ngheo-2023-phuong-bac-son-ra-soat.xlsx``: beside the plan it belongs to."""
    return plan_filename(info).removesuffix(".docx") + "-ra-soat.xlsx"


def write_review(sheets: list[Sheet], stream) -> None:
    write_workbook(sheets, stream)


def review_sheets(workbook: Workbook, assessment: Assessment) -> list[Sheet]:
    """The review workbook's sheets: the notice first, then the list (when households could be classified) and the counts per unit."""
    sheets: list[Sheet] = [notice_sheet(workbook, assessment)]
    if assessment.classified is not None:
        sheets.append(list_sheet(workbook, assessment))
    sheets.append(units_sheet(assessment))
    return sheets


def _money(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _commune(workbook: Workbook) -> str:
    info = workbook.info
    return f"{LEVELS[info.level][0]} {info.name}"


def notice_sheet(workbook: Workbook, assessment: Assessment) -> TextSheet:
    """First sheet: that the file is internal, which standard was applied and how, and the totals."""
    rows = [
        ("title", (f"RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {workbook.info.year} - {_commune(workbook).upper()}",)),
        ("heading", ("TÀI LIỆU NỘI BỘ - CÓ DỮ LIỆU CÁ NHÂN CỦA HỘ GIA ĐÌNH",)),
        ("text", ('Tệp này do chương trình lập từ sheet "Hộ gia đình" của sổ số liệu, chỉ dùng cho Ban chỉ đạo giảm nghèo và công chức phụ trách để rà soát. Không công bố, không niêm yết, không gửi kèm kế hoạch; xóa khi không còn dùng.',)),
    ]
    if assessment.standard is not None:
        rows += [("text", (text,)) for text in standard_lines(assessment.standard, workbook.info.level)]
    rows += _totals_rows(assessment)
    rows.append(("text", (_contents_line(assessment),)))
    return TextSheet(NOTICE_SHEET, (46, 16, 60), tuple(rows))


def standard_lines(standard: Standard, level: str) -> list[str]:
    """How households were classified, in words an official can check by hand."""
    rural, urban = _money(standard.income_threshold["rural"]), _money(standard.income_threshold["urban"])
    k = standard.poor_min_deprivations
    lines = [
        f"Chuẩn áp dụng: {standard.decree}, chuẩn nghèo giai đoạn {standard.period}. Chuẩn thu nhập bình quân đầu người: nông thôn {rural}, thành thị {urban} đồng/người/tháng; thu nhập bằng đúng chuẩn được tính là trong chuẩn.",
        f"Hộ nghèo: thu nhập không quá chuẩn và thiếu hụt từ {k} chỉ số trở lên. Hộ cận nghèo: thu nhập không quá chuẩn và thiếu hụt dưới {k} chỉ số.",
    ]
    ceiling = standard.average_income_ceiling
    if ceiling:
        lines.append(f"Hộ có mức sống trung bình: thu nhập trên chuẩn, không quá {_money(ceiling['rural'])} (nông thôn), {_money(ceiling['urban'])} (thành thị) đồng/người/tháng.")
    lines.append(f'Khu vực: hộ ở {LEVELS[level][1]} tính là {AREA_NAMES[LEVEL_AREAS[level]].lower()}, trừ hộ ghi khác ở cột "Khu vực". Hộ chưa ghi thu nhập bình quân: chưa xác định được theo chuẩn, không tính là khác phân loại.')
    if not all(indicator.confirmed for indicator in standard.indicators):
        lines.append(f"Lưu ý: danh mục chỉ số của {standard.decree} trong chương trình chưa được đối chiếu đủ với toàn văn Nghị định; kiểm tra kết quả trước khi dùng.")
    return lines


def _totals_rows(assessment: Assessment) -> list[tuple[str, tuple[str, ...]]]:
    classified = assessment.classified
    if classified is None:
        return [("text", ("Chưa phân loại lại hộ: cần cả cột thu nhập bình quân và các chỉ số thiếu hụt.",))]
    different = int(disagrees(classified).sum())
    undecided = int((classified["computed"] == UNKNOWN).sum())
    counts = (
        ("Hộ trong danh sách", len(classified)),
        ("Phân loại khớp với chuẩn", len(classified) - different - undecided),
        ("Phân loại khác với chuẩn", different),
        ("Chưa xác định (chưa ghi thu nhập)", undecided),
    )
    return [("header", ("Nội dung", "Số hộ")), *(("row", (label, count)) for label, count in counts)]


def _contents_line(assessment: Assessment) -> str:
    parts = []
    if assessment.classified is not None:
        parts.append(f'sheet "{LIST_SHEET}": các hộ có phân loại khác với kết quả tính theo chuẩn và các hộ chưa xác định được, kèm lý do')
    parts.append(f'sheet "{UNITS_SHEET}": số liệu từng đơn vị (số hộ thiếu hụt từng chỉ số, số hộ đăng ký thoát nghèo so với chỉ tiêu)')
    return "Gồm: " + "; ".join(parts) + "."


LIST_COLUMNS = (
    Column("TT", 6),
    Column("Mã hộ", 14),
    Column("Đơn vị", 16),
    Column("Dòng trong sổ", 10),
    Column("Phân loại trong danh sách", 16, wrap=True),
    Column("Phân loại theo chuẩn", 20, wrap=True),
    Column("Kết quả", 16),
    Column("Khu vực", 12),
    Column("Thu nhập bình quân (đồng/người/tháng)", 18, MONEY),
    Column("Chuẩn thu nhập (đồng/người/tháng)", 16, MONEY),
    Column("Số chỉ số thiếu hụt", 12),
    Column("Các chỉ số thiếu hụt", 50, wrap=True),
    Column("Lý do", 60, wrap=True),
)


def list_sheet(workbook: Workbook, assessment: Assessment) -> TableSheet:
    """One row per household that disagrees with the standard or could not be classified."""
    classified, standard = assessment.classified, assessment.standard
    listed = classified[disagrees(classified) | (classified["computed"] == UNKNOWN)]
    order = {unit: index for index, unit in enumerate(workbook.units["unit"])}
    listed = listed.assign(_order=listed["unit"].map(order)).sort_values(["_order", "row"], kind="stable")
    lacking = lacking_names(workbook.register.loc[listed.index], standard)
    undecided = listed["computed"] == UNKNOWN
    frame = pd.DataFrame(
        {
            "tt": range(1, len(listed) + 1),
            "code": listed["code"],
            "unit": listed["unit"],
            "row": listed["row"],
            "declared": listed["category"].map(CATEGORY_NAMES),
            "computed": listed["computed"].map(CLASS_NAMES),
            "result": np.where(undecided, UNDECIDED, DIFFERENT),
            "area": listed["area"].map(AREA_NAMES),
            "income": listed["income"].astype(object).where(~undecided, None),
            "threshold": listed["threshold"],
            "deprivations": listed["deprivations"],
            "lacking": lacking,
            "reason": reasons(listed, standard),
        }
    )
    title = (f"Hộ có phân loại khác với chuẩn nghèo hoặc chưa xác định được: {len(listed)} hộ. Tài liệu nội bộ.",)
    return TableSheet(LIST_SHEET, LIST_COLUMNS, list(frame.itertuples(index=False, name=None)), title_lines=title)


def lacking_names(register: pd.DataFrame, standard: Standard) -> pd.Series:
    """The names of the indicators each household lacks, ``"; "``-separated, built column by column."""
    names = pd.Series("", index=register.index, dtype=object)
    for column, indicator in zip(indicator_columns(standard), standard.indicators):
        names = names + np.where(register[column].to_numpy(dtype=bool), indicator.name + "; ", "")
    return names.str.removesuffix("; ")


def reasons(listed: pd.DataFrame, standard: Standard) -> pd.Series:
    """Why a household has its computed class: income against its threshold, number of deprivations."""
    k = standard.poor_min_deprivations
    income = listed["income"].fillna(0).map(_money)
    threshold = listed["threshold"].map(_money)
    side = np.where(listed["income"] <= listed["threshold"], "không quá", "trên")
    count = np.where(listed["deprivations"] >= k, f"từ {k} trở lên", f"dưới {k}")
    area = listed["area"].map(AREA_NAMES).str.lower()
    text = "Thu nhập " + income + " " + side + " chuẩn " + threshold + " (" + area + "); thiếu hụt " + listed["deprivations"].astype(str) + " chỉ số (" + count + ")."
    missing = "Chưa ghi thu nhập bình quân: chưa xác định được theo chuẩn nghèo (thiếu hụt " + listed["deprivations"].astype(str) + " chỉ số). Bổ sung thu nhập rồi chạy lại."
    return text.where(listed["computed"] != UNKNOWN, missing)


def units_sheet(assessment: Assessment) -> TableSheet:
    """Counts per unit, and a bold `Cộng` row: classes, registrations against the target, deprivations."""
    parts = [_classes_part(assessment), _leaving_part(assessment), _deprivations_part(assessment)]
    parts = [part for part in parts if part is not None]
    frame = pd.concat([frame for _, frame, _ in parts], axis=1)
    columns = tuple(column for columns, _, _ in parts for column in columns)
    groups = tuple(group for _, _, part_groups in parts for group in part_groups)
    units = _units_of(assessment)
    total = ["Cộng", *frame.sum(numeric_only=True).astype("int64").tolist()]
    rows = [[unit, *values] for unit, values in zip(units, frame.itertuples(index=False, name=None))] + [total]
    return TableSheet(UNITS_SHEET, (Column("Đơn vị", 16), *columns), rows, groups=(("", 1), *groups), bold_last_row=True)


def _units_of(assessment: Assessment) -> list[str]:
    table = assessment.deprivations if assessment.deprivations is not None else assessment.leaving
    return list(table["unit"])


def _classes_part(assessment: Assessment):
    if assessment.deprivations is None:
        return None
    table = assessment.deprivations
    frame = pd.DataFrame({"poor": table[POOR], "near_poor": table[NEAR_POOR]})
    columns = (Column("Hộ nghèo", 10), Column("Hộ cận nghèo", 10))
    if assessment.classified is not None:
        classified = assessment.classified
        by_unit = classified.assign(different=disagrees(classified), undecided=classified["computed"] == UNKNOWN).groupby("unit")[["different", "undecided"]].sum()
        frame["different"] = table["unit"].map(by_unit["different"]).fillna(0).astype("int64").to_numpy()
        frame["undecided"] = table["unit"].map(by_unit["undecided"]).fillna(0).astype("int64").to_numpy()
        columns += (Column("Khác phân loại", 11), Column("Chưa xác định", 11))
    return columns, frame.reset_index(drop=True), (("Số hộ", len(columns)),)


def _leaving_part(assessment: Assessment):
    if assessment.leaving is None:
        return None
    table = assessment.leaving
    frame = table[["poor_registered", "target", "short", "near_poor_registered"]].reset_index(drop=True)
    columns = (Column("Hộ nghèo đăng ký thoát nghèo", 13), Column("Chỉ tiêu giảm hộ nghèo", 12), Column("Còn thiếu so với chỉ tiêu", 12), Column("Hộ cận nghèo đăng ký thoát cận nghèo", 14))
    return columns, frame, (("Đăng ký thoát nghèo", len(columns)),)


def _deprivations_part(assessment: Assessment):
    if assessment.deprivations is None:
        return None
    table, standard = assessment.deprivations, assessment.standard
    keys = [f"{category}_{indicator.key}" for category in (POOR, NEAR_POOR) for indicator in standard.indicators]
    frame = table[keys].reset_index(drop=True)
    columns = tuple(Column(f"{indicator.number}. {indicator.name}", 13) for _ in (POOR, NEAR_POOR) for indicator in standard.indicators)
    count = len(standard.indicators)
    return columns, frame, (("Hộ nghèo thiếu hụt từng chỉ số", count), ("Hộ cận nghèo thiếu hụt từng chỉ số", count))
