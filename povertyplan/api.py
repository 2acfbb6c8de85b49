"""The library's entry points: check a workbook, generate its plan, write a blank workbook. The CLI only calls these."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from povertyplan import batch
from povertyplan.aggregate.assessment import Assessment, assess
from povertyplan.errors import OutputProblem, Problem
from povertyplan.aggregate.figures import Figures, compute_figures
from povertyplan.contract.model import Workbook
from povertyplan.messages import say
from povertyplan.write.files import plan_filename, write_atomically
from povertyplan.validate.workbook import read_workbook


@dataclass(frozen=True)
class CheckResult:
    """`assessment`: the register under the poverty standard (classes, deprivations, registrations)."""

    workbook: Workbook
    figures: Figures
    assessment: Assessment

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.workbook.warnings + self.assessment.warnings


@dataclass(frozen=True)
class PlanResult:
    """`review`: the review list written beside the plan (None without register data), `review_kept` its previous version."""

    output: Path
    kept: Path | None
    warnings: tuple[Problem, ...]
    review: Path | None = field(default=None)
    review_kept: Path | None = field(default=None)


def prepare_folder(folder: Path) -> Path:
    """Create the output folder if needed (an official expects `-o ke-hoach-2024` to just work)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputProblem(say("write.folder_not_created", folder=folder, reason=error.strerror or error)) from None

    return folder


def check(path: str | os.PathLike) -> CheckResult:
    """Read and validate the workbook and compute its figures; write nothing."""
    workbook = read_workbook(path)
    return CheckResult(workbook, compute_figures(workbook), assess(workbook))


def generate(path: str | os.PathLike, output_dir: str | os.PathLike, template: str | os.PathLike | None = None, exclusive: Callable[[Path], AbstractContextManager] = batch.exclusive) -> PlanResult:
    """Write the plan of the workbook at `path` into `output_dir`; keep any previous plan.

    When the register carries income, deprivation indicators or registrations to leave poverty,
    the review list (`review.review_filename`, internal: it holds personal data) is written beside
    the plan, also atomically. Raises a PlanError subclass (nothing written) when the workbook,
    template or target is unusable. `exclusive(target)` is held while each file replaces its
    previous version: by default `batch.exclusive`, the lock a batch's workers share (a no-op
    outside them).
    """
    from povertyplan.compose.plan import compose
    from povertyplan.render.layout import write_docx  # python-docx is loaded only when a plan is written

    workbook = read_workbook(path)
    assessment = assess(workbook)
    plan = compose(workbook, Path(template) if template else None, assessment)
    sheets = _review_sheets(workbook, assessment)
    target = prepare_folder(Path(output_dir)) / plan_filename(workbook.info)
    with exclusive(target):
        kept = write_atomically(target, lambda stream: write_docx(plan, stream))
    warnings = workbook.warnings + assessment.warnings
    if sheets is None:
        return PlanResult(target, kept, warnings)
    from povertyplan.compose.review import review_filename, write_review

    review = target.with_name(review_filename(workbook.info))
    with exclusive(review):
        review_kept = write_atomically(review, lambda stream: write_review(sheets, stream))
    return PlanResult(target, kept, warnings, review, review_kept)


def _review_sheets(workbook: Workbook, assessment: Assessment):
    """The review list's sheets, or None when the register has no data to review.

    The review module (and its .xlsx writer) is imported only then: a plan without a review list
    (the example ward's) does not pay for importing them.
    """
    if not assessment.has_data:
        return None
    from povertyplan.compose.review import review_sheets

    return review_sheets(workbook, assessment)


def new_workbook(path: str | os.PathLike, year: int | None = None) -> Path:
    """Write the blank standard workbook for plan `year` (default: this year) to `path`; never overwrite."""
    from povertyplan.compose.blank import write_blank_workbook

    return write_blank_workbook(path, year or dt.date.today().year)
