"""Synthetic commune workbooks that follow the workbook contract (shared/spec/workbook.md).

Pure data, no files: `build(spec)` returns the sheets of one workbook as Python values, drawn
from a seeded generator so that the same spec always gives the same cells. The register is built
column-wise with numpy (a million rows must not cost a million Python-level decisions), and the
sheet `Chỉ tiêu` is derived from it, so the two always agree:
poor count per unit = households marked `Hộ nghèo`; target ≤ poor households registered to leave
poverty ≤ poor ≤ households.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import numpy as np

# --- Vietnamese text ------------------------------------------------------------------------
# Family names with rough national frequencies (per cent); the tail is mostly ethnic-minority.
FAMILY = {
    "Nguyễn": 38,
    "Trần": 11,
    "Lê": 9.5,
    "Phạm": 7,
    "Hoàng": 5,
    "Huỳnh": 4,
    "Phan": 4.5,
    "Vũ": 3.9,
    "Võ": 3,
    "Đặng": 2.1,
    "Bùi": 2,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1,
    "Lý": 0.5,
    "Trịnh": 1,
    "Đinh": 1,
    "Lương": 0.5,
    "Mai": 0.5,
    "Cao": 0.5,
    "Lò": 0.5,
    "Hà": 0.5,
    "Quàng": 0.3,
    "Vi": 0.3,
}
MIDDLE_MALE = ["Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Công", "Đình", "Ngọc", "Thanh", "Văn Hữu"]
MIDDLE_FEMALE = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Hồng", "Thị Kim", "Thị Thanh", "Thị Minh", "Ngọc", "Thu"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khánh",
    "Long",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quang",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Vinh",
    "Việt",
    "Trường",
    "Lưu",
]
GIVEN_FEMALE = [
    "Anh",
    "Bích",
    "Chi",
    "Dung",
    "Duyên",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Hương",
    "Huệ",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thơ",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Bình",
    "Thủy",
]
# Place-name syllables; every syllable slugs differently within its list, so names never clash
# in the plan's file name (``ke-hoach-giam-ngheo-<year>-<level>-<name>.docx``).
PLACE_FIRST = [
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Quảng",
    "Hoằng",
    "Thiệu",
    "Yên",
    "Hợp",
    "Tân",
    "Phú",
    "Vĩnh",
    "Xuân",
    "Thọ",
    "Minh",
    "Hòa",
    "An",
    "Bình",
    "Thanh",
    "Định",
    "Hải",
    "Kim",
    "Long",
    "Phước",
]
PLACE_SECOND = [
    "Sơn",
    "Hưng",
    "Lộc",
    "Thành",
    "Phong",
    "Thịnh",
    "Hải",
    "Lâm",
    "Tiến",
    "Hòa",
    "Phú",
    "Khê",
    "Châu",
    "Điền",
    "Lợi",
    "Thủy",
    "Trung",
    "Vân",
    "Giang",
    "Mỹ",
    "Ninh",
    "Lạc",
]
PROVINCES = [
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Bình",
    "Thái Bình",
    "Nam Định",
    "Ninh Bình",
    "Hòa Bình",
    "Sơn La",
    "Lào Cai",
    "Yên Bái",
    "Bắc Giang",
    "Phú Thọ",
    "Quảng Ngãi",
    "Gia Lai",
    "Đắk Lắk",
    "Sóc Trăng",
    "Trà Vinh",
    "An Giang",
    "Cà Mau",
]
# What the residential units are called, by the province's region.
UNIT_WORD_XA = {
    "Sơn La": "Bản",
    "Lào Cai": "Bản",
    "Hòa Bình": "Bản",
    "Sóc Trăng": "Ấp",
    "Trà Vinh": "Ấp",
    "An Giang": "Ấp",
    "Cà Mau": "Ấp",
}
POSITIONS = [
    "Chủ tịch MTTQ",
    "Chủ tịch Hội PN",
    "Bí thư Đoàn Thanh niên",
    "Chủ tịch Hội CCB",
    "Chủ tịch Hội ND",
    "Công chức VH - XH (1)",
    "Công chức VH - XH (2)",
    "Phó Chủ tịch UBND",
    "Trưởng Công an",
    "Công chức Tài chính - Kế toán",
    "Công chức Địa chính - Xây dựng",
    "Chỉ huy trưởng Quân sự",
]
NOTES = [
    "Hộ có người khuyết tật",
    "Người cao tuổi sống một mình",
    "Hộ phát sinh mới trong năm",
    "Chủ hộ ốm đau dài ngày",
    "Hộ thuộc diện bảo trợ xã hội",
    "Hộ đồng bào dân tộc thiểu số",
    "Đã được hỗ trợ làm nhà",
    "Có nguyện vọng vay vốn chăn nuôi",
    "Con đang học đại học",
]
# Nghị định 07/2021/NĐ-CP: the twelve indicators, named as the register's column headers.
INDICATORS = [
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
REGISTER_HEADER = [
    "Mã hộ",
    "Họ tên chủ hộ",
    "Đơn vị",
    "Phân loại",
    "Số nhân khẩu",
    "Thu nhập bình quân",
    *INDICATORS,
    "Đăng ký thoát nghèo",
    "Ghi chú",
]
# Income threshold, VND per person per month (Nghị định 07/2021): rural, urban.
THRESHOLD = {"Xã": 1_500_000, "Phường": 2_000_000, "Thị trấn": 2_000_000}


@dataclass(frozen=True)
class CommuneSpec:
    """What to draw: one commune's identity, its size, and the seed of everything else.

    `register_rows` is the number of households in the sheet `Hộ gia đình` (a fixed total split
    among the units); 0 means a small register drawn unit by unit; None means no register at all
    (the poor counts are typed in `Chỉ tiêu`).
    """

    seed: int
    level: str
    name: str
    province: str
    year: int
    units: int
    register_rows: int | None
    unit_word: str = ""

    @property
    def word(self) -> str:
        """The units' generic name: Khu phố/Tổ dân phố in towns, Thôn/Bản/Ấp in a Xã."""
        return self.unit_word or ("Khu phố" if self.level != "Xã" else UNIT_WORD_XA.get(self.province, "Thôn"))


@dataclass
class SyntheticWorkbook:
    """Sheet name → rows (header first); the register is columns (header → values) instead."""

    sheets: dict[str, list[list] | dict[str, list]] = field(default_factory=dict)


def register_spec(rows: int, units: int, seed: int) -> CommuneSpec:
    """The large-register benchmark workbook: a Phường with `units` khu phố and `rows` households."""
    return CommuneSpec(
        seed=seed, level="Phường", name="Đông Hương", province="Thanh Hóa", year=2025, units=units, register_rows=rows
    )


def commune_specs(count: int, seed: int) -> list[CommuneSpec]:
    """`count` ordinary communes with distinct names; commune i is the same whatever `count` is."""
    names = [f"{a} {b}" for a, b in itertools.product(PLACE_FIRST, PLACE_SECOND) if a != b]
    np.random.default_rng([seed, 0]).shuffle(names)
    return [_commune_spec(seed, index, names) for index in range(count)]


def _commune_spec(seed: int, index: int, names: list[str]) -> CommuneSpec:
    rng = np.random.default_rng([seed, 1, index])
    level = str(rng.choice(["Xã", "Phường", "Thị trấn"], p=[0.7, 0.2, 0.1]))
    province = str(rng.choice(PROVINCES))
    word = "Tổ dân phố" if level != "Xã" and rng.random() < 0.3 else ""
    name = names[index % len(names)] + (f" {index // len(names) + 1}" if index >= len(names) else "")
    register = 0 if rng.random() < 0.5 else None
    return CommuneSpec(
        int(rng.integers(2**32)),
        level,
        name,
        province,
        int(rng.integers(2023, 2027)),
        int(rng.integers(5, 26)),
        register,
        word,
    )


def build(spec: CommuneSpec) -> SyntheticWorkbook:
    """Draw the five sheets of `spec`'s workbook (four when it has no register)."""
    rng = np.random.default_rng(spec.seed)
    units = unit_names(rng, spec.word, spec.units)
    register = None
    if spec.register_rows is None:
        households, poor = _typed_counts(rng, spec.units)
        targets = rng.binomial(poor, 0.25)
    else:
        listed = draw_households(rng, spec.units, spec.register_rows)
        register = register_columns(rng, units, listed, spec)
        poor = np.bincount(listed.unit_of[listed.is_poor], minlength=spec.units)
        on_list = np.bincount(listed.unit_of, minlength=spec.units)
        households = on_list * rng.integers(3, 12, spec.units) + rng.integers(30, 300, spec.units)
        # A unit's target is set from the poor households that registered to leave poverty.
        targets = rng.binomial(np.bincount(listed.unit_of[listed.registered], minlength=spec.units), 0.85)
    # A small register's commune leaves `Hộ nghèo đầu năm` blank half the time: the register counts.
    typed = register is None or spec.register_rows > 0 or rng.random() < 0.5
    book = SyntheticWorkbook()
    book.sheets["Thông tin chung"] = info_rows(rng, spec, int(targets.sum()))
    book.sheets["Chỉ tiêu"] = unit_rows(rng, units, households, poor, targets, typed)
    if register is not None:
        book.sheets["Hộ gia đình"] = register
    book.sheets["Phân công"] = assignment_rows(rng, units, spec.word)
    book.sheets["Nơi nhận"] = [["Nơi nhận"], *([r] for r in recipients(spec))]
    return book


# --- names ----------------------------------------------------------------------------------
def person_names(rng: np.random.Generator, count: int) -> list[str]:
    """`count` plausible Vietnamese full names (family, middle, given), drawn column-wise."""
    weights = np.array(list(FAMILY.values()), dtype=float)
    family = np.array(list(FAMILY), dtype=object)[rng.choice(len(FAMILY), count, p=weights / weights.sum())]
    female = rng.random(count) < 0.45
    middle = np.where(female, _pick(rng, MIDDLE_FEMALE, count), _pick(rng, MIDDLE_MALE, count))
    given = np.where(female, _pick(rng, GIVEN_FEMALE, count), _pick(rng, GIVEN_MALE, count))
    return [f"{f} {m} {g}" for f, m, g in zip(family.tolist(), middle.tolist(), given.tolist())]


def _pick(rng: np.random.Generator, words: list[str], count: int) -> np.ndarray:
    return np.array(words, dtype=object)[rng.integers(0, len(words), count)]


def unit_names(rng: np.random.Generator, word: str, count: int) -> list[str]:
    """``Khu phố 1``, ``Khu phố 2``, ``Khu phố 4`` …: numbered units, with the gaps that mergers leave."""
    numbers = np.sort(rng.choice(np.arange(1, count + count // 8 + 2), count, replace=False))
    return [f"{word} {n}" for n in numbers.tolist()]


# --- the register ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Households:
    """The listed households as parallel arrays, one entry per register row."""

    unit_of: np.ndarray  # index of the household's unit; rows grouped by unit, as officials list them
    is_poor: np.ndarray  # Hộ nghèo (else Hộ cận nghèo)
    registered: np.ndarray  # poor and registered to leave poverty this year
    off_standard: np.ndarray  # deprivations on the wrong side of 3 for its category
    no_income: np.ndarray  # income per head not recorded


def draw_households(rng: np.random.Generator, units: int, rows: int) -> Households:
    """`rows` households spread unevenly over `units` (rows 0: a handful per unit, a small commune).

    About 1 % are off the standard (a category that the indicators do not support, or no income
    recorded), as in real registers; every register has at least one, so the plan's review list
    of such households is never empty.
    """
    if rows > 0:
        sizes = rng.multinomial(rows, rng.dirichlet(np.full(units, 3.0)))
    else:
        sizes = rng.integers(0, 25, units)
    unit_of = np.repeat(np.arange(units), sizes)
    count = len(unit_of)
    is_poor = rng.random(count) < 0.4
    no_income = rng.random(count) < 0.005
    if count:
        no_income[rng.integers(count)] = True
    return Households(unit_of, is_poor, is_poor & (rng.random(count) < 0.35), rng.random(count) < 0.005, no_income)


def register_columns(
    rng: np.random.Generator, units: list[str], listed: Households, spec: CommuneSpec
) -> dict[str, list]:
    """The sheet `Hộ gia đình` as columns: the contract's four, then the optional sixteen.

    Poor households lack 3-7 indicators and near-poor ones 0-2, and incomes are at or below the
    threshold, as the 2022-2025 standard (Nghị định 07/2021) defines the two categories; the few
    households `off_standard` or with `no_income` break this on purpose.
    """
    count = len(listed.unit_of)
    lacks = _deprivations(rng, listed.is_poor, listed.off_standard)
    threshold = THRESHOLD[spec.level]
    income = rng.integers(threshold // 25_000, threshold // 10_000 + 1, count) * 10_000
    width = max(5, len(str(count)))
    columns = {
        "Mã hộ": [f"{_initials(spec.name)}-{n:0{width}d}" for n in range(1, count + 1)],
        "Họ tên chủ hộ": person_names(rng, count),
        "Đơn vị": np.array(units, dtype=object)[listed.unit_of].tolist(),
        "Phân loại": np.where(listed.is_poor, "Hộ nghèo", "Hộ cận nghèo").tolist(),
        "Số nhân khẩu": (1 + rng.binomial(7, 0.4, count)).tolist(),
        "Thu nhập bình quân": np.where(listed.no_income, None, income).tolist(),
    }
    columns.update({name: _marks(lacks[:, i]) for i, name in enumerate(INDICATORS)})
    columns["Đăng ký thoát nghèo"] = _marks(listed.registered)
    notes = np.array(NOTES, dtype=object)[rng.integers(0, len(NOTES), count)]
    columns["Ghi chú"] = np.where(rng.random(count) < 0.05, notes, None).tolist()
    assert list(columns) == REGISTER_HEADER
    return columns


def _deprivations(rng: np.random.Generator, is_poor: np.ndarray, off_standard: np.ndarray) -> np.ndarray:
    """A (households × 12) boolean matrix: which indicators each household lacks."""
    lacking = np.where(is_poor, rng.integers(3, 8, len(is_poor)), rng.integers(0, 3, len(is_poor)))
    lacking = np.where(off_standard, np.where(is_poor, 2, 3), lacking)
    rank = rng.random((len(is_poor), len(INDICATORS))).argsort(axis=1).argsort(axis=1)
    return rank < lacking[:, None]


def _marks(mask: np.ndarray) -> list:
    return np.where(mask, "x", None).tolist()


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()).upper().replace("Đ", "D")


# --- the small sheets -----------------------------------------------------------------------
def _typed_counts(rng: np.random.Generator, units: int) -> tuple[np.ndarray, np.ndarray]:
    households = rng.integers(60, 1400, units)
    return households, rng.binomial(households, rng.uniform(0.003, 0.05, units))


def unit_rows(rng: np.random.Generator, units: list[str], households, poor, targets, typed: bool) -> list[list]:
    """The sheet `Chỉ tiêu`; large counts are sometimes typed as text with the thousands dot."""
    rows = [["TT", "Đơn vị", "Số hộ", "Hộ nghèo đầu năm", "Chỉ tiêu giảm hộ nghèo"]]
    for number, (unit, total, p, t) in enumerate(zip(units, households.tolist(), poor.tolist(), targets.tolist()), 1):
        total_cell = f"{total:,}".replace(",", ".") if total >= 1000 and rng.random() < 0.2 else total
        rows.append([number, unit, total_cell, p if typed else None, t])
    return rows


def info_rows(rng: np.random.Generator, spec: CommuneSpec, total_target: int) -> list[list]:
    """The sheet `Thông tin chung`: identity, basis, targets and signer."""
    parent = _parent_agency(rng, spec)
    issued = dt.date(spec.year, int(rng.integers(1, 5)), int(rng.integers(1, 29)))
    rows = [
        ["Thông tin", "Giá trị"],
        ["Tỉnh", spec.province],
        ["Cơ quan cấp trên", parent],
        ["Loại đơn vị hành chính", spec.level],
        ["Tên đơn vị hành chính", spec.name],
        ["Năm kế hoạch", spec.year],
        ["Số văn bản", int(rng.integers(1, 200)) if rng.random() < 0.7 else None],
        ["Ngày ban hành", _date_cell(rng, issued)],
        [
            "Căn cứ",
            (
                f"Thực hiện Kế hoạch số {int(rng.integers(100, 900))}/KH-UBND ngày "
                f"{issued.day:02d}/{max(issued.month - 1, 1):02d}/{spec.year} của {parent} về việc thực hiện công "
                f"tác giảm nghèo bền vững năm {spec.year}."
            ),
        ],
        [
            "Căn cứ",
            (
                f"Căn cứ tình hình thực tế và kết quả rà soát hộ nghèo, hộ cận nghèo cuối năm {spec.year - 1} của "
                f"{spec.level.lower()} {spec.name}."
            ),
        ],
        ["Loại địa bàn dân cư", spec.word],
        ["Chức vụ người ký", str(rng.choice(["Chủ tịch", "Phó Chủ tịch", "Quyền Chủ tịch"], p=[0.7, 0.25, 0.05]))],
        ["Người ký", person_names(rng, 1)[0]],
    ]
    if rng.random() < 0.8:
        rows.insert(10, ["Chỉ tiêu giảm hộ nghèo được giao", max(total_target - int(rng.integers(0, 2)), 0)])
    if rng.random() < 0.5:
        rows.insert(
            10, ["Phong trào thi đua", f"{spec.province} chung tay vì người nghèo - Không để ai bị bỏ lại phía sau"]
        )
    return rows


def _parent_agency(rng: np.random.Generator, spec: CommuneSpec) -> str:
    """Before July 2025 a commune sat under a district; since then directly under the province."""
    if spec.year >= 2026:
        return f"UBND tỉnh {spec.province}"
    kind = "thị xã" if spec.level != "Xã" and rng.random() < 0.5 else "huyện"
    return f"UBND {kind} {rng.choice(PLACE_FIRST)} {rng.choice(PLACE_SECOND)}"


def _date_cell(rng: np.random.Generator, day: dt.date) -> dt.date | str | None:
    """An Excel date, the same as text ``dd/mm/yyyy``, or blank (left for the clerk)."""
    draw = rng.random()
    return day if draw < 0.5 else f"{day.day:02d}/{day.month:02d}/{day.year}" if draw < 0.8 else None


def assignment_rows(rng: np.random.Generator, units: list[str], word: str) -> list[list]:
    """The sheet `Phân công`: each unit answered for by one member, written as officials write."""
    count = min(len(units), int(rng.integers(6, 12)))
    rows = [["TT", "Họ và tên", "Chức vụ", "Phụ trách địa bàn"]]
    names = person_names(rng, count)
    for number, (name, position, group) in enumerate(
        zip(names, POSITIONS, np.array_split(np.arange(len(units)), count)), 1
    ):
        rows.append([number, name, position, _written_units([units[i] for i in group], word, rng.random())])
    return rows


def _written_units(units: list[str], word: str, style: float) -> str:
    """``Khu phố 9 + 4``, ``Thôn 1, 2 và 5`` or the full names separated by commas."""
    numbers = [unit[len(word) + 1 :] for unit in units]
    if style < 0.4 or len(units) == 1:
        return ", ".join(units)
    if style < 0.7:
        return f"{word} " + " + ".join(numbers)
    return f"{word} " + ", ".join(numbers[:-1]) + " và " + numbers[-1]


def recipients(spec: CommuneSpec) -> list[str]:
    """The sheet `Nơi nhận`, the level above first, the archive last."""
    above = f"UBND tỉnh {spec.province} (b/c)" if spec.year >= 2026 else "Phòng LĐ-TBXH (b/c)"
    return [
        above,
        "Thường trực Đảng ủy, HĐND (b/c)",
        "Các thành viên BCĐ",
        f"Trưởng các {spec.word.lower()} (t/h)",
        "Lưu: VT, VP UBND",
    ]
