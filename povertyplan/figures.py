"""The plan's figures, computed with pandas from the validated units: nothing is ever typed."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .model import Workbook
from .vnformat import format_hundredths, format_rate, rate_hundredths


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

    When near-poor figures are given (`near_poor_given`), `units` also holds ``near_poor_start,
    near_poor_rate_start, near_poor_target, near_poor_end, near_poor_rate_end`` and
    `near_poor` their totals; otherwise `near_poor` is None."""

    units: pd.DataFrame
    totals: Totals
    assigned_target: int
    assigned_rate: str
    near_poor: NearPoorTotals | None = None


def rates(counts: pd.Series, households: pd.Series) -> pd.Series:
    """100 × count ÷ households per row, rounded half up to 2 decimals, as text ``0,71``.

    Vectorised integer arithmetic (no floats) through `vnformat.rate_hundredths`.
    """
    hundredths = rate_hundredths(counts, households)
    return hundredths.map(format_hundredths)


def compute_figures(workbook: Workbook) -> Figures:
    """Return the target table's figures and the commune-wide target of `workbook`."""
    units = workbook.units
    table = pd.DataFrame(
        {
            "unit": units["unit"],
            "households": units["households"],
            "poor_start": units["poor_start"],
            "rate_start": rates(units["poor_start"], units["households"]),
            "target": units["target"],
            "poor_end": units["poor_start"] - units["target"],
        }
    )
    table["rate_end"] = rates(table["poor_end"], table["households"])
    households, poor, target = (int(table[column].sum()) for column in ("households", "poor_start", "target"))
    totals = Totals(
        households,
        poor,
        target,
        poor - target,
        format_rate(poor, households),
        format_rate(poor - target, households),
    )
    near_poor = _near_poor_figures(table, workbook) if near_poor_given(workbook) else None
    assigned = workbook.info.assigned_target
    chosen = target if assigned is None else assigned
    return Figures(table, totals, chosen, format_rate(chosen, households), near_poor)


def near_poor_given(workbook: Workbook) -> bool:
    """Near-poor figures need every unit's `Chỉ tiêu giảm hộ cận nghèo` and its start count
    (typed in `Hộ cận nghèo đầu năm`, or counted from the register)."""
    units = workbook.units
    targets = pd.to_numeric(units["near_poor_target"], errors="coerce")
    starts = pd.to_numeric(units["near_poor_start"], errors="coerce")
    return bool(len(units)) and bool(targets.notna().all()) and (workbook.register is not None or bool(starts.notna().all()))


def _near_poor_figures(table: pd.DataFrame, workbook: Workbook) -> NearPoorTotals:
    """Add the near-poor columns to `table` (in place) and return their totals."""
    units = workbook.units
    table["near_poor_start"] = pd.to_numeric(units["near_poor_start"], errors="coerce").fillna(0).astype("int64")
    table["near_poor_rate_start"] = rates(table["near_poor_start"], table["households"])
    table["near_poor_target"] = pd.to_numeric(units["near_poor_target"], errors="coerce").astype("int64")
    table["near_poor_end"] = table["near_poor_start"] - table["near_poor_target"]
    table["near_poor_rate_end"] = rates(table["near_poor_end"], table["households"])
    households, start, target = (int(table[column].sum()) for column in ("households", "near_poor_start", "near_poor_target"))
    return NearPoorTotals(start, format_rate(start, households), target, start - target, format_rate(start - target, households))
