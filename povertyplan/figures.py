"""The plan's figures, computed with pandas from the validated units: nothing is ever typed."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .model import Workbook
from .vnformat import format_hundredths, rate_hundredths


@dataclass(frozen=True)
class Totals:
    households: int
    poor_start: int
    target: int
    poor_end: int
    rate_start: str
    rate_end: str


@dataclass(frozen=True)
class Figures:
    """Per-unit figures (`units`: unit, households, poor_start, rate_start, target, poor_end,
    rate_end, rates as text with a decimal comma), the `Cộng` row, and the commune's target."""

    units: pd.DataFrame
    totals: Totals
    assigned_target: int
    assigned_rate: str
    assigned_from_level_above: bool


def rates(counts: pd.Series, households: pd.Series) -> pd.Series:
    """100 × count ÷ households per row, rounded half up to 2 decimals, as text ``0,71``.

    Vectorised integer arithmetic (no floats), same result as `vnformat.rate_hundredths`.
    """
    hundredths = (20000 * counts + households) // (2 * households)
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
        format_hundredths(rate_hundredths(poor, households)),
        format_hundredths(rate_hundredths(poor - target, households)),
    )
    assigned = workbook.info.assigned_target
    chosen = target if assigned is None else assigned
    return Figures(table, totals, chosen, format_hundredths(rate_hundredths(chosen, households)), assigned is not None)
