"""The library's entry points: check a workbook, generate its plan, write a blank workbook.

Each runs the flow once, stage after stage: read and validate (`validate.workbook`), aggregate
(`aggregate`), compose (`compose`), render (`render`), write (`write`). The CLI only calls these
and prints what they return.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from povertyplan import batch
from povertyplan.aggregate.assessment import Assessment, assess
from povertyplan.aggregate.figures import Figures, compute_figures
from povertyplan.aggregate.split import propose_targets
from povertyplan.compose import tables, templating
from povertyplan.compose.blank import blank_workbook
from povertyplan.compose.plan import compose
from povertyplan.compose.proposal import proposal_lines
from povertyplan.compose.summary import CommuneRow, commune_row, summary_workbook
from povertyplan.contract.model import Workbook
from povertyplan.errors import Problem, UsageError
from povertyplan.messages import say
from povertyplan.render.layout import docx_bytes
from povertyplan.validate.workbook import read_workbook
from povertyplan.write.files import prepare_folder, write_atomically, write_new
from povertyplan.write.names import plan_filename, review_filename, summary_filename


@dataclass(frozen=True)
class CheckResult:
    """`assessment`: the register under the poverty standard (classes, deprivations, registrations)."""

    workbook: Workbook
    figures: Figures
    assessment: Assessment

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.workbook.warnings + self.assessment.warnings

    @property
    def report(self) -> str:
        """The computed target table and the assigned target, as `--check` prints them."""
        figures = self.figures
        assigned = say("api.assigned_target", commune=self.workbook.info.name, target=figures.assigned_target,
                       rate=figures.assigned_rate)
        return "\n".join([tables.plain_text(tables.target_table(figures)), "  " + assigned, *proposal_lines(figures)])


@dataclass(frozen=True)
class PlanResult:
    """`review`: the review list written beside the plan (None without register data), `review_kept` its previous version.
    `summary`: the plan's line in a batch's summary (`write_summary`)."""

    output: Path
    kept: Path | None
    warnings: tuple[Problem, ...]
    review: Path | None = field(default=None)
    review_kept: Path | None = field(default=None)
    summary: CommuneRow | None = field(default=None)


def check(path: str | os.PathLike) -> CheckResult:
    """Read and validate the workbook, propose the split of its assigned targets (used when its
    unit targets are blank) and compute its figures; write nothing."""
    workbook, splits = propose_targets(read_workbook(path))
    return CheckResult(workbook, compute_figures(workbook, splits), assess(workbook))


def generate(path: str | os.PathLike, output_dir: str | os.PathLike, template: str | os.PathLike | None = None,
             exclusive: Callable[[Path], AbstractContextManager] = batch.exclusive) -> PlanResult:
    """Write the plan of the workbook at `path` into `output_dir`; keep any previous plan.

    When the register carries income, deprivation indicators or registrations to leave poverty,
    the review list (`write.names.review_filename`, internal: it holds personal data) is written
    beside the plan, also atomically. Raises a PlanError subclass (nothing written) when the
    workbook, template or target is unusable. `exclusive(target)` is held while each file replaces
    its previous version: by default `batch.exclusive`, the lock a batch's workers share (a no-op
    outside them).
    """
    checked = check(path)
    workbook, assessment = checked.workbook, checked.assessment
    plan = compose(workbook, checked.figures, assessment, Path(template) if template else None)
    plan_data = docx_bytes(plan)
    review_data = _review_bytes(workbook, assessment)
    summary = commune_row(workbook, checked.figures, Path(path).name)
    target = prepare_folder(Path(output_dir)) / plan_filename(workbook.info)
    with exclusive(target):
        kept = write_atomically(target, lambda stream: stream.write(plan_data))
    if review_data is None:
        return PlanResult(target, kept, checked.warnings, summary=summary)
    review = target.with_name(review_filename(workbook.info))
    with exclusive(review):
        review_kept = write_atomically(review, lambda stream: stream.write(review_data))
    return PlanResult(target, kept, checked.warnings, review, review_kept, summary)


def write_summary(rows: list[CommuneRow], failures: list[tuple[str, str]],
                  output_dir: str | os.PathLike) -> list[tuple[Path, Path | None]]:
    """Write the summary of a batch beside its plans: `tong-hop-<year>.xlsx` per plan year of
    `rows` (normally one), each listing the workbooks in error, `failures` (file name, first
    error). Written atomically, a previous summary kept as a plan's is. Return each summary's
    path and its previous version's (or None); raise OutputProblem when one cannot be written."""
    from povertyplan.render.xlsx import workbook_bytes  # deferred: openpyxl's writing modules

    written = []
    folder = prepare_folder(Path(output_dir))
    for year in sorted({row.year for row in rows}):
        data = workbook_bytes(summary_workbook(year, [row for row in rows if row.year == year], failures))
        path = folder / summary_filename(year)
        written.append((path, write_atomically(path, lambda stream: stream.write(data))))
    return written


def _review_bytes(workbook: Workbook, assessment: Assessment) -> bytes | None:
    """The review list's .xlsx, or None when the register has no data to review."""
    if not assessment.has_data:
        return None
    # Deferred: openpyxl's writing modules, which a plan without a review list (the example
    # ward's) does not need.
    from povertyplan.compose.review import review_workbook
    from povertyplan.render.xlsx import workbook_bytes

    return workbook_bytes(review_workbook(workbook, assessment))


def new_workbook(path: str | os.PathLike, year: int | None = None) -> Path:
    """Write the blank standard workbook for plan `year` (default: this year) to `path`; never overwrite.

    Raise UsageError for a path that is not .xlsx or a year without a poverty standard, and
    OutputProblem when the file exists or cannot be written.
    """
    from povertyplan.render.xlsx import workbook_bytes  # deferred: openpyxl's writing modules

    path = Path(path)
    year = year or dt.date.today().year
    if path.suffix.lower() != ".xlsx":
        raise UsageError(say("api.not_xlsx_name", name=path.name, year=year))
    return write_new(path, workbook_bytes(blank_workbook(year)))


def warm_up(template: str | os.PathLike | None = None) -> None:
    """Load what every plan needs before a batch forks its worker processes, so that they share
    it instead of each loading it: the template compiled, the review list's writer imported.
    Only a saving: a problem is left for the workers to report."""
    from povertyplan.compose.review import review_workbook  # noqa: F401  (deferred above: openpyxl's writer)

    templating.precompile(Path(template) if template else None)
