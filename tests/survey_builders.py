"""Small workbooks whose register carries the optional survey columns, built from literals."""

from __future__ import annotations

from pathlib import Path

from tests.builders import write_workbook
from tests.reference_data import INDICATORS_2022

LEVEL_UNITS = {"Phường": "Khu phố 1", "Thị trấn": "Khu phố 1", "Xã": "Thôn 1", "Đặc khu": "Thôn 1"}


def household(
    code: str, category: str = "Hộ nghèo", income=1_000_000, lacking: int = 3, area=None, leaving=None, **columns
) -> dict:
    """One register row: the first `lacking` indicators marked ``x``; extra `columns` by header."""
    row = {
        "Mã hộ": code,
        "Họ tên chủ hộ": "Người Thử",
        "Phân loại": category,
        "Thu nhập bình quân": income,
        "Khu vực": area,
        "Đăng ký thoát nghèo": leaving,
    }
    row.update({name: "x" if index < lacking else None for index, name in enumerate(INDICATORS_2022)})
    row.update(columns)
    return row


def survey_workbook(
    folder: Path,
    households: list[dict],
    level: str = "Phường",
    year: int = 2023,
    period: str | None = None,
    target: int = 0,
    name: str = "so-lieu.xlsx",
) -> Path:
    """A one-unit workbook (100 households) whose register is `households`."""
    unit = LEVEL_UNITS[level]
    headers = list(dict.fromkeys(key for row in households for key in row))
    info = [
        ["Thông tin", "Giá trị"],
        ["Loại đơn vị hành chính", level],
        ["Tên đơn vị hành chính", "Thử"],
        ["Năm kế hoạch", year],
        ["Chức vụ người ký", "Chủ tịch"],
        ["Người ký", "Nguyễn Văn A"],
    ]
    if period:
        info.append(["Giai đoạn chuẩn nghèo", period])
    sheets = {
        "Thông tin chung": info,
        "Chỉ tiêu": [["Đơn vị", "Số hộ", "Chỉ tiêu giảm hộ nghèo"], [unit, 100, target]],
        "Hộ gia đình": [["Đơn vị", *headers], *([unit, *(row.get(h) for h in headers)] for row in households)],
        "Phân công": [["Họ và tên", "Chức vụ", "Phụ trách địa bàn"], ["Trần Văn B", "Chủ tịch MTTQ", unit]],
        "Nơi nhận": [["Nơi nhận"], ["Lưu: VT"]],
    }
    return write_workbook(folder / name, sheets)
