"""The library's entry points: check a workbook, generate its plan, write a blank workbook.

Each runs the flow once, stage after stage: read and validate (`validate.workbook`), aggregate
(`aggregate`), compose (`compose`), render (`render`), write (`write`). The CLI only calls these
and prints what they return.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
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
from povertyplan.write import pdf as pdf_output
from povertyplan.write.files import prepare_folder, remove_kept_copies, write_new, write_set
from povertyplan.write.names import plan_filename, review_filename, summary_filename
from povertyplan.write.pdf import PdfUnavailable


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
        assigned = say(
            "api.assigned_target",
            commune=self.workbook.info.name,
            target=figures.assigned_target,
            rate=figures.assigned_rate,
        )
        return "\n".join([tables.plain_text(tables.target_table(figures)), "  " + assigned, *proposal_lines(figures)])


@dataclass(frozen=True)
class PlanResult:
    """`review`: the review list written beside the plan (None without register data). It holds
    personal data, so only its last version is kept: `review_removed` previous versions were
    deleted, `review_not_removed` could not be (open in Excel, or not permitted).

    `pdf`: the plan as PDF/A, when asked for and made; `pdf_kept`: the previous PDF, kept under
    another name (also when no new one was made: it would not match the new plan); `pdf_problem`:
    why the PDF asked for was not made. `summary`: the plan's line in a batch's summary
    (`write_summary`).
    """

    output: Path
    kept: Path | None
    warnings: tuple[Problem, ...]
    review: Path | None = field(default=None)
    review_removed: int = field(default=0)
    review_not_removed: tuple[Path, ...] = field(default=())
    pdf: Path | None = field(default=None)
    pdf_kept: Path | None = field(default=None)
    pdf_problem: str | None = field(default=None)
    summary: CommuneRow | None = field(default=None)


@dataclass(frozen=True)
class PlanFiles:
    """A plan made but not written yet: its files' contents and names. Picklable: with `--pdf`, a
    batch's workers make it, and the parent writes it once LibreOffice has made every PDF."""

    output: Path
    plan: bytes
    warnings: tuple[Problem, ...]
    review: Path | None = None
    review_data: bytes | None = None
    summary: CommuneRow | None = None

    @property
    def pdf(self) -> Path:
        """Where the plan's PDF goes: beside it, under the same name."""
        return self.output.with_suffix(".pdf")


def check(path: str | os.PathLike) -> CheckResult:
    """Read and validate the workbook, propose the split of its assigned targets (used when its
    unit targets are blank) and compute its figures; write nothing."""
    workbook, splits = propose_targets(read_workbook(path))
    return CheckResult(workbook, compute_figures(workbook, splits), assess(workbook))


def generate(
    path: str | os.PathLike,
    output_dir: str | os.PathLike,
    template: str | os.PathLike | None = None,
    exclusive: Callable[[Path], AbstractContextManager] = batch.exclusive,
    pdf: bool = False,
) -> PlanResult:
    """Write the plan of the workbook at `path` into `output_dir`; keep any previous plan.

    When the register carries income, deprivation indicators or registrations to leave poverty,
    the review list (`write.names.review_filename`, internal: it holds personal data) is written
    beside the plan (its previous versions deleted: it holds personal data); with `pdf`, also the
    plan as PDF/A (`to_pdf`); all as one set (`write_plan`).
    Raises a PlanError subclass (nothing written) when the workbook, template or target is
    unusable; a PDF that could not be made is only told in `PlanResult.pdf_problem`.
    """
    files = make(path, output_dir, template)
    if not pdf:
        return write_plan(files, exclusive=exclusive)
    try:
        (made,) = to_pdf([files])
    except PdfUnavailable as error:
        made = error.message
    return write_plan(files, made, exclusive=exclusive)


def make(
    path: str | os.PathLike, output_dir: str | os.PathLike, template: str | os.PathLike | None = None
) -> PlanFiles:
    """The plan of the workbook at `path` and its review list, made for `output_dir` but not written."""
    checked = check(path)
    workbook, assessment = checked.workbook, checked.assessment
    plan = compose(workbook, checked.figures, assessment, Path(template) if template else None)
    target = Path(output_dir) / plan_filename(workbook.info)
    review_data = _review_bytes(workbook, assessment)
    review = target.with_name(review_filename(workbook.info)) if review_data is not None else None
    summary = commune_row(workbook, checked.figures, Path(path).name)
    return PlanFiles(target, docx_bytes(plan), checked.warnings, review, review_data, summary)


def to_pdf(plans: Sequence[PlanFiles]) -> list[bytes | str]:
    """Each plan as PDF/A (LibreOffice: one process for a few plans, one per core for many), or the
    message saying why it was not made. Raise PdfUnavailable when LibreOffice is not installed."""
    return pdf_output.convert([(files.output.name, files.plan) for files in plans], batch.usable_cores())


def require_libreoffice() -> None:
    """Raise PdfUnavailable, saying how to install LibreOffice, when `to_pdf` would not find it."""
    pdf_output.require_soffice()


def write_plan(
    files: PlanFiles,
    pdf: bytes | str | None = None,
    exclusive: Callable[[Path], AbstractContextManager] = batch.exclusive,
) -> PlanResult:
    """Write the plan, its review list and its PDF (`pdf`: its bytes, or why it was not made) as one set.

    Either all are replaced, the previous versions kept under other names, or none is and an
    OutputProblem says why. A previous PDF is moved aside also when no new one comes: it would not
    match the new plan. `exclusive(plan)` is held meanwhile: by default `batch.exclusive`, the
    lock a batch's workers share (a no-op outside them).
    """
    prepare_folder(files.output.parent)
    pdf_data = pdf if isinstance(pdf, bytes) else None
    written = [(files.output, files.plan)]
    if files.review is not None:
        written.append((files.review, files.review_data))
    if pdf_data is not None or files.pdf.exists():
        written.append((files.pdf, pdf_data))
    with exclusive(files.output):
        kept = dict(zip((path for path, _ in written), write_set(written)))
        removed, not_removed = remove_kept_copies(files.review) if files.review is not None else (0, ())
    return PlanResult(
        files.output,
        kept[files.output],
        files.warnings,
        files.review,
        removed,
        not_removed,
        files.pdf if pdf_data is not None else None,
        kept.get(files.pdf),
        pdf if isinstance(pdf, str) else None,
        files.summary,
    )


def write_summary(
    rows: list[CommuneRow], failures: list[tuple[str, str]], output_dir: str | os.PathLike
) -> list[tuple[Path, Path | None]]:
    """Write the summary of a batch beside its plans: `tong-hop-<year>.xlsx` per plan year of
    `rows` (normally one), each listing the workbooks in error, `failures` (file name, first
    error). Written whole, a previous summary kept as a plan's is. Return each summary's
    path and its previous version's (or None); raise OutputProblem when one cannot be written."""
    from povertyplan.render.xlsx import workbook_bytes  # deferred: openpyxl's writing modules

    written = []
    folder = prepare_folder(Path(output_dir))
    for year in sorted({row.year for row in rows}):
        data = workbook_bytes(summary_workbook(year, [row for row in rows if row.year == year], failures))
        path = folder / summary_filename(year)
        written.append((path, write_set([(path, data)])[0]))
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
