"""A proposed split of the commune's assigned target across its units (issue 12).

The rule, as the README and the program's output state it:
- proportional to each unit's households at the start of the year (poor, or near-poor for the
  near-poor target), by the largest-remainder method, so the parts add up exactly to the target;
- never more than a unit's households; when the register has registrations to leave poverty
  (`Đăng ký thoát nghèo`) for the category, never more than a unit's registrations unless their
  total cannot meet the target: then every unit first gets all its registrations and the rest is
  split the same way within the households not registered;
- equal remainders go first to the unit with the higher rate (households ÷ all households), then
  to the unit listed first. Exact integer arithmetic: the same workbook always gives the same split.

`largest_remainder` and `split_target` are pure functions of counts; `propose_targets` applies
them to a validated workbook whose unit targets are blank.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from povertyplan.aggregate.assessment import registrations
from povertyplan.contract.model import Workbook
from povertyplan.contract.schema import UNITS
from povertyplan.errors import WARNING, Problem
from povertyplan.messages import say


@dataclass(frozen=True)
class Split:
    """A proposed split of `assigned` households across the units, in plan order.

    `starts`: each unit's households at the start of the year (the weights); `registered`: its
    registrations to leave poverty, or None when the register has none for this category;
    `beyond_registered`: the registrations could not meet the target, so some units got more;
    `typed`: the targets typed in `Chỉ tiêu`, or None when they were blank and the plan uses
    `targets`.
    """

    assigned: int
    units: tuple[str, ...]
    starts: tuple[int, ...]
    targets: tuple[int, ...]
    registered: tuple[int, ...] | None = None
    beyond_registered: bool = False
    typed: tuple[int, ...] | None = None

    @property
    def used(self) -> bool:
        """Whether the plan's unit targets are this proposal (none were typed)."""
        return self.typed is None


@dataclass(frozen=True)
class Splits:
    """The proposals of a workbook: for the poor and the near-poor target, each None when its
    assigned target is not given."""

    poor: Split | None = None
    near_poor: Split | None = None


def largest_remainder(total: int, weights: Sequence[int], caps: Sequence[int], households: Sequence[int]) -> list[int]:
    """Parts of `total` proportional to `weights`, each at most its cap, adding up to `total`.

    A unit whose proportional share reaches its cap gets the cap and the rest is shared again
    among the others (`_capped`). Each remaining share's whole part is given, then the seats left
    go to the largest remainders; equal remainders go to the higher rate `weights[i] /
    households[i]`, then to the lower index. Exact: remainders and rates are compared as
    integers and fractions. Requires 0 ≤ total ≤ the sum of the caps of the units with a
    positive weight, caps ≥ 0 and households > 0.
    """
    parts, active, left = _capped(total, weights, caps)
    weight = sum(weights[i] for i in active)
    remainders = {}
    for i in active:
        parts[i], remainders[i] = divmod(left * weights[i], weight)
    seats = left - sum(parts[i] for i in active)
    for i in sorted(active, key=lambda i: (-remainders[i], -Fraction(weights[i], households[i]), i))[:seats]:
        parts[i] += 1
    return parts


def _capped(total: int, weights: Sequence[int], caps: Sequence[int]) -> tuple[list[int], list[int], int]:
    """Give their caps to the units whose share of what is left reaches it, round after round:
    (the parts so far, the units still to share, what is left for them)."""
    parts = [0] * len(weights)
    active = [i for i in range(len(weights)) if weights[i] > 0 and caps[i] > 0]
    left = total
    while active:
        weight = sum(weights[i] for i in active)
        full = [i for i in active if left * weights[i] >= caps[i] * weight]  # share ≥ cap
        if not full:
            return parts, active, left
        for i in full:
            parts[i] = caps[i]
            left -= caps[i]
        active = [i for i in active if i not in full]
    if left:
        raise ValueError(f"{total} cannot be split within the caps {list(caps)}")
    return parts, active, left


def split_target(
    assigned: int, starts: Sequence[int], households: Sequence[int], registered: Sequence[int] | None = None
) -> tuple[list[int], bool]:
    """The proposed targets of `assigned` across units with `starts` households at the start of
    the year and, when the register has them, `registered` registrations to leave poverty; and
    whether the registrations fell short, so that some units got more than their registrations.
    Requires 0 ≤ assigned ≤ sum(starts)."""
    if registered is None:
        return largest_remainder(assigned, starts, starts, households), False
    firm = [min(count, start) for count, start in zip(registered, starts)]
    if sum(firm) >= assigned:
        return largest_remainder(assigned, starts, firm, households), False
    room = [start - count for start, count in zip(starts, firm)]
    extra = largest_remainder(assigned - sum(firm), starts, room, households)
    return [count + more for count, more in zip(firm, extra)], True


@dataclass(frozen=True)
class _Category:
    """Where one category's figures are: its `Splits` field, its assigned target in `GeneralInfo`,
    its columns of the units, its part of `assessment.registrations`."""

    name: str
    assigned: str
    start: str
    target: str
    part: int


_CATEGORIES = (
    _Category("poor", "assigned_target", "poor_start", "target", 0),
    _Category("near_poor", "assigned_near_poor_target", "near_poor_start", "near_poor_target", 1),
)


def propose_targets(workbook: Workbook) -> tuple[Workbook, Splits]:
    """The proposals for `workbook`'s assigned targets, and the workbook the plan is made from.

    A category's proposal exists when its assigned target is given (validation has checked it
    can be split). When every unit's target of that category is blank, the plan uses the
    proposal: the returned workbook's units carry it, with a warning saying so and how. When the
    typed targets add up to less than the assigned one, a warning shows the proposal as the fix.
    """
    units, warnings, found = workbook.units, list(workbook.warnings), {}
    registered = registrations(workbook.register, units)
    for category in _CATEGORIES:
        assigned = getattr(workbook.info, category.assigned)
        counts = None if registered is None else registered[category.part]
        split = None if assigned is None else _split(assigned, units, category, counts, workbook.register is not None)
        if split is None:
            continue
        found[category.name] = split
        if split.used:
            units = units.assign(**{category.target: np.array(split.targets, dtype="int64")})
        warnings += _warnings(category, split)
    if not found:
        return workbook, Splits()
    return dataclasses.replace(workbook, units=units, warnings=tuple(warnings)), Splits(**found)


def _split(
    assigned: int, units: pd.DataFrame, category: _Category, registered: np.ndarray | None, counted: bool
) -> Split | None:
    """The proposal for one category, or None when its start counts are not all known or fall
    short of `assigned` (validation has then warned that the units cannot meet it). `counted`:
    the register is there, so a unit it gives no household of the category starts with 0."""
    starts = pd.to_numeric(units[category.start], errors="coerce")
    starts = starts.fillna(0) if counted else starts
    if starts.isna().any() or assigned > starts.sum():
        return None
    starts = [int(value) for value in starts]
    counts = None if registered is None or not registered.any() else tuple(int(value) for value in registered)
    targets, beyond = split_target(assigned, starts, [int(value) for value in units["households"]], counts)
    typed = pd.to_numeric(units[category.target], errors="coerce")
    typed_targets = None if typed.isna().all() else tuple(int(value) for value in typed.fillna(0))
    return Split(assigned, tuple(units["unit"]), tuple(starts), tuple(targets), counts, beyond, typed_targets)


def listed(split: Split) -> str:
    """The proposal as one line: ``Khu phố 1: 1, Khu phố 3: 2`` (units with a target of 0 left out)."""
    parts = [f"{unit}: {target}" for unit, target in zip(split.units, split.targets) if target]
    return ", ".join(parts) or say("aggregate.split_all_zero")


def rule(name: str) -> str:
    """The rule of the split in words, for the poor (`name` ``poor``) or the near-poor target."""
    if name == "poor":
        return say("aggregate.split_rule", category=say("aggregate.split_category_poor"))
    return say("aggregate.split_rule", category=say("aggregate.split_category_near_poor"))


def _warnings(category: _Category, split: Split) -> list[Problem]:
    """That the plan uses the proposal, and how; or that the typed targets fall short of the
    assigned one, with the proposal as the fix; or nothing."""
    column = UNITS.column(category.target).name
    if split.used:
        short = ""
        if split.beyond_registered:
            short = say("aggregate.split_beyond_registered", registered=sum(split.registered))
        text = say(
            "aggregate.split_used",
            column=column,
            assigned=split.assigned,
            parts=listed(split),
            rule=rule(category.name),
            short=short,
        )
        return [Problem("split_used", text, sheet=UNITS.name, column=column, severity=WARNING)]
    if sum(split.typed) < split.assigned:
        text = say(
            "aggregate.split_targets_below_assigned",
            total=sum(split.typed),
            assigned=split.assigned,
            parts=listed(split),
        )
        return [Problem("targets_below_assigned", text, sheet=UNITS.name, column=column, severity=WARNING)]
    return []
