"""Compose the plan: figures and workbook text into template context, then into a `PlanDocument`.

Pure functions: no file is read or written here except through `templating.render_blocks`.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from povertyplan.compose import prose
from povertyplan.aggregate.assessment import Assessment, assess
from povertyplan.compose.document import Paragraph, PlanDocument, Run, Table
from povertyplan.errors import PlanError
from povertyplan.aggregate.figures import Figures, compute_figures
from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import LEVELS
from povertyplan.compose.survey import deprivation_context, leaving_context
from povertyplan.compose.templating import TemplateProblem, render_blocks
from povertyplan.contract.vnformat import lowercase_first, format_count, format_document_number, format_place_date
from povertyplan.messages import say

TARGET_HEADER = ("TT", "Đơn vị", "Số hộ", "Hộ nghèo đầu năm", "Tỷ lệ (%)", "Chỉ tiêu giảm hộ nghèo", "Dự kiến hộ nghèo cuối năm", "Dự kiến tỷ lệ cuối năm (%)")
TARGET_WIDTHS_MM = (11, 29, 17, 22, 19, 22, 23, 22)
# With near-poor figures the table gains three count columns (their rates are in the prose): at
# 12 pt, five more columns would leave 12 mm each and break "nghèo" inside the word.
NEAR_POOR_HEADER = ("Hộ cận nghèo đầu năm", "Chỉ tiêu giảm hộ cận nghèo", "Dự kiến hộ cận nghèo cuối năm")
TARGET_WITH_NEAR_POOR_WIDTHS_MM = (8, 22, 13) + (15.25,) * 8
POOR_COLUMNS = ("households", "poor_start", "rate_start", "target", "poor_end", "rate_end")
NEAR_POOR_COLUMNS = ("near_poor_start", "near_poor_target", "near_poor_end")
ASSIGNMENT_HEADER = ("TT", "Họ và tên", "Chức vụ", "Phụ trách địa bàn")
ASSIGNMENT_WIDTHS_MM = (11, 50, 54, 50)
TABLE_NAMES = {"bảng chỉ tiêu": "targets", "bảng phân công": "assignments"}


def template_context(workbook: Workbook, figures: Figures, assessment: Assessment | None = None) -> dict:
    """The variables the wording template may use (listed in the README).

    `near_poor`, `deprivation` and `leaving` are None when the workbook has no such data.
    """
    assessment = assess(workbook) if assessment is None else assessment
    info = workbook.info
    level = LEVELS[info.level][1]
    totals = figures.totals
    return {
        "year": info.year,
        "level": level,
        "commune": info.name,
        "commune_full": f"{level} {info.name}",
        "province": info.province,
        "parent_agency": info.parent_agency,
        "unit_word": lowercase_first(info.unit_word),
        "standard_period": info.standard_period,
        "campaign": info.campaign,
        "bases": list(info.bases),
        "signer": info.signer,
        "signer_title": info.signer_title,
        "target": {
            "assigned": figures.assigned_target,
            "assigned_rate": figures.assigned_rate,
            "units_total": totals.target,
            "households": format_count(totals.households),
            "poor_start": totals.poor_start,
            "rate_start": totals.rate_start,
            "poor_end": totals.poor_end,
            "rate_end": totals.rate_end,
        },
        "units": [dict(row) for row in figures.units.to_dict("records")],
        "members": [{"name": a.member, "position": a.position, "units": a.units_text} for a in workbook.assignments],
        "near_poor": _near_poor_context(figures),
        "deprivation": deprivation_context(assessment),
        "leaving": leaving_context(assessment),
    }


def _near_poor_context(figures: Figures) -> dict | None:
    near = figures.near_poor
    if near is None:
        return None
    return dataclasses.asdict(near)


def target_table(figures: Figures) -> Table:
    """The target table: one row per unit, then the bold `Cộng` row; near-poor columns when given."""
    near = figures.near_poor
    columns = POOR_COLUMNS + (NEAR_POOR_COLUMNS if near else ())
    units = figures.units
    cells = [[format_count(value) for value in units[column].tolist()] if units[column].dtype.kind in "iu" else units[column].tolist() for column in columns]
    rows = tuple((str(number), unit, *values) for number, unit, *values in zip(range(1, len(units) + 1), units["unit"].tolist(), *cells))
    t = figures.totals
    total = ("", "Cộng", format_count(t.households), format_count(t.poor_start), t.rate_start, format_count(t.target), format_count(t.poor_end), t.rate_end)
    if near is None:
        return Table("targets", TARGET_HEADER, rows, TARGET_WIDTHS_MM, ("center", "left") + ("center",) * 6, total)
    total += (format_count(near.start), format_count(near.target), format_count(near.end))
    header = TARGET_HEADER + NEAR_POOR_HEADER
    return Table("targets", header, rows, TARGET_WITH_NEAR_POOR_WIDTHS_MM, ("center", "left") + ("center",) * 9, total)


def assignment_table(workbook: Workbook) -> Table:
    rows = tuple((str(i), a.member, a.position, a.units_text) for i, a in enumerate(workbook.assignments, 1))
    return Table("assignments", ASSIGNMENT_HEADER, rows, ASSIGNMENT_WIDTHS_MM, ("center", "left", "left", "left"))


def recipient_lines(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """Nghị định 30, ô 9b: each line starts ``- `` and ends ``;``, the last one ``.``."""
    return tuple(f"- {name}{'.' if i == len(recipients) - 1 else ';'}" for i, name in enumerate(recipients))


def close_content(body: list) -> list:
    """End the last paragraph of the content with ``./.`` (Nghị định 30)."""
    for index in range(len(body) - 1, -1, -1):
        block = body[index]
        if isinstance(block, Paragraph) and block.runs:
            runs = list(block.runs)
            last = runs[-1]
            runs[-1] = Run(last.text.rstrip().rstrip(".;,:") + "./.", last.bold, last.italic)
            body[index] = Paragraph(tuple(runs), block.kind)
            return body
    return body + [Paragraph((Run("./."),))]


def compose(workbook: Workbook, template_path: Path | None = None, assessment: Assessment | None = None) -> PlanDocument:
    """Return the complete plan for `workbook`, worded by the template at `template_path`.

    `assessment` is `assess(workbook)`, computed here when not given.
    """
    figures = compute_figures(workbook)
    blocks = render_blocks(template_context(workbook, figures, assessment), template_path)
    tables = {"targets": target_table(figures), "assignments": assignment_table(workbook)}
    body = []
    for block in prose.parse(blocks["noi_dung"]):
        if isinstance(block, str):
            key = TABLE_NAMES.get(block.casefold())
            if key is None:
                raise TemplateProblem(say("compose.template_unknown_table", block=block))

            body.append(tables[key])
        else:
            body.append(block)
    info = workbook.info
    level_title = LEVELS[info.level][0]
    return PlanDocument(
        agency_lines=("ỦY BAN NHÂN DÂN", f"{level_title} {info.name}".upper()),
        number_line=format_document_number(info.number),
        place_date=format_place_date(info.place, info.date, info.year),
        title="KẾ HOẠCH",
        summary=prose.plain(blocks["trich_yeu"]),
        body=tuple(close_content(body)),
        recipients=recipient_lines(workbook.recipients),
        authority_lines=info.authority_lines,
        signer=info.signer,
    )


__all__ = ["compose", "PlanError"]
