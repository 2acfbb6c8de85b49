"""What a valid workbook says, as plain data: the input of every computation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from povertyplan.errors import Problem


@dataclass(frozen=True)
class GeneralInfo:
    """The sheet `Thông tin chung`, validated, with defaults applied.

    `level` is the key of `schema.LEVELS` (``"phường"``); `unit_word` is what the residential
    units are called (``"Khu phố"``); `authority_lines` are ô 7's lines, already derived.
    """

    level: str
    name: str
    year: int
    signer: str
    signer_title: str
    authority_lines: tuple[str, ...]
    place: str
    unit_word: str
    standard_period: str
    province: str = ""
    parent_agency: str = ""
    number: int | None = None
    date: dt.date | None = None
    bases: tuple[str, ...] = ()
    assigned_target: int | None = None
    assigned_near_poor_target: int | None = None
    campaign: str = ""


@dataclass(frozen=True)
class Assignment:
    """One steering-committee member and the units they answer for (as written, and parsed)."""

    member: str
    position: str
    units_text: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class Workbook:
    """A validated workbook.

    `units`: one row per unit in plan order, columns ``unit, households, poor_start, target,
    near_poor_start, near_poor_target, row`` (counts as int64; near-poor columns may be missing
    values, and so may `target`, for every unit, when the assigned target is to be split).
    `register`: one row per household, columns ``code, head, unit, category, row`` plus any
    optional columns, or None when the sheet is absent. `warnings`: problems that do not stop
    the plan.
    """

    info: GeneralInfo
    units: pd.DataFrame
    register: pd.DataFrame | None
    assignments: tuple[Assignment, ...]
    recipients: tuple[str, ...]
    warnings: tuple[Problem, ...] = field(default=())
