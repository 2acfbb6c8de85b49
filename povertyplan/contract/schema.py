"""The workbook contract (workbook.md, version 1) as data: sheet, column and label names, once.

Every Vietnamese name the generator looks for lives here. Code refers to sheets, columns and
labels by their English `key`; the canonical Vietnamese `name` is what the blank workbook writes
and what messages show; `aliases` are other spellings officials use.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from povertyplan.contract.standards import RURAL, URBAN, all_standards


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


@dataclass(frozen=True)
class InfoItem:
    """One label of the sheet `Thông tin chung`."""

    key: str
    label: str
    required: bool = False
    repeats: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


INFO = SheetSpec(
    "info",
    "Thông tin chung",
    (Column("label", "Thông tin", aliases=("Nội dung", "Mục")), Column("value", "Giá trị")),
    aliases=("Thông tin", "Thông tin chung của đơn vị"),
)

INFO_ITEMS: tuple[InfoItem, ...] = (
    InfoItem("province", "Tỉnh", aliases=("Tỉnh/Thành phố", "Tỉnh, thành phố")),
    InfoItem("parent_agency", "Cơ quan cấp trên"),
    InfoItem("level", "Loại đơn vị hành chính", required=True, aliases=("Loại đơn vị", "Cấp hành chính")),
    InfoItem("name", "Tên đơn vị hành chính", required=True, aliases=("Tên đơn vị", "Tên xã/phường", "Tên xã, phường")),
    InfoItem("year", "Năm kế hoạch", required=True, aliases=("Năm",)),
    InfoItem("number", "Số văn bản", aliases=("Số kế hoạch",)),
    InfoItem("date", "Ngày ban hành", aliases=("Ngày ký", "Ngày văn bản")),
    InfoItem("place", "Địa danh"),
    InfoItem("bases", "Căn cứ", repeats=True),
    InfoItem("standard_period", "Giai đoạn chuẩn nghèo", aliases=("Chuẩn nghèo giai đoạn",)),
    InfoItem("assigned_target", "Chỉ tiêu giảm hộ nghèo được giao", aliases=("Chỉ tiêu được giao",)),
    InfoItem("assigned_near_poor_target", "Chỉ tiêu giảm hộ cận nghèo được giao"),
    InfoItem("unit_word", "Loại địa bàn dân cư", aliases=("Loại địa bàn",)),
    InfoItem("campaign", "Phong trào thi đua"),
    InfoItem("signer_title", "Chức vụ người ký", required=True),
    InfoItem("authority_override", "Thẩm quyền ký", repeats=True),
    InfoItem("signer", "Người ký", required=True, aliases=("Họ tên người ký",)),
)

# The register's indicator columns are keyed ``lacks_<indicator key>``: `x` where the household lacks it.
INDICATOR_PREFIX = "lacks_"


def _indicator_columns() -> tuple[Column, ...]:
    """One optional register column per indicator of any standard, named as its decree names it."""
    names: dict[str, list[str]] = {}
    for standard in all_standards():
        for indicator in standard.indicators:
            known = names.setdefault(indicator.key, [])
            known.extend(name for name in indicator.names if name not in known)
    return tuple(
        Column(INDICATOR_PREFIX + key, spelled[0], required=False, aliases=tuple(spelled[1:]))
        for key, spelled in names.items()
    )


UNITS = SheetSpec(
    "units",
    "Chỉ tiêu",
    (
        Column("tt", "TT", required=False, aliases=("STT",)),
        Column("unit", "Đơn vị", aliases=("Tên đơn vị", "Khu phố", "Thôn", "Địa bàn")),
        Column("households", "Số hộ", aliases=("Tổng số hộ",)),
        Column("poor_start", "Hộ nghèo đầu năm", required=False, aliases=("Số hộ nghèo đầu năm", "Hộ nghèo")),
        Column("target", "Chỉ tiêu giảm hộ nghèo", aliases=("Chỉ tiêu giảm", "Chỉ tiêu giảm nghèo")),
        Column("near_poor_start", "Hộ cận nghèo đầu năm", required=False, aliases=("Số hộ cận nghèo đầu năm",)),
        Column("near_poor_target", "Chỉ tiêu giảm hộ cận nghèo", required=False),
    ),
    aliases=("Chỉ tiêu giảm nghèo", "Đơn vị"),
)

REGISTER = SheetSpec(
    "register",
    "Hộ gia đình",
    (
        Column("code", "Mã hộ", aliases=("Mã số hộ",)),
        Column("head", "Họ tên chủ hộ", aliases=("Chủ hộ", "Họ và tên chủ hộ")),
        Column("unit", "Đơn vị", aliases=("Khu phố", "Thôn", "Địa bàn")),
        Column("category", "Phân loại", aliases=("Loại hộ",)),
        Column("household_size", "Số nhân khẩu", required=False, aliases=("Nhân khẩu", "Số người trong hộ")),
        Column(
            "income",
            "Thu nhập bình quân",
            required=False,
            aliases=("Thu nhập bình quân đầu người", "Thu nhập BQ", "Thu nhập"),
        ),
        *_indicator_columns(),
        Column("leaving", "Đăng ký thoát nghèo", required=False, aliases=("Đăng ký thoát nghèo năm nay",)),
        Column("area", "Khu vực", required=False, aliases=("Thành thị/Nông thôn",)),
        Column("note", "Ghi chú", required=False),
    ),
    required=False,
    aliases=("Danh sách hộ", "Hộ nghèo, cận nghèo", "Danh sách hộ nghèo"),
)

ASSIGNMENTS = SheetSpec(
    "assignments",
    "Phân công",
    (
        Column("tt", "TT", required=False, aliases=("STT",)),
        Column("member", "Họ và tên", aliases=("Họ tên",)),
        Column("position", "Chức vụ"),
        Column("units", "Phụ trách địa bàn", aliases=("Địa bàn phụ trách", "Phụ trách")),
    ),
    aliases=("Phân công nhiệm vụ", "Ban chỉ đạo"),
)

RECIPIENTS = SheetSpec(
    "recipients",
    "Nơi nhận",
    (Column("recipient", "Nơi nhận"),),
)

SHEETS: tuple[SheetSpec, ...] = (INFO, UNITS, REGISTER, ASSIGNMENTS, RECIPIENTS)

# Values of `Loại đơn vị hành chính`: key → (title case, lowercase in prose, default unit word).
LEVELS: dict[str, tuple[str, str, str]] = {
    "xã": ("Xã", "xã", "Thôn"),
    "phường": ("Phường", "phường", "Khu phố"),
    "thị trấn": ("Thị trấn", "thị trấn", "Khu phố"),
    "đặc khu": ("Đặc khu", "đặc khu", "Thôn"),
}

# Nghị định 30/2020, Phụ lục I, ô 7: the signing-authority lines by the signer's title.
AUTHORITY_LINES: dict[str, tuple[str, ...]] = {
    "chủ tịch": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "phó chủ tịch": ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    "quyền chủ tịch": ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"),
}
SIGNER_TITLES: dict[str, str] = {
    "chủ tịch": "Chủ tịch",
    "phó chủ tịch": "Phó Chủ tịch",
    "quyền chủ tịch": "Quyền Chủ tịch",
    "q. chủ tịch": "Quyền Chủ tịch",
    "pct": "Phó Chủ tịch",
    "ct": "Chủ tịch",
}

POOR = "poor"
NEAR_POOR = "near_poor"
CATEGORY_NAMES = {POOR: "Hộ nghèo", NEAR_POOR: "Hộ cận nghèo"}
CATEGORIES: dict[str, str] = {
    "hộ nghèo": POOR,
    "nghèo": POOR,
    "hn": POOR,
    "hộ cận nghèo": NEAR_POOR,
    "cận nghèo": NEAR_POOR,
    "hcn": NEAR_POOR,
}

# Classes a household may get under a standard (classify.py), beyond the two of the register.
AVERAGE = "average"
ABOVE = "above"
UNKNOWN = "unknown"
CLASS_NAMES = {
    **CATEGORY_NAMES,
    AVERAGE: "Hộ có mức sống trung bình",
    ABOVE: "Không thuộc diện nghèo, cận nghèo",
    UNKNOWN: "Chưa xác định",
}

# Urban or rural (poverty-standards.md): by the commune's level, overridden per household by `Khu vực`.
AREA_NAMES = {URBAN: "Thành thị", RURAL: "Nông thôn"}
AREAS: dict[str, str] = {"thành thị": URBAN, "đô thị": URBAN, "nông thôn": RURAL}
LEVEL_AREAS = {"xã": RURAL, "phường": URBAN, "thị trấn": URBAN, "đặc khu": RURAL}
# The one mark a yes/no column of the register takes (indicators, `Đăng ký thoát nghèo`).
MARK = "x"

# The sheet `Hướng dẫn` of the blank workbook and its input messages (each text ≤ 255 characters,
# Excel's limit for an input message). Indicator columns are explained from the standard's data.
SHEET_GUIDE: dict[str, str] = {
    "info": (
        'Thông tin chung của kế hoạch: mỗi dòng một mục, nhập giá trị ở cột "Giá trị". Giữ nguyên tên mục ở cột '
        '"Thông tin"; mục "Căn cứ" có thể thêm nhiều dòng.'
    ),
    "units": (
        "Mỗi khu phố, thôn (địa bàn dân cư) một dòng, theo thứ tự in trong kế hoạch. Không nhập tỷ lệ và dòng "
        "Cộng: chương trình tự tính."
    ),
    "register": (
        "Danh sách hộ nghèo, hộ cận nghèo: mỗi hộ một dòng. Có dữ liệu cá nhân, chỉ dùng nội bộ, không in vào kế "
        "hoạch. Không bắt buộc; khi có, số hộ nghèo, cận nghèo đầu năm được đếm từ sheet này."
    ),
    "assignments": (
        "Phân công thành viên Ban chỉ đạo phụ trách địa bàn: mỗi thành viên một dòng; mỗi khu phố, thôn phải có "
        "người phụ trách."
    ),
    "recipients": (
        'Nơi nhận văn bản: mỗi nơi một dòng, dòng cuối là "Lưu: VT". Không gõ dấu gạch đầu dòng và dấu chấm phẩy: '
        "chương trình tự thêm."
    ),
}
INFO_GUIDE: dict[str, str] = {
    "province": "Tên tỉnh, thành phố. Ví dụ: Thanh Hóa.",
    "parent_agency": "Cơ quan cấp trên trực tiếp (nếu có). Ví dụ: UBND thị xã Bỉm Sơn.",
    "level": "Chọn trong danh sách: Xã, Phường, Thị trấn hoặc Đặc khu.",
    "name": "Tên xã, phường, không ghi chữ Xã/Phường. Ví dụ: Bắc Sơn.",
    "year": "Năm của kế hoạch, 4 chữ số. Ví dụ: 2026.",
    "number": "Số văn bản, chỉ phần số (ví dụ 15). Để trống để văn thư điền sau.",
    "date": "Ngày ban hành, dạng ngày/tháng/năm (ví dụ 05/3/2026). Để trống để văn thư điền sau.",
    "place": "Địa danh ghi trước ngày tháng. Để trống: dùng tên đơn vị hành chính.",
    "bases": "Mỗi văn bản làm căn cứ một dòng, theo thứ tự. Thêm dòng Căn cứ nếu cần.",
    "standard_period": (
        "Để trống: chương trình chọn chuẩn nghèo theo năm kế hoạch ({periods}). Chỉ nhập khi cần chọn giai đoạn khác."
    ),
    "assigned_target": (
        "Số hộ nghèo cấp trên giao giảm trong năm. Để trống: lấy tổng chỉ tiêu của các khu phố, thôn. Để trống chỉ "
        "tiêu của mọi khu phố, thôn: chương trình đề xuất cách chia số này."
    ),
    "assigned_near_poor_target": (
        "Số hộ cận nghèo cấp trên giao giảm trong năm (không bắt buộc). Để trống chỉ tiêu giảm hộ cận nghèo của "
        "mọi khu phố, thôn: chương trình đề xuất cách chia số này."
    ),
    "unit_word": (
        "Tên gọi địa bàn dân cư: Khu phố, Thôn, Tổ dân phố, Bản, Ấp... Để trống: Khu phố (phường, thị trấn) hoặc "
        "Thôn (xã)."
    ),
    "campaign": "Tên phong trào thi đua giảm nghèo của địa phương (nếu có).",
    "signer_title": "Chọn trong danh sách: Chủ tịch, Phó Chủ tịch hoặc Quyền Chủ tịch.",
    "authority_override": (
        "Chỉ dùng cho trường hợp đặc biệt: mỗi dòng thẩm quyền ký một dòng, thay cho dòng chương trình tự ghi."
    ),
    "signer": "Họ và tên người ký. Ví dụ: Nguyễn Văn Trường.",
}
COLUMN_GUIDE: dict[tuple[str, str], str] = {
    ("info", "label"): "Tên mục thông tin. Giữ nguyên như mẫu.",
    ("info", "value"): "Giá trị của mục. Xem giải thích từng mục ở sheet Hướng dẫn.",
    ("units", "tt"): "Số thứ tự (không bắt buộc). Kế hoạch tự đánh số.",
    ("units", "unit"): "Tên khu phố, thôn, ví dụ Khu phố 1. Mỗi đơn vị một dòng, không trùng tên.",
    ("units", "households"): "Tổng số hộ đang sinh sống trong đơn vị: số nguyên lớn hơn 0.",
    ("units", "poor_start"): 'Số hộ nghèo đầu năm. Để trống khi đã nhập sheet "Hộ gia đình": chương trình tự đếm.',
    (
        "units",
        "target",
    ): (
        "Số hộ nghèo đơn vị phải giảm trong năm: số nguyên từ 0 trở lên. Để trống cả cột khi có chỉ tiêu được "
        "giao: chương trình đề xuất cách chia."
    ),
    ("units", "near_poor_start"): 'Số hộ cận nghèo đầu năm (không bắt buộc). Để trống khi đã nhập sheet "Hộ gia đình".',
    (
        "units",
        "near_poor_target",
    ): "Số hộ cận nghèo phải giảm trong năm (không bắt buộc). Khi có, bảng chỉ tiêu thêm các cột hộ cận nghèo.",
    ("register", "code"): "Mã hộ, không trùng. Thông báo lỗi chỉ ghi mã hộ, không ghi tên.",
    ("register", "head"): "Họ và tên chủ hộ. Không in vào kế hoạch.",
    ("register", "unit"): 'Chọn khu phố, thôn của hộ trong danh sách (lấy từ sheet "Chỉ tiêu").',
    ("register", "category"): "Chọn: Hộ nghèo hoặc Hộ cận nghèo, theo danh sách đã được công nhận.",
    ("register", "household_size"): "Số nhân khẩu của hộ: số nguyên từ 1 trở lên (không bắt buộc).",
    (
        "register",
        "income",
    ): (
        "Thu nhập bình quân đầu người, đồng/người/tháng, ví dụ 1500000 (không bắt buộc). Dùng để phân loại hộ theo "
        "chuẩn nghèo."
    ),
    ("register", "leaving"): "Đánh dấu x nếu hộ đăng ký thoát nghèo trong năm.",
    (
        "register",
        "area",
    ): "Chọn Thành thị hoặc Nông thôn nếu khác mặc định (phường, thị trấn: thành thị; xã, đặc khu: nông thôn).",
    ("register", "note"): "Ghi chú tự do. Không in vào kế hoạch.",
    ("assignments", "tt"): "Số thứ tự (không bắt buộc).",
    ("assignments", "member"): "Họ và tên thành viên Ban chỉ đạo.",
    ("assignments", "position"): "Chức vụ, ví dụ Chủ tịch MTTQ.",
    (
        "assignments",
        "units",
    ): (
        "Các khu phố, thôn phụ trách, ví dụ Khu phố 9 + 4 hoặc Khu phố 8, Khu phố 12. Chọn trong danh sách hoặc gõ "
        "nhiều đơn vị."
    ),
    ("recipients", "recipient"): "Một nơi nhận, ví dụ Phòng LĐ-TBXH (b/c) hoặc Lưu: VT.",
}
INDICATOR_GUIDE = 'Đánh dấu x nếu hộ thiếu hụt chỉ số "{name}" (chiều {dimension}); để trống nếu không thiếu hụt.'


def name_key(text: object) -> str:
    """Return the matching key of a sheet name, header or label.

    Case, Unicode normalisation (NFC/NFD), surrounding and repeated spaces, a trailing colon and
    the PDF artefact `ƣ` do not matter: ``" SỐ  HỘ:"`` and ``"Số hộ"`` share a key.
    """
    text = unicodedata.normalize("NFC", str(text)).replace("ƣ", "ư").replace("Ƣ", "Ư")
    text = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    return text.casefold()


def plain_key(text: object) -> str:
    """Return `name_key` without diacritics, for a second, looser match (``So ho`` ~ ``Số hộ``)."""
    decomposed = unicodedata.normalize("NFD", name_key(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
