"""The multidimensional poverty standards, one JSON data file per decree in this folder.

A standard is data, not code (poverty-standards.md): income thresholds per area, the indicators
grouped by dimension, the number of deprivations that makes a household poor, and the plan years
it applies to by default. Adding a decree is adding a file ``nd-<number>-<year>.json`` here; this
module only loads and checks the files. It imports nothing else of the package but `messages`
(which imports nothing of it), so `schema` can build the register's indicator columns from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from povertyplan.messages import say

URBAN = "urban"
RURAL = "rural"
AREAS = (URBAN, RURAL)


class StandardFileError(ValueError):
    """A data file of this folder is malformed: a bug in the package, not a user error."""


@dataclass(frozen=True)
class Indicator:
    """One deprivation indicator; a household marks ``x`` in the column headed `name` when it lacks it.

    `confirmed` says whether the entry was checked against the decree's text.
    """

    key: str
    number: int
    name: str
    dimension: str
    confirmed: bool
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Standard:
    """One decree's standard.

    `income_threshold` and `average_income_ceiling` map ``urban``/``rural`` to VND per person per
    month; the ceiling is None when the decree (or its data file) has no average-living-standard
    rule. A household is poor when its income is ≤ the threshold and it lacks at least
    `poor_min_deprivations` indicators; near-poor when ≤ the threshold with fewer.
    """

    decree: str
    title: str
    period: str
    period_aliases: tuple[str, ...]
    first_year: int
    last_year: int
    income_threshold: dict[str, int]
    average_income_ceiling: dict[str, int] | None
    poor_min_deprivations: int
    indicators: tuple[Indicator, ...]
    source: str

    @property
    def periods(self) -> tuple[str, ...]:
        return (self.period, *self.period_aliases)

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(indicator.dimension for indicator in self.indicators))

    def indicator(self, key: str) -> Indicator | None:
        return next((indicator for indicator in self.indicators if indicator.key == key), None)


def period_key(text: str) -> str:
    """``2022-2025``, ``2022 – 2025`` and ``2022 - 2025`` share a key; other text is kept folded."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-–—]\s*(\d{4})\s*", text or "")
    return f"{match[1]}-{match[2]}" if match else " ".join((text or "").split()).casefold()


@lru_cache(maxsize=None)
def all_standards() -> tuple[Standard, ...]:
    """Every standard of this folder, oldest plan years first; raise StandardFileError if one is bad."""
    return load_standards(resources.files(__name__))


def load_standards(folder) -> tuple[Standard, ...]:
    """Every ``*.json`` standard in `folder` (a path or an importlib.resources folder), oldest first."""
    standards = [
        _standard(json.loads(entry.read_text(encoding="utf-8")), entry.name)
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    ]
    standards.sort(key=lambda standard: standard.first_year)
    _check_no_overlap(standards)
    return tuple(standards)


def standard_for_period(period: str) -> Standard | None:
    """The standard whose period (or an alias, ``2021 - 2025``) is `period`, or None."""
    wanted = period_key(period)
    return next((s for s in all_standards() if wanted in {period_key(p) for p in s.periods}), None)


def default_period(year: int) -> str | None:
    """The period a plan of `year` counts by when the workbook does not say, or None."""
    standard = _default_standard(year)
    return standard.period if standard else None


def _default_standard(year: int) -> Standard | None:
    return next((s for s in all_standards() if s.first_year <= year <= s.last_year), None)


def standard_for(year: int, period: str | None = None) -> Standard | None:
    """The standard of a plan: the one named by `period` when given, else the plan year's default."""
    return standard_for_period(period) if period else _default_standard(year)


def _standard(data: dict, source: str) -> Standard:
    try:
        indicators = tuple(
            Indicator(
                item["key"],
                int(item["number"]),
                item["name"],
                dimension["name"],
                bool(item["confirmed"]),
                tuple(item.get("aliases", ())),
            )
            for dimension in data["dimensions"]
            for item in dimension["indicators"]
        )
        ceiling = data.get("average_income_ceiling")
        standard = Standard(
            decree=data["decree"],
            title=data.get("title", ""),
            period=data["period"],
            period_aliases=tuple(data.get("period_aliases", ())),
            first_year=int(data["plan_years"]["first"]),
            last_year=int(data["plan_years"]["last"]),
            income_threshold={area: int(data["income_threshold"][area]) for area in AREAS},
            average_income_ceiling={area: int(ceiling[area]) for area in AREAS} if ceiling else None,
            poor_min_deprivations=int(data["poor_min_deprivations"]),
            indicators=indicators,
            source=source,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise StandardFileError(say("contract.standard_field", source=source, field=error)) from None
    _check_standard(standard)
    return standard


def _check_standard(standard: Standard) -> None:
    keys = [indicator.key for indicator in standard.indicators]
    if not keys or len(set(keys)) != len(keys):
        raise StandardFileError(say("contract.standard_indicators", source=standard.source))
    if standard.first_year > standard.last_year:
        raise StandardFileError(say("contract.standard_years_reversed", source=standard.source))
    ceiling = standard.average_income_ceiling
    if ceiling and any(ceiling[area] <= standard.income_threshold[area] for area in AREAS):
        raise StandardFileError(say("contract.standard_ceiling", source=standard.source))


def _check_no_overlap(standards: list[Standard]) -> None:
    for earlier, later in zip(standards, standards[1:]):
        if later.first_year <= earlier.last_year:
            raise StandardFileError(say("contract.standards_overlap", earlier=earlier.source, later=later.source))
