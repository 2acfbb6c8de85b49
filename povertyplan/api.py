"""The library's entry points: check a workbook, generate its plan. The CLI only calls these."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputProblem, Problem
from .figures import Figures, compute_figures
from .model import Workbook
from .output import plan_filename, write_atomically
from .workbook import read_workbook


@dataclass(frozen=True)
class CheckResult:
    workbook: Workbook
    figures: Figures

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.workbook.warnings


@dataclass(frozen=True)
class PlanResult:
    output: Path
    kept: Path | None
    warnings: tuple[Problem, ...]


def prepare_folder(folder: Path) -> Path:
    """Create the output folder if needed (an official expects `-o ke-hoach-2024` to just work)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputProblem(f'Không tạo được thư mục "{folder}" ({error.strerror or error}). Chọn thư mục khác.') from None
    return folder


def check(path: str | os.PathLike) -> CheckResult:
    """Read and validate the workbook and compute its figures; write nothing."""
    workbook = read_workbook(path)
    return CheckResult(workbook, compute_figures(workbook))


def generate(path: str | os.PathLike, output_dir: str | os.PathLike, template: str | os.PathLike | None = None) -> PlanResult:
    """Write the plan of the workbook at `path` into `output_dir`; keep any previous plan.

    Raises a PlanError subclass (nothing written) when the workbook, template or target is unusable.
    """
    from .compose import compose
    from .layout import write_docx  # python-docx is loaded only when a plan is written

    workbook = read_workbook(path)
    plan = compose(workbook, Path(template) if template else None)
    target = prepare_folder(Path(output_dir)) / plan_filename(workbook.info)
    kept = write_atomically(target, lambda stream: write_docx(plan, stream))
    return PlanResult(target, kept, workbook.warnings)
