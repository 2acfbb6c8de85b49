"""The workbook contract (workbook.md, version 1) as data: sheet, column and label names, once.

Every Vietnamese name the generator looks for lives here. Code refers to sheets, columns and
labels by their English `key`; the canonical Vietnamese `name` is what the blank workbook writes
and what messages show; `aliases` are other spellings officials use.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


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
    InfoItem("unit_word", "Loại địa bàn dân cư", aliases=("Loại địa bàn",)),
    InfoItem("campaign", "Phong trào thi đua"),
    InfoItem("signer_title", "Chức vụ người ký", required=True),
    InfoItem("authority_override", "Thẩm quyền ký", repeats=True),
    InfoItem("signer", "Người ký", required=True, aliases=("Họ tên người ký",)),
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
