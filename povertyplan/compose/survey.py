"""Template variables from an `Assessment`: the deprivation figures and registrations the plan may state.

Each function returns None when its data is absent, so the template's ``{% if %}`` leaves the plan
exactly as it is without the data. Only counts (each a `Count`, printed ``2.452``) and unit names,
never a household's data.
"""

from __future__ import annotations

from povertyplan.aggregate.assessment import Assessment
from povertyplan.contract.schema import NEAR_POOR, POOR
from povertyplan.contract.vnformat import Count, lowercase_first

# How many indicators the plan names as the ones most lacking.
MAIN_INDICATORS = 4


def deprivation_context(assessment: Assessment) -> dict | None:
    """``poor``, ``near_poor`` (households), ``decree``, ``indicators`` (each: ``key, number,
    name, dimension, poor, near_poor, total``, in the decree's order), ``main`` (the indicators
    lacked by most poor households, at most MAIN_INDICATORS, none lacked by nobody) and
    ``by_key`` (the same entries by indicator key, e.g. ``by_key.health_insurance``)."""
    table = assessment.deprivations
    if table is None or assessment.standard is None:
        return None
    indicators = []
    for indicator in assessment.standard.indicators:
        poor, near_poor = (Count(table[f"{category}_{indicator.key}"].sum()) for category in (POOR, NEAR_POOR))
        indicators.append(
            {
                "key": indicator.key,
                "number": indicator.number,
                "name": lowercase_first(indicator.name),
                "dimension": indicator.dimension,
                "poor": poor,
                "near_poor": near_poor,
                "total": poor + near_poor,
            }
        )
    lacked = [entry for entry in indicators if entry["total"]]
    main = sorted(lacked, key=lambda entry: (-entry["poor"], -entry["total"], entry["number"]))[:MAIN_INDICATORS]
    return {
        "poor": Count(table[POOR].sum()),
        "near_poor": Count(table[NEAR_POOR].sum()),
        "decree": assessment.standard.decree,
        "indicators": indicators,
        "main": main,
        "by_key": {entry["key"]: entry for entry in indicators},
    }


def leaving_context(assessment: Assessment) -> dict | None:
    """``registered`` (poor households registered to leave poverty), ``near_poor_registered``,
    ``target`` (sum of the units' targets), ``short`` (households missing against the targets)
    and ``short_units`` (names of the units with fewer registrations than their target)."""
    table = assessment.leaving
    if table is None:
        return None
    return {
        "registered": Count(table["poor_registered"].sum()),
        "near_poor_registered": Count(table["near_poor_registered"].sum()),
        "target": Count(table["target"].sum()),
        "short": Count(table["short"].sum()),
        "short_units": [str(unit) for unit in table.loc[table["short"] > 0, "unit"]],
    }
