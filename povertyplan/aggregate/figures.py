"""The plan's figures, computed with pandas from the validated units: nothing is ever typed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from povertyplan.aggregate.split import Splits
from povertyplan.contract.model import Workbook
from povertyplan.contract.vnformat import format_hundredths, format_rate, rate_hundredths


@dataclass(frozen=True)
class Totals:
    households: int
    poor_start: int
    target: int
    poor_end: int
    rate_start: str
    rate_end: str


@dataclass(frozen=True)
class NearPoorTotals:
    """The `Cộng` row's near-poor figures."""

    start: int
    rate_start: str
    target: int
    end: int
    rate_end: str


@dataclass(frozen=True)
class Figures:
    """Per-unit figures (`units`: unit, households, poor_start, rate_start, target, poor_end,
    rate_end, rates as text with a decimal comma), the `Cộng` row, and the commune's target.

    When near-poor figures are given (`_near_poor_counts`), `units` also holds ``near_poor_start,
    near_poor_rate_start, near_poor_target, near_poor_end, near_poor_rate_end`` and
    `near_poor` their totals; otherwise `near_poor` is None. `splits`: the proposed splits of the
    assigned targets (`aggregate.split`), used by the plan or shown beside the typed targets."""

    units: pd.DataFrame
    totals: Totals
    assigned_target: int
    assigned_rate: str
    near_poor: NearPoorTotals | None = None
    splits: Splits = Splits()


def rates(counts: pd.Series, households: pd.Series) -> pd.Series:
    """100 × count ÷ households per row, rounded half up to 2 decimals, as text ``0,71``.

    Vectorised integer arithmetic (no floats) through `vnformat.rate_hundredths`.
    """
    hundredths = rate_hundredths(counts, households)
    return hundredths.map(format_hundredths)


# The columns `_start_to_end` gives, in order.
_COLUMNS = ("poor_start", "rate_start", "target", "poor_end", "rate_end")
_NEAR_POOR_COLUMNS = (
    "near_poor_start",
    "near_poor_rate_start",
    "near_poor_target",
    "near_poor_end",
    "near_poor_rate_end",
)


def compute_figures(workbook: Workbook, splits: Splits = Splits()) -> Figures:
    """Return the target table's figures and the commune-wide target of `workbook`, whose unit
    targets are all known (`split.propose_targets` gives such a workbook and its `splits`)."""
    units = workbook.units
    households = units["households"]
    columns, (poor, rate_start, target, poor_end, rate_end) = _start_to_end(
        households, units["poor_start"], units["target"]
    )
    table = pd.DataFrame(dict(zip(("unit", "households", *_COLUMNS), (units["unit"], households, *columns))))
    totals = Totals(int(households.sum()), poor, target, poor_end, rate_start, rate_end)
    near_poor = None
    counts = _near_poor_counts(workbook)
    if counts is not None:
        columns, near_totals = _start_to_end(households, *counts)
        table = table.assign(**dict(zip(_NEAR_POOR_COLUMNS, columns)))
        near_poor = NearPoorTotals(*near_totals)
    assigned = workbook.info.assigned_target
    chosen = target if assigned is None else assigned
    return Figures(table, totals, chosen, format_rate(chosen, totals.households), near_poor, splits)


def _start_to_end(households: pd.Series, start: pd.Series, target: pd.Series) -> tuple[list[pd.Series], tuple]:
    """Per unit: start, its rate, target, end (start − target) and its rate; and the same five for the `Cộng` row."""
    end = start - target
    columns = [start, rates(start, households), target, end, rates(end, households)]
    total_households, total_start, total_target = int(households.sum()), int(start.sum()), int(target.sum())
    total_end = total_start - total_target
    return columns, (
        total_start,
        format_rate(total_start, total_households),
        total_target,
        total_end,
        format_rate(total_end, total_households),
    )


def _near_poor_counts(workbook: Workbook) -> tuple[pd.Series, pd.Series] | None:
    """Every unit's near-poor (start, target), or None when near-poor figures are not given: they
    need every unit's `Chỉ tiêu giảm hộ cận nghèo` and its start count (typed in `Hộ cận nghèo
    đầu năm`, or counted from the register)."""
    units = workbook.units
    targets = pd.to_numeric(units["near_poor_target"], errors="coerce")
    starts = pd.to_numeric(units["near_poor_start"], errors="coerce")
    if not (len(units) and targets.notna().all() and (workbook.register is not None or starts.notna().all())):
        return None
    return starts.fillna(0).astype("int64"), targets.astype("int64")
