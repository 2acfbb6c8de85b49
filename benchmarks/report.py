"""Turn measurements into the Markdown table, and keep labelled blocks of it in RESULTS.md."""

from __future__ import annotations

import re
import shlex
import statistics
from dataclasses import dataclass
from pathlib import Path

from measure import OUT, Measurement


@dataclass(frozen=True)
class Target:
    """The issue's target for one command: a ratio to its floor, a memory cap, a throughput.

    `binding` is False where the issue sets the target only for another size (1M): the row then
    shows it as a guide, in parentheses.
    """

    max_ratio: float | None = None
    max_mb: float | None = None
    min_rate: float | None = None  # plans per second
    binding: bool = True

    def describe(self) -> str:
        parts = [
            f"≤ {self.max_ratio}× floor" if self.max_ratio else "",
            f"≤ {self.max_mb} MB" if self.max_mb else "",
            f"≥ {self.min_rate} plans/s" if self.min_rate else "",
        ]
        text = ", ".join(part for part in parts if part)
        return text if self.binding else f"({text}; set for 1M)"

    def met(self, ratio: float | None, peak_mb: float, rate: float | None) -> bool:
        return (
            (self.max_ratio is None or (ratio is not None and ratio <= self.max_ratio))
            and (self.max_mb is None or peak_mb <= self.max_mb)
            and (self.min_rate is None or (rate is not None and rate >= self.min_rate))
        )


@dataclass(frozen=True)
class Case:
    """One measured command: `argv` follows the interpreter; `floor` names the case it is compared to."""

    key: str
    argv: tuple[str, ...]
    needs: tuple[Path, ...] = ()
    floor: str | None = None
    target: Target | None = None
    env: tuple[tuple[str, str], ...] = ()  # variables set for this command
    rate: bool = False  # show plans per second even without a target for it

    def shown(self) -> str:
        variables = "".join(f"{name}={shlex.quote(value)} " for name, value in self.env)
        return variables + "python " + " ".join(shlex.quote(arg) if arg != OUT else "OUT" for arg in self.argv)


@dataclass
class Result:
    """All runs of one case; figures come from the successful ones (median wall, highest peak)."""

    case: Case
    runs: list[Measurement]

    @property
    def good(self) -> list[Measurement]:
        return [run for run in self.runs if run.ok]

    @property
    def failure(self) -> Measurement | None:
        return next((run for run in self.runs if not run.ok), None)

    @property
    def wall(self) -> float | None:
        return statistics.median(run.wall for run in self.good) if self.good else None

    @property
    def peak_mb(self) -> float | None:
        return max(run.peak_mb for run in self.good) if self.good else None

    @property
    def rate(self) -> float | None:
        return self.good[0].plans / self.wall if self.good and self.wall else None


HEADER = ("case", "wall s", "peak MB", "floor", "ratio", "target", "met?")


def table(results: dict[str, Result]) -> str:
    """The Markdown table, one row per case in the order run."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for result in results.values():
        floor = results.get(result.case.floor) if result.case.floor else None
        lines.append("| " + " | ".join(_row(result, floor)) + " |")
    return "\n".join(lines)


def _row(result: Result, floor: Result | None) -> tuple[str, ...]:
    case, target = result.case, result.case.target
    floor_text = f"{floor.case.key} ({floor.wall:.2f} s)" if floor and floor.wall else "—"
    if result.wall is None:
        failure = result.failure
        wall = f"> {failure.wall:.0f}" if failure.timed_out else f"failed (exit {failure.exit_code})"
        ratio = f"> {failure.wall / floor.wall:.1f}×" if failure.timed_out and floor and floor.wall else "—"
        peak = f"≥ {failure.peak_mb:.0f}" if failure.timed_out else "—"  # the peak until it was killed
        return (case.key, wall, peak, floor_text, ratio, target.describe() if target else "—", _met(target, False))
    ratio = result.wall / floor.wall if floor and floor.wall else None
    rate = result.rate if target and target.min_rate or case.rate else None
    ratio_text = f"{ratio:.2f}×" if ratio else "—"
    if rate is not None:
        ratio_text = f"{rate:.1f} plans/s ({_written(result.good[0])})" + (f", {ratio_text}" if ratio else "")
    met = target.met(ratio, result.peak_mb, rate) if target else None
    return (
        case.key,
        f"{result.wall:.2f}",
        f"{result.peak_mb:.0f}",
        floor_text,
        ratio_text,
        target.describe() if target else "—",
        _met(target, met),
    )


def _written(run: Measurement) -> str:
    return f"{run.plans} plans" + (f", {run.pdfs} PDFs" if run.pdfs else "")


def _met(target: Target | None, met: bool | None) -> str:
    if target is None or met is None:
        return "—"
    word = "yes" if met else "no"
    return word if target.binding else f"({word})"


def commands(results: dict[str, Result]) -> str:
    """The exact commands, run from the repository root; OUT is a fresh empty folder per run."""
    return "\n".join(f"- {result.case.key}: `{result.case.shown()}`" for result in results.values())


def failures(results: dict[str, Result]) -> str:
    """The exit code and last output lines of each case that failed or timed out, or ''."""
    blocks = []
    for result in results.values():
        failure = result.failure
        if failure is None:
            continue
        what = f"timed out after {failure.wall:.0f} s" if failure.timed_out else f"exit code {failure.exit_code}"
        lines = "\n".join(f"    {line}" for line in failure.tail) or "    (no output)"
        blocks.append(
            f"- {result.case.key}: {what}, {len(result.good)}/{len(result.runs)} runs succeeded; last lines:\n{lines}"
        )
    return "\n".join(blocks)


def block(
    label: str, when: str, invocation: str, facts: dict[str, str], results: dict[str, Result], failed: str
) -> str:
    """One labelled section of RESULTS.md: when, where, how, the table, the commands, the
    failures (`failed`: what `failures` gives)."""
    machine = "\n".join(f"- {name}: {value}" for name, value in facts.items())
    parts = [
        f"### {label}",
        f"Measured {when} with `{invocation}`.",
        machine,
        table(results),
        "Commands (from the repository root; OUT is a fresh empty folder for each run):\n\n" + commands(results),
    ]
    if failed:
        parts.append("Failures:\n\n" + failed)
    return "\n\n".join(parts)


def write_block(path: Path, label: str, text: str) -> None:
    """Put `text` between this label's markers in `path`: replace that block, or append it."""
    begin, end = f"<!-- run.py:begin {label} -->", f"<!-- run.py:end {label} -->"
    wrapped = f"{begin}\n{text}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: wrapped, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + wrapped + "\n"
    path.write_text(updated, encoding="utf-8")
