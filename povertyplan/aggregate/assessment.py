"""What the register says under the poverty standard of the plan: classes, deprivations, registrations.

Pure: takes a validated `Workbook`, returns an `Assessment` of DataFrames and warnings. Each part
exists only when its data is in the register (a blank column of the standard workbook is no data):
- ``deprivations`` when every indicator column of the standard is there and one cell is marked;
- ``classified`` when, in addition, some household has an income;
- ``leaving`` when some household is marked in `Đăng ký thoát nghèo`.
Warnings name units and counts, never a household's data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from povertyplan.aggregate.classify import classify, disagrees, indicator_columns, missing_indicator_columns
from povertyplan.errors import WARNING, Problem
from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import INDICATOR_PREFIX, INFO, NEAR_POOR, POOR, REGISTER, UNITS, UNKNOWN
from povertyplan.contract.standards import Standard, all_standards, standard_for
from povertyplan.messages import say


@dataclass(frozen=True)
class Assessment:
    """`classified`: `classify.CLASSIFIED_COLUMNS` per household; `different` and `undecided`:
    boolean arrays along its rows, the households whose declared class `disagrees` with the
    computed one and those that could not be classified (None with it). `deprivations`: one row per
    unit in plan order, ``unit, poor, near_poor`` (households) and ``poor_<key>``,
    ``near_poor_<key>`` (households lacking each indicator). `leaving`: one row per unit,
    ``unit, target, poor_registered, short, near_poor_registered, near_poor_target``."""

    standard: Standard | None
    classified: pd.DataFrame | None = None
    different: np.ndarray | None = None
    undecided: np.ndarray | None = None
    deprivations: pd.DataFrame | None = None
    leaving: pd.DataFrame | None = None
    warnings: tuple[Problem, ...] = ()

    @property
    def has_data(self) -> bool:
        """Whether there is anything for the review list."""
        return any(part is not None for part in (self.classified, self.deprivations, self.leaving))


def assess(workbook: Workbook) -> Assessment:
    """Assess `workbook`'s register under the standard its plan year (or `Giai đoạn chuẩn nghèo`) selects."""
    info, register = workbook.info, workbook.register
    standard = standard_for(info.year, info.standard_period)
    if register is None or register.empty:
        return Assessment(standard)
    warnings: list[Problem] = []
    leaving = leaving_table(register, workbook.units) if _any(register, ["leaving"]) else None
    if leaving is not None:
        warnings += _leaving_warnings(leaving, workbook.units)
    deprivations = classified = different = undecided = None
    if _has_survey(register):
        if standard is None:
            warnings.append(_unknown_standard(info.standard_period))
        else:
            deprivations, classified = _survey(register, workbook.units, standard, info.level, warnings)
    if classified is not None:
        different, undecided = _household_masks(classified)
        warnings += _classification_warnings(different, undecided)
    return Assessment(
        standard, classified, different, undecided, deprivations=deprivations, leaving=leaving, warnings=tuple(warnings)
    )


def _survey(
    register: pd.DataFrame, units: pd.DataFrame, standard: Standard, level: str, warnings: list[Problem]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(deprivations, classified) under `standard`, each None when its data is missing (with a warning)."""
    missing = missing_indicator_columns(register, standard)
    if missing:
        listed = ", ".join(f'"{name}"' for name in missing)
        warnings.append(
            _warning(
                "indicator_columns_missing",
                say(
                    "aggregate.indicator_columns_missing",
                    columns=listed,
                    period=standard.period,
                    decree=standard.decree,
                ),
                REGISTER.name,
            )
        )
        return None, None
    if not _any(register, indicator_columns(standard)):
        warnings.append(_warning("no_indicator_marks", say("aggregate.no_indicator_marks"), REGISTER.name))
        return None, None
    deprivations = deprivation_table(register, units, standard)
    if not _any_income(register):
        warnings.append(
            _warning("no_income", say("aggregate.no_income", column=REGISTER.column("income").name), REGISTER.name)
        )
        return deprivations, None
    if not all(indicator.confirmed for indicator in standard.indicators):
        warnings.append(
            _warning(
                "standard_unconfirmed", say("aggregate.standard_unconfirmed", decree=standard.decree), REGISTER.name
            )
        )
    return deprivations, classify(register, standard, level)


def deprivation_table(register: pd.DataFrame, units: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Per unit of the plan, households and those lacking each indicator, by declared class."""
    bins, size = _class_bins(register, units), len(units)
    households = _per_unit(bins, size)
    lacking = [_per_unit(bins, size, register[column].to_numpy(dtype=bool)) for column in indicator_columns(standard)]
    table = {"unit": units["unit"].to_numpy()}
    for part, category in enumerate((POOR, NEAR_POOR)):
        table[category] = households[part]
        for counts, indicator in zip(lacking, standard.indicators):
            table[f"{category}_{indicator.key}"] = counts[part]
    return pd.DataFrame(table)


def registrations(register: pd.DataFrame | None, units: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """(poor, near-poor) households registered to leave poverty in each unit of the plan, or
    None when no household of the register is marked in `Đăng ký thoát nghèo`."""
    if register is None or register.empty or not _any(register, ["leaving"]):
        return None
    return _per_unit(_class_bins(register, units), len(units), register["leaving"].to_numpy(dtype=bool))


def leaving_table(register: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per unit of the plan, households registered to leave poverty against the unit's targets."""
    poor, near_poor = _per_unit(_class_bins(register, units), len(units), register["leaving"].to_numpy(dtype=bool))
    target = units["target"].to_numpy(dtype="int64")
    return pd.DataFrame(
        {
            "unit": units["unit"].to_numpy(),
            "target": target,
            "poor_registered": poor,
            "short": np.maximum(target - poor, 0),
            "near_poor_registered": near_poor,
            "near_poor_target": units["near_poor_target"].to_numpy() if "near_poor_target" in units else None,
        }
    )


def _class_bins(register: pd.DataFrame, units: pd.DataFrame) -> np.ndarray:
    """Each household's bin for counting per unit and declared class: its unit's position in the
    plan for a poor household, that plus the number of units for a near-poor one, twice the
    number of units for a household outside the plan's units."""
    positions, size = unit_positions(register["unit"], units["unit"]), len(units)
    inside = positions >= 0
    return np.where(
        inside & _declared(register, POOR),
        positions,
        np.where(inside & _declared(register, NEAR_POOR), positions + size, 2 * size),
    )


def _per_unit(bins: np.ndarray, units: int, chosen: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(poor, near-poor) households of each of the `units` units, or only the `chosen` ones, in the plan's order.

    numpy rather than a groupby: a commune's register has a few hundred rows, where pandas'
    per-call overhead, not the counting, is the cost; a million rows count in milliseconds.
    """
    counts = np.bincount(bins, weights=chosen, minlength=2 * units + 1).astype("int64")
    return counts[:units], counts[units : 2 * units]


def _declared(register: pd.DataFrame, category: str) -> np.ndarray:
    """Which households the register declares as `category`."""
    return register["category"].eq(category).to_numpy(dtype=bool, na_value=False)


def unit_positions(households: pd.Series, units: pd.Series) -> np.ndarray:
    """Each of `households`' unit names as its position in `units` (the plan's units); -1 for a
    unit outside the plan. Looked up once per distinct name: a million rows name a few dozen units.
    """
    codes, names = pd.factorize(households)
    return np.append(pd.Index(units).get_indexer(names), -1)[codes]  # a blank unit (code -1) is outside


def _leaving_warnings(leaving: pd.DataFrame, units: pd.DataFrame) -> list[Problem]:
    short = leaving[leaving["poor_registered"] < leaving["target"]]
    rows = dict(zip(units["unit"], units["row"]))
    return [
        Problem(
            "leaving_below_target",
            say("aggregate.leaving_below_target", unit=unit, registered=registered, target=target),
            sheet=UNITS.name,
            row=int(rows[unit]),
            column=UNITS.column("target").name,
            severity=WARNING,
        )
        for unit, registered, target in zip(short["unit"], short["poor_registered"], short["target"])
    ]


def _household_masks(classified: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(different, undecided) along `classified`'s rows: see `Assessment`."""
    different = disagrees(classified).to_numpy(dtype=bool, na_value=False)
    undecided = classified["computed"].eq(UNKNOWN).to_numpy(dtype=bool, na_value=False)
    return different, undecided


def _classification_warnings(different: np.ndarray, undecided: np.ndarray) -> list[Problem]:
    warnings = []
    unknown = int(undecided.sum())
    if unknown:
        warnings.append(_warning("income_missing", say("aggregate.income_missing", count=unknown), REGISTER.name))
    disagreeing = int(different.sum())
    if disagreeing:
        warnings.append(_warning("class_disagrees", say("aggregate.class_disagrees", count=disagreeing), REGISTER.name))
    return warnings


def _unknown_standard(period: str) -> Problem:
    known = ", ".join(standard.period for standard in all_standards())
    return _warning("unknown_standard", say("aggregate.unknown_standard", period=period, known=known), INFO.name)


def _warning(code: str, text: str, sheet: str) -> Problem:
    return Problem(code, text, sheet=sheet, severity=WARNING)


def _any(register: pd.DataFrame, columns: list[str]) -> bool:
    # Column by column: selecting several columns at once copies them into a new frame first.
    return any(register[column].to_numpy(dtype=bool).any() for column in columns if column in register.columns)


def _any_income(register: pd.DataFrame) -> bool:
    return "income" in register.columns and bool(register["income"].notna().any())


def _has_survey(register: pd.DataFrame) -> bool:
    """Whether the register carries any income or indicator mark (of any standard)."""
    marks = [column for column in register.columns if column.startswith(INDICATOR_PREFIX)]
    return _any_income(register) or _any(register, marks)
