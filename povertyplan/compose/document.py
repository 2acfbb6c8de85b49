"""The plan as the layout writer sees it: text already composed, nothing left to compute.

These frozen dataclasses are the contract between the functional core (which computes figures and
renders the prose) and the python-docx shell (which only lays out). Every string here is final,
NFC-normalised Vietnamese text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A stretch of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph.

    `kind` is one of:
    - ``"heading1"``: a section heading such as ``I. MỤC ĐÍCH, YÊU CẦU`` (bold, caps as typed);
    - ``"heading2"``: a sub-heading such as ``1. Mục đích`` (bold);
    - ``"body"``: ordinary justified text; its runs carry any inline bold/italic.
    """

    runs: tuple[Run, ...]
    kind: str = "body"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Table:
    """A data table in the body (the target table, the assignment table).

    `rows` are the data rows; `total` is an optional last row printed in bold (the ``Cộng`` row).
    `widths_mm` gives each column's width and must add up to the text width.
    `align` gives each column's horizontal alignment: ``"left"``, ``"center"`` or ``"right"``.
    """

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...]
    align: tuple[str, ...]
    total: tuple[str, ...] | None = None


Block = Paragraph | Table


@dataclass(frozen=True)
class PlanDocument:
    """Everything the writer needs to lay out one plan, in reading order.

    - `agency_lines`: ô 2, e.g. ``("ỦY BAN NHÂN DÂN", "PHƯỜNG BẮC SƠN")``;
    - `number_line`: ô 3, e.g. ``"Số: 05/KH-UBND"`` (blank places already spaced for the clerk);
    - `place_date`: ô 4, e.g. ``"Bắc Sơn, ngày 05 tháng 3 năm 2023"``;
    - `title` / `summary`: ô 5a, ``"KẾ HOẠCH"`` and the trích yếu;
    - `body`: paragraphs and tables in order; the last paragraph already ends with ``./.``;
    - `recipients`: ô 9b lines already punctuated (``"- Thành viên BCĐ;"`` … ``"- Lưu: VT."``);
    - `authority_lines`: ô 7, e.g. ``("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")``;
    - `signer`: the signer's name, printed bold in normal case.
    """

    agency_lines: tuple[str, ...]
    number_line: str
    place_date: str
    title: str
    summary: str
    body: tuple[Block, ...]
    recipients: tuple[str, ...]
    authority_lines: tuple[str, ...]
    signer: str
    language: str = field(default="vi-VN")
