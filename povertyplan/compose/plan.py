"""Compose the plan: figures and workbook text into template context, then into a `PlanDocument`.

Pure functions: no file is read or written here except through `templating.render_blocks`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from povertyplan.aggregate.assessment import Assessment
from povertyplan.aggregate.figures import Figures
from povertyplan.compose import prose
from povertyplan.compose.document import Paragraph, PlanDocument, Run
from povertyplan.compose.survey import deprivation_context, leaving_context
from povertyplan.compose.tables import assignment_table, target_table
from povertyplan.compose.templating import TemplateProblem, render_blocks
from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import LEVELS
from povertyplan.contract.vnformat import Count, format_document_number, format_place_date, lowercase_first
from povertyplan.messages import say

TABLE_NAMES = {"bảng chỉ tiêu": "targets", "bảng phân công": "assignments"}


def template_context(workbook: Workbook, figures: Figures, assessment: Assessment) -> dict:
    """The variables the wording template may use (listed in the README).

    `near_poor`, `deprivation` and `leaving` are None when the workbook has no such data. Every
    count is a `Count`, printed as the tables print it (``2.452``); rates are text (``0,71``).
    """
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
            "assigned": Count(figures.assigned_target),
            "assigned_rate": figures.assigned_rate,
            "units_total": Count(totals.target),
            "households": Count(totals.households),
            "poor_start": Count(totals.poor_start),
            "rate_start": totals.rate_start,
            "poor_end": Count(totals.poor_end),
            "rate_end": totals.rate_end,
        },
        "units": [_counted(row) for row in figures.units.to_dict("records")],
        "members": [{"name": a.member, "position": a.position, "units": a.units_text} for a in workbook.assignments],
        "near_poor": _near_poor_context(figures),
        "deprivation": deprivation_context(assessment),
        "leaving": leaving_context(assessment),
    }


def _near_poor_context(figures: Figures) -> dict | None:
    near = figures.near_poor
    if near is None:
        return None
    return _counted(dataclasses.asdict(near))


def _counted(values: dict) -> dict:
    """`values` with every whole number a `Count` (the rates are text already)."""
    return {key: Count(value) if type(value) is int else value for key, value in values.items()}


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


def compose(
    workbook: Workbook, figures: Figures, assessment: Assessment, template_path: Path | None = None
) -> PlanDocument:
    """Return the complete plan for `workbook`, given its `figures` and `assessment` (stage 3),
    worded by the template at `template_path` (the default template when None)."""
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
