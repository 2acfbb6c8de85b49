"""The plan's two tables (targets, assignments) as composed cells, and the target table as
plain text for `--check`. Pure functions of the figures and the workbook."""

from __future__ import annotations

from povertyplan.aggregate.figures import Figures
from povertyplan.compose.document import Table
from povertyplan.contract.model import Workbook
from povertyplan.contract.vnformat import format_count

TARGET_HEADER = (
    "TT",
    "Đơn vị",
    "Số hộ",
    "Hộ nghèo đầu năm",
    "Tỷ lệ (%)",
    "Chỉ tiêu giảm hộ nghèo",
    "Dự kiến hộ nghèo cuối năm",
    "Dự kiến tỷ lệ cuối năm (%)",
)
TARGET_WIDTHS_MM = (11, 29, 17, 22, 19, 22, 23, 22)
# With near-poor figures the table gains three count columns (their rates are in the prose): at
# 12 pt, five more columns would leave 12 mm each and break "nghèo" inside the word.
NEAR_POOR_HEADER = ("Hộ cận nghèo đầu năm", "Chỉ tiêu giảm hộ cận nghèo", "Dự kiến hộ cận nghèo cuối năm")
TARGET_WITH_NEAR_POOR_WIDTHS_MM = (8, 22, 13) + (15.25,) * 8
POOR_COLUMNS = ("households", "poor_start", "rate_start", "target", "poor_end", "rate_end")
NEAR_POOR_COLUMNS = ("near_poor_start", "near_poor_target", "near_poor_end")
ASSIGNMENT_HEADER = ("TT", "Họ và tên", "Chức vụ", "Phụ trách địa bàn")
ASSIGNMENT_WIDTHS_MM = (11, 50, 54, 50)


def target_table(figures: Figures) -> Table:
    """The target table: one row per unit, then the bold `Cộng` row; near-poor columns when given."""
    near = figures.near_poor
    columns = POOR_COLUMNS + (NEAR_POOR_COLUMNS if near else ())
    units = figures.units
    cells = [
        [format_count(value) for value in units[column].tolist()]
        if units[column].dtype.kind in "iu"
        else units[column].tolist()
        for column in columns
    ]
    rows = tuple(
        (str(number), unit, *values)
        for number, unit, *values in zip(range(1, len(units) + 1), units["unit"].tolist(), *cells)
    )
    t = figures.totals
    total = (
        "",
        "Cộng",
        format_count(t.households),
        format_count(t.poor_start),
        t.rate_start,
        format_count(t.target),
        format_count(t.poor_end),
        t.rate_end,
    )
    if near is None:
        return Table("targets", TARGET_HEADER, rows, TARGET_WIDTHS_MM, ("center", "left") + ("center",) * 6, total)
    total += (format_count(near.start), format_count(near.target), format_count(near.end))
    header = TARGET_HEADER + NEAR_POOR_HEADER
    return Table("targets", header, rows, TARGET_WITH_NEAR_POOR_WIDTHS_MM, ("center", "left") + ("center",) * 9, total)


def assignment_table(workbook: Workbook) -> Table:
    rows = tuple((str(i), a.member, a.position, a.units_text) for i, a in enumerate(workbook.assignments, 1))
    return Table("assignments", ASSIGNMENT_HEADER, rows, ASSIGNMENT_WIDTHS_MM, ("center", "left", "left", "left"))


def plain_text(table: Table) -> str:
    """`table` as aligned plain-text lines (header, rows, total), indented two spaces."""
    return aligned_text([table.header, *table.rows, *((table.total,) if table.total else ())])


def aligned_text(rows: list[tuple[str, ...]]) -> str:
    """Rows of text cells (the first a header) as aligned plain-text lines, indented two spaces."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows)
