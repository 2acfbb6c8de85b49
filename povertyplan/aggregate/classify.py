"""Classify the register's households by a multidimensional poverty standard: pure, vectorised pandas.

poverty-standards.md: a household whose income per head is at or below the threshold of its area
(≤: income exactly at the threshold is within) is poor when it lacks at least
`poor_min_deprivations` indicators, near-poor when it lacks fewer. Above the threshold it has an
average living standard up to the ceiling (where the standard has one), and is outside the
standard beyond. A household with no income recorded cannot be placed: its class is ``unknown``,
and it is never counted as disagreeing with its declared class (see `disagrees`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from povertyplan.contract.schema import ABOVE, AVERAGE, INDICATOR_PREFIX, LEVEL_AREAS, NEAR_POOR, POOR, UNKNOWN
from povertyplan.contract.standards import URBAN, Standard

# The computed classes, in the order `classify` tests for them.
CLASSES = (UNKNOWN, POOR, NEAR_POOR, AVERAGE, ABOVE)
CLASSIFIED_COLUMNS = ["code", "unit", "row", "category", "area", "income", "threshold", "deprivations", "computed"]


def indicator_columns(standard: Standard) -> list[str]:
    """The register columns of `standard`'s indicators, in the decree's order."""
    return [INDICATOR_PREFIX + indicator.key for indicator in standard.indicators]


def missing_indicator_columns(register: pd.DataFrame, standard: Standard) -> list[str]:
    """The indicator names of `standard` that have no column in `register`."""
    return [i.name for i in standard.indicators if INDICATOR_PREFIX + i.key not in register.columns]


def household_areas(register: pd.DataFrame, level: str) -> pd.Series:
    """``urban``/``rural`` per household: the register's `Khu vực` where given, else by the level.

    Phường and Thị trấn are urban, Xã rural, Đặc khu rural unless `Khu vực` says otherwise.
    Arrow-backed text, like the register's other text columns.
    """
    default = LEVEL_AREAS[level]
    if "area" not in register.columns:
        return _texts([default], np.zeros(len(register), dtype=np.intp), register.index)
    given = register["area"]
    return given.where(given.notna(), default).astype("str")


def _texts(distinct: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``distinct[code]`` for each of `codes`, as Arrow-backed text (a few values, many rows)."""
    return pd.Series(pd.array(distinct, dtype="str").take(codes), index=index)


def deprivation_counts(register: pd.DataFrame, standard: Standard) -> np.ndarray:
    """How many of `standard`'s indicators each household lacks (all its columns must exist)."""
    counts = np.zeros(len(register), dtype="int64")
    for column in indicator_columns(standard):  # one by one: selecting them together copies them first
        counts += register[column].to_numpy(dtype=bool)
    return counts


def classify(register: pd.DataFrame, standard: Standard, level: str) -> pd.DataFrame:
    """Return one row per household with its computed class (`CLASSIFIED_COLUMNS`).

    `register` must hold ``income`` and every indicator column of `standard`. ``threshold`` is
    the income threshold of the household's area; ``computed`` is ``poor``, ``near_poor``,
    ``average``, ``above`` or ``unknown`` (no income recorded). The arithmetic is numpy on the
    columns: a commune's register is small enough for pandas' per-call overhead to dominate.
    """
    area = household_areas(register, level)
    urban = area.eq(URBAN).to_numpy(dtype=bool, na_value=False)
    threshold = np.where(urban, standard.income_threshold["urban"], standard.income_threshold["rural"]).astype("int64")
    income = register["income"].to_numpy(dtype="float64", na_value=np.nan)
    deprivations = deprivation_counts(register, standard)
    within = income <= threshold
    ceiling = standard.average_income_ceiling
    average = (
        income <= np.where(urban, ceiling["urban"], ceiling["rural"]) if ceiling else np.zeros(len(income), dtype=bool)
    )
    computed = np.select(
        [np.isnan(income), within & (deprivations >= standard.poor_min_deprivations), within, average],
        range(len(CLASSES) - 1),
        default=len(CLASSES) - 1,
    )
    return pd.DataFrame(
        {
            "code": register["code"],
            "unit": register["unit"],
            "row": register["row"],
            "category": register["category"],
            "area": area,
            "income": pd.Series(income, index=register.index),
            "threshold": pd.Series(threshold, index=register.index),
            "deprivations": pd.Series(deprivations, index=register.index),
            "computed": _texts(list(CLASSES), computed, register.index),
        }
    )


def disagrees(classified: pd.DataFrame) -> pd.Series:
    """Households whose declared class differs from the computed one; ``unknown`` never disagrees."""
    return (classified["computed"] != UNKNOWN) & (classified["computed"] != classified["category"])
