"""The 2023 reference data of phường Bắc Sơn (workbook.md), with a fictional register.

The register's names are invented; its 29 poor households count to the reference figures.
"""

from __future__ import annotations

import datetime as dt

UNITS = [  # Đơn vị, Số hộ, Hộ nghèo đầu năm, Chỉ tiêu giảm hộ nghèo
    ("Khu phố 1", 237, 2, 1),
    ("Khu phố 2", 197, 1, 0),
    ("Khu phố 3", 207, 4, 1),
    ("Khu phố 4", 419, 2, 1),
    ("Khu phố 5", 334, 3, 1),
    ("Khu phố 6", 292, 4, 1),
    ("Khu phố 8", 101, 2, 0),
    ("Khu phố 9", 283, 2, 1),
    ("Khu phố 10", 320, 6, 1),
    ("Khu phố 12", 62, 3, 1),
]

NEAR_POOR = {"Khu phố 1": 3, "Khu phố 3": 2, "Khu phố 5": 4, "Khu phố 9": 1, "Khu phố 10": 3, "Khu phố 12": 2}

INFO = [
    ("Tỉnh", "Thanh Hóa"),
    ("Cơ quan cấp trên", "UBND thị xã Bỉm Sơn"),
    ("Loại đơn vị hành chính", "Phường"),
    ("Tên đơn vị hành chính", "Bắc Sơn"),
    ("Năm kế hoạch", 2023),
    ("Số văn bản", 15),
    ("Ngày ban hành", dt.date(2023, 3, 5)),
    ("Địa danh", "Bắc Sơn"),
    (
        "Căn cứ",
        (
            "Thực hiện Kế hoạch số 482/KH-UBND ngày 24/02/2023 của UBND thị xã Bỉm Sơn về việc thực hiện công tác "
            "giảm nghèo bền vững năm 2023."
        ),
    ),
    ("Giai đoạn chuẩn nghèo", "2022 - 2025"),
    ("Chỉ tiêu giảm hộ nghèo được giao", 7),
    ("Loại địa bàn dân cư", "Khu phố"),
    ("Phong trào thi đua", "Thanh Hóa chung tay vì người nghèo - Không để ai bị bỏ lại phía sau"),
    ("Chức vụ người ký", "Chủ tịch"),
    ("Người ký", "Nguyễn Văn Trường"),
]

MEMBERS = [
    ("Nguyễn Thị Huệ", "Chủ tịch MTTQ", "Khu phố 9 + 4"),
    ("Tống Thị Thảo", "Chủ tịch Hội PN", "Khu phố 3"),
    ("Phạm Thị Linh", "Bí thư Đoàn Thanh niên", "Khu phố 8 +12"),
    ("Nguyễn Xuân Lưu", "Chủ tịch Hội CCB", "Khu phố 10"),
    ("Tống Thị Hồng Liên", "Chủ tịch Hội ND", "Khu phố 6"),
    ("Bùi Thị Bình", "Công chức VH - XH (1)", "Khu phố 1"),
    ("Tống Thị Quyên", "Công chức VH - XH (2)", "Khu phố 2 + 5"),
]

RECIPIENTS = ["Phòng LĐ-TBXH (b/c)", "Thường trực ĐU, HĐND (b/c)", "Thành viên BCĐ", "Lưu: VT, VP UBND"]

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
_MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Văn Hữu", "Thị Ngọc"]
_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hương",
    "Khánh",
    "Lan",
    "Minh",
    "Nga",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Uyên",
    "Vinh",
    "Xuân",
    "Yến",
]


def fictional_name(index: int) -> str:
    return f"{_FAMILY[index % len(_FAMILY)]} {_MIDDLE[index % len(_MIDDLE)]} {_GIVEN[(index * 7) % len(_GIVEN)]}"


def register_rows() -> list[tuple[str, str, str, str]]:
    """(Mã hộ, Họ tên chủ hộ, Đơn vị, Phân loại): 29 poor households and some near-poor ones."""
    rows, number = [], 0
    for unit, _, poor, _ in UNITS:
        for category, count in (("Hộ nghèo", poor), ("Hộ cận nghèo", NEAR_POOR.get(unit, 0))):
            for _ in range(count):
                number += 1
                rows.append((f"BS-{number:03d}", fictional_name(number), unit, category))
    return rows


def sheets() -> dict[str, list[list]]:
    """The five sheets, each a header row and data rows, as a workbook builder takes them."""
    return {
        "Thông tin chung": [["Thông tin", "Giá trị"], *map(list, INFO)],
        "Chỉ tiêu": [
            ["TT", "Đơn vị", "Số hộ", "Hộ nghèo đầu năm", "Chỉ tiêu giảm hộ nghèo"],
            *([i, u, h, p, t] for i, (u, h, p, t) in enumerate(UNITS, 1)),
        ],
        "Hộ gia đình": [["Mã hộ", "Họ tên chủ hộ", "Đơn vị", "Phân loại"], *map(list, register_rows())],
        "Phân công": [
            ["TT", "Họ và tên", "Chức vụ", "Phụ trách địa bàn"],
            *([i, *m] for i, m in enumerate(MEMBERS, 1)),
        ],
        "Nơi nhận": [["Nơi nhận"], *([r] for r in RECIPIENTS)],
    }


# A fictional multidimensional-poverty survey of the register above (poverty-standards.md), used by
# the review and deprivation tests. It is not in the example workbook: the example reproduces the
# real 2023 plan, whose text has no deprivation figures.
INDICATORS_2022 = [
    "Việc làm",
    "Người phụ thuộc trong hộ gia đình",
    "Dinh dưỡng",
    "Bảo hiểm y tế",
    "Trình độ giáo dục của người lớn",
    "Tình trạng đi học của trẻ em",
    "Chất lượng nhà ở",
    "Diện tích nhà ở bình quân đầu người",
    "Nguồn nước sinh hoạt",
    "Nhà tiêu hợp vệ sinh",
    "Sử dụng dịch vụ viễn thông",
    "Phương tiện phục vụ tiếp cận thông tin",
]
SURVEY_HEADER = ["Số nhân khẩu", "Thu nhập bình quân", *INDICATORS_2022, "Đăng ký thoát nghèo", "Khu vực", "Ghi chú"]
# Households whose survey contradicts their declared class (phường Bắc Sơn is urban: 2.000.000 đồng),
# or sits on a boundary: Mã hộ → (income, indicator numbers lacked, Khu vực).
SURVEY_EXCEPTIONS = {
    "BS-002": (1_200_000, (4, 7), ""),  # declared poor, lacks only 2 → near-poor
    "BS-004": (2_400_000, (4,), ""),  # declared near-poor, above the threshold → average
    "BS-009": (None, (1, 4, 7), ""),  # no income recorded → cannot be classified
    "BS-016": (2_000_000, (4, 7, 9), ""),  # exactly at the threshold with 3 → poor, agrees
    "BS-019": (1_800_000, (8,), "Nông thôn"),  # rural threshold 1.500.000 → average
    "BS-031": (3_200_000, (1, 4, 7), ""),  # above the urban average ceiling 3.000.000 → outside
    "BS-037": (1_600_000, (2, 4, 7, 8), ""),  # declared near-poor, lacks 4 → poor
}
LEAVING = {"BS-001", "BS-013", "BS-015", "BS-022", "BS-028", "BS-031", "BS-043"}  # none in Khu phố 3, 12


def survey_values(code: str, category: str) -> list:
    """The survey columns of one household: a pattern consistent with its class, or an exception."""
    number = int(code.split("-")[1])
    if code in SURVEY_EXCEPTIONS:
        income, lacked, area = SURVEY_EXCEPTIONS[code]
    elif category == "Hộ nghèo":
        income, area = 1_100_000 + (number % 6) * 150_000, ""
        lacked = tuple(sorted((number + 5 * k) % 12 + 1 for k in range(3 + number % 2)))
    else:
        income, area = 1_300_000 + (number % 5) * 100_000, ""
        lacked = tuple(sorted((number + 5 * k) % 12 + 1 for k in range(number % 3)))
    marks = ["x" if n in lacked else None for n in range(1, 13)]
    return [2 + number % 4, income, *marks, "x" if code in LEAVING else None, area or None, None]


def register_sheet(survey: bool = False) -> list[list]:
    """The sheet `Hộ gia đình`; with `survey`, the optional columns too."""
    if not survey:
        return [["Mã hộ", "Họ tên chủ hộ", "Đơn vị", "Phân loại"], *map(list, register_rows())]
    rows = [[*row, *survey_values(row[0], row[3])] for row in register_rows()]
    return [["Mã hộ", "Họ tên chủ hộ", "Đơn vị", "Phân loại", *SURVEY_HEADER], *rows]
