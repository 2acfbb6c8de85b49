"""The summary of a batch (tổng hợp): one row per commune whose plan was made, the `Cộng` row of
its target table, and a total row of formulas; the workbooks in error on a second sheet.

For the office that receives a hundred plans: no personal data (commune-level counts, file names
and each failed workbook's first error, without household codes). `commune_row` is made where
the plan is made (a batch's worker process: it is small and picklable); `summary_workbook` is
pure and `render.xlsx` writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from povertyplan.aggregate.figures import Figures
from povertyplan.compose.spreadsheet import Column, Formula, Spreadsheet, TableSheet
from povertyplan.contract.cellref import column_letter
from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import LEVELS
from povertyplan.contract.vnformat import rate_hundredths
from povertyplan.messages import say

COUNT, RATE = "#,##0", "0.00"


@dataclass(frozen=True)
class NearPoorRow:
    """The near-poor figures of a `Cộng` row; rates in hundredths of a percent (118 is 1,18 %)."""

    start: int
    rate_start: int
    target: int
    end: int
    rate_end: int


@dataclass(frozen=True)
class CommuneRow:
    """One commune's line of the summary: its plan's `Cộng` row and assigned target.

    `source` is the workbook's file name; rates are in hundredths of a percent, computed as the
    plan's (`vnformat.rate_hundredths`); `near_poor` is None without near-poor figures.
    """

    year: int
    province: str
    commune: str
    source: str
    households: int
    poor_start: int
    rate_start: int
    assigned: int
    target: int
    poor_end: int
    rate_end: int
    near_poor: NearPoorRow | None = None


def commune_row(workbook: Workbook, figures: Figures, source: str) -> CommuneRow:
    """The summary line of the plan made from `workbook` (file name `source`) with `figures`."""
    info, totals, near = workbook.info, figures.totals, figures.near_poor
    households = totals.households
    near_row = None
    if near is not None:
        near_row = NearPoorRow(
            near.start,
            rate_hundredths(near.start, households),
            near.target,
            near.end,
            rate_hundredths(near.end, households),
        )
    return CommuneRow(
        info.year,
        info.province,
        f"{LEVELS[info.level][0]} {info.name}",
        source,
        households,
        totals.poor_start,
        rate_hundredths(totals.poor_start, households),
        figures.assigned_target,
        totals.target,
        totals.poor_end,
        rate_hundredths(totals.poor_end, households),
        near_row,
    )


def summary_workbook(year: int, rows: Sequence[CommuneRow], failures: Sequence[tuple[str, str]]) -> Spreadsheet:
    """The summary of the plans of `year` (`rows`, in the batch's order) and the workbooks in
    error (`failures`: file name and first error, in the batch's order)."""
    return Spreadsheet((plans_sheet(year, rows, len(failures)), failures_sheet(failures)))


def repeated(rows: Sequence[CommuneRow]) -> list[tuple[str, tuple[str, ...]]]:
    """Communes with several rows (two workbooks of one commune in a batch, which the total would
    count twice): each commune with the workbooks it comes from, in the batch's order."""
    sources: dict[tuple, list[str]] = {}
    for row in rows:
        sources.setdefault((row.year, row.province, row.commune), []).append(row.source)
    return [(commune, tuple(names)) for (_, _, commune), names in sources.items() if len(names) > 1]


def plans_sheet(year: int, rows: Sequence[CommuneRow], failed: int) -> TableSheet:
    """One row per plan, then the total row whose formulas the spreadsheet program computes."""
    near = any(row.near_poor is not None for row in rows)
    columns = _columns(near)
    counts = say("compose.summary_counts", plans=len(rows), failed=failed, sheet=say("compose.summary_failures_sheet"))
    titles = (say("compose.summary_title", year=year), counts, say("compose.summary_explained"))
    first = len(titles) + 2  # the first data row: below the titles and the header row
    data = [_cells(number, row, near) for number, row in enumerate(rows, start=1)]
    total = _total_row(len(columns), first, first + len(rows) - 1, near and any(row.near_poor is None for row in rows))
    return TableSheet(
        say("compose.summary_sheet"), columns, [*data, total], title_lines=titles, bold_last_row=True, filtered=True
    )


# Column positions (0-based) the total row's formulas refer to.
_HOUSEHOLDS, _POOR_START, _RATE_START, _ASSIGNED, _TARGET, _POOR_END, _RATE_END = range(4, 11)
_NEAR_START, _NEAR_RATE_START, _NEAR_TARGET, _NEAR_END, _NEAR_RATE_END = range(11, 16)
_RATES = {_RATE_START: _POOR_START, _RATE_END: _POOR_END, _NEAR_RATE_START: _NEAR_START, _NEAR_RATE_END: _NEAR_END}


def _columns(near: bool) -> tuple[Column, ...]:
    columns = (
        Column(say("compose.summary_column_number"), 6),
        Column(say("compose.summary_column_province"), 16, wrap=True),
        Column(say("compose.summary_column_commune"), 22, wrap=True),
        Column(say("compose.summary_column_source"), 26, wrap=True),
        Column(say("compose.summary_column_households"), 11, COUNT),
        Column(say("compose.summary_column_poor_start"), 11, COUNT),
        Column(say("compose.summary_column_rate_start"), 11, RATE),
        Column(say("compose.summary_column_assigned"), 12, COUNT),
        Column(say("compose.summary_column_target"), 12, COUNT),
        Column(say("compose.summary_column_poor_end"), 12, COUNT),
        Column(say("compose.summary_column_rate_end"), 12, RATE),
    )
    if not near:
        return columns
    return columns + (
        Column(say("compose.summary_column_near_poor_start"), 11, COUNT),
        Column(say("compose.summary_column_near_poor_rate_start"), 11, RATE),
        Column(say("compose.summary_column_near_poor_target"), 12, COUNT),
        Column(say("compose.summary_column_near_poor_end"), 12, COUNT),
        Column(say("compose.summary_column_near_poor_rate_end"), 12, RATE),
    )


def _cells(number: int, row: CommuneRow, near: bool) -> list:
    """A commune's cells: counts as numbers, rates as numbers of percent (1.18), exactly the plan's."""
    cells = [
        number,
        row.province or None,
        row.commune,
        row.source,
        row.households,
        row.poor_start,
        row.rate_start / 100,
        row.assigned,
        row.target,
        row.poor_end,
        row.rate_end / 100,
    ]
    if near:
        n = row.near_poor
        cells += [None] * 5 if n is None else [n.start, n.rate_start / 100, n.target, n.end, n.rate_end / 100]
    return cells


def _total_row(size: int, first: int, last: int, near_partly: bool) -> list:
    """`Tổng cộng`: sums of the counts; each rate as the plan computes a `Cộng` row's, from the
    sums (100 × count ÷ households, rounded to 2 decimals); a near-poor rate over the households
    of the communes with near-poor figures only, when some have none."""

    def span(index: int) -> str:
        letter = column_letter(index)
        return f"{letter}{first}:{letter}{last}"

    cells: list = [None] * size
    cells[2] = say("compose.summary_total")
    for index in range(_HOUSEHOLDS, size):
        if index not in _RATES:
            cells[index] = Formula(f"SUM({span(index)})")
            continue
        households = f"SUM({span(_HOUSEHOLDS)})"
        if index >= _NEAR_START and near_partly:
            households = f'SUMPRODUCT({span(_HOUSEHOLDS)}*({span(_NEAR_START)}<>""))'
        cells[index] = Formula(f"ROUND(100*SUM({span(_RATES[index])})/{households},2)")
    return cells


def failures_sheet(failures: Sequence[tuple[str, str]]) -> TableSheet:
    """The workbooks in error, each with its first error (their plans were not made)."""
    columns = (
        Column(say("compose.summary_column_number"), 6),
        Column(say("compose.summary_column_source"), 30, wrap=True),
        Column(say("compose.summary_column_first_error"), 100, wrap=True),
    )
    rows = [[number, name, error] for number, (name, error) in enumerate(failures, start=1)]
    title = say("compose.summary_failures_title") if failures else say("compose.summary_no_failures")
    return TableSheet(
        say("compose.summary_failures_sheet"), columns, rows, title_lines=(title,), filtered=bool(failures)
    )
