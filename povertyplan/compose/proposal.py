"""The proposed splits of the assigned targets as `--check` prints them: a table of each unit's
households at the start, registrations, typed and proposed targets and their differences, and the
rule. Pure: figures in, lines of text out."""

from __future__ import annotations

from povertyplan.aggregate.figures import Figures
from povertyplan.aggregate.split import Split, rule
from povertyplan.compose.tables import aligned_text
from povertyplan.contract.vnformat import format_count
from povertyplan.messages import say


def proposal_lines(figures: Figures) -> list[str]:
    """For each proposed split: a heading, its table and its rule (nothing without a proposal)."""
    lines = []
    for name, split in (("poor", figures.splits.poor), ("near_poor", figures.splits.near_poor)):
        if split is None:
            continue
        lines.append("  " + _heading(name, split))
        lines.append(aligned_text(split_rows(name, split)))
        lines.append("  " + say("compose.split_rule_line", rule=rule(name)))
    return lines


def _heading(name: str, split: Split) -> str:
    """What the table shows: the plan's targets, proposed; or a proposal beside the typed ones."""
    if name == "poor" and split.used:
        return say("compose.split_used_poor", assigned=split.assigned)
    if name == "poor":
        return say("compose.split_beside_poor", assigned=split.assigned)
    if split.used:
        return say("compose.split_used_near_poor", assigned=split.assigned)
    return say("compose.split_beside_near_poor", assigned=split.assigned)


def split_rows(name: str, split: Split) -> list[tuple[str, ...]]:
    """Header, one row per unit and the `Cộng` row: TT, unit, start, [registered], [typed],
    proposed, [difference = proposed − typed]."""
    start = say("compose.split_column_poor_start") if name == "poor" else say("compose.split_column_near_poor_start")
    header = [say("compose.split_column_number"), say("compose.split_column_unit"), start]
    columns = [split.starts]
    if split.registered is not None:
        header.append(say("compose.split_column_registered"))
        columns.append(split.registered)
    if split.typed is not None:
        header.append(say("compose.split_column_typed"))
        columns.append(split.typed)
    header.append(say("compose.split_column_proposed"))
    columns.append(split.targets)
    if split.typed is not None:
        header.append(say("compose.split_column_difference"))
        columns.append(tuple(proposed - typed for proposed, typed in zip(split.targets, split.typed)))
    signed = len(columns) - 1 if split.typed is not None else None
    rows = [tuple(header)]
    for number, unit, *values in zip(range(1, len(split.units) + 1), split.units, *columns):
        rows.append((str(number), unit, *_cells(values, signed)))
    rows.append(("", say("compose.split_total"), *_cells([sum(column) for column in columns], signed)))
    return rows


def _cells(values: list[int], signed: int | None) -> list[str]:
    """Counts as text; the difference (at index `signed`) with its sign: ``+1``, ``-1``, ``0``."""
    return [
        (f"{value:+d}" if value else "0") if index == signed else format_count(value)
        for index, value in enumerate(values)
    ]
