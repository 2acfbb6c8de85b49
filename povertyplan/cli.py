"""The command line: parse options, call the library, print results in Vietnamese, set the exit code.

Exit codes: 0 success; 1 a workbook (or the template, or the output) has problems, all listed, or a
folder holds no workbook;
2 a bad command line.
"""

from __future__ import annotations

import argparse
import functools
import stat
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from povertyplan import api
from povertyplan import batch
from povertyplan.arguments import Parser
from povertyplan.compose.summary import CommuneRow, repeated
from povertyplan.errors import PlanError, Problem, UsageError, WorkbookInvalid
from povertyplan.messages import say

# Run from the project folder (generate.py), inputs/ and outputs/ are its own; installed with pip
# (the `povertyplan` command), they are those of the folder it is run in.
_CHECKOUT = Path(__file__).resolve().parent.parent
PROJECT = _CHECKOUT if (_CHECKOUT / "generate.py").exists() else Path.cwd()
INPUTS = PROJECT / "inputs"
OUTPUTS = PROJECT / "outputs"
POOL_FROM = 4  # workbooks from which a run starts worker processes (fewer run faster in this one)
PROGRESS_FROM = 10  # workbooks above which a terminal shows a progress bar


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python generate.py",
        description=say("cli.help_description"),
        epilog=say("cli.help_epilog"),
    )
    parser.add_argument("workbooks", nargs="*", metavar=say("cli.metavar_workbooks"), help=say("cli.help_workbooks"))
    parser.add_argument("-o", "--output-dir", metavar=say("cli.metavar_output_dir"), help=say("cli.help_output_dir"))
    parser.add_argument("--check", action="store_true", help=say("cli.help_check"))
    parser.add_argument("--template", metavar=say("cli.metavar_template"), help=say("cli.help_template"))
    parser.add_argument("--new-workbook", metavar=say("cli.metavar_new_workbook"), help=say("cli.help_new_workbook"))
    parser.add_argument("--pdf", action="store_true", help=say("cli.pdf_help"))
    parser.add_argument("--year", type=int, metavar=say("cli.metavar_year"), help=say("cli.help_year"))
    parser.add_argument("--no-summary", action="store_true", help=say("cli.summary_option_help"))
    return parser


def check_options(options) -> None:
    """Refuse option combinations that make no sense (exit 2)."""
    if options.year is not None and not options.new_workbook:
        raise UsageError(say("cli.year_without_new_workbook"))
    if options.new_workbook and (options.workbooks or options.check or options.template or options.output_dir):
        raise UsageError(say("cli.new_workbook_alone"))
    if options.pdf and (options.check or options.new_workbook):
        raise UsageError(say("cli.pdf_without_plan", option="--check" if options.check else "--new-workbook"))


def run_new_workbook(options) -> int:
    """Write the blank workbook; return the exit code."""
    path = api.new_workbook(options.new_workbook, options.year)
    print(say("cli.blank_written", path=path))
    print(say("cli.blank_next", path=path))
    return 0


# What a folder's run takes: the workbooks the program reads (by content: a file named .xls may
# hold an .xlsx), and .xlsb, whose run says how to save it as .xlsx rather than skip it unseen.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")


class Found(NamedTuple):
    """The workbooks to process, and one line for each other entry of the folders, saying why
    it is not read (an official must never wonder why a file made no plan)."""

    workbooks: list[Path]
    skipped: list[str]


def find_workbooks(arguments: list[str]) -> Found:
    """The workbooks to process: the paths given (folders expanded), or the workbooks in inputs/.

    In a folder, lock files (Excel's ``~$…``, LibreOffice's ``.~lock.…#``) and hidden files are
    passed over in silence; any other file that is no workbook, and any subfolder, is named in
    `skipped`. A named path that does not exist is kept so that its run reports it.
    """
    paths = [Path(argument) for argument in arguments] or [INPUTS]
    found = Found([], [])
    for path in paths:
        if path.is_dir():
            _scan_folder(path, found)
        else:
            found.workbooks.append(path)
    return found


def _scan_folder(folder: Path, found: Found) -> None:
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name.casefold()):
        if _hidden(entry):
            continue
        if entry.is_dir():
            found.skipped.append(say("cli.skipped_folder", name=entry.name, folder=folder))
        elif entry.suffix.lower() in WORKBOOK_SUFFIXES:
            found.workbooks.append(entry)
        else:
            found.skipped.append(say("cli.skipped_file", name=entry.name))


def _hidden(entry: Path) -> bool:
    """A lock file of Excel (``~$…``) or LibreOffice (``.~lock.…#``), or a hidden file: a name
    starting with a dot, or (Windows) the hidden attribute (``Thumbs.db``, ``desktop.ini``)."""
    if entry.name.startswith(("~$", ".")):
        return True
    try:
        return bool(getattr(entry.stat(), "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))
    except OSError:
        return False


@dataclass(frozen=True)
class Settings:
    """What is asked of every workbook of a run; small and picklable, it travels to worker processes."""

    check: bool
    output_dir: str
    template: str | None = None
    pdf: bool = False  # the plans are made, then written once LibreOffice has made their PDFs (`run_all_with_pdf`)
    summary: bool = True


class Line(NamedTuple):
    """One printed line of an outcome: whether it goes to standard error, its text, whether it is an error."""

    to_stderr: bool
    text: str
    error: bool = False


@dataclass(frozen=True)
class Outcome:
    """One workbook's run, ready to print: `lines` in order.

    Made in whichever process ran the workbook; printed only by the parent. With `--pdf`, `files`
    is the plan made but not written yet (`finish_workbook` writes it). `row`: the plan's line of
    the batch's summary; `first_error`: the first error, without household codes, for it.
    """

    name: str
    ok: bool
    lines: tuple[Line, ...]
    files: api.PlanFiles | None = None
    row: CommuneRow | None = None
    first_error: str | None = None

    @property
    def errors(self) -> tuple[str, ...]:
        """The error lines, for the summary at the end of a batch (empty on success)."""
        return tuple(line.text for line in self.lines if line.error)


class _Lines:
    """Collects an outcome's lines instead of printing them."""

    def __init__(self, name: str, lines: tuple[Line, ...] = ()) -> None:
        self.name = name
        self.lines: list[Line] = list(lines) or [Line(False, f"{name}:")]
        self.files: api.PlanFiles | None = None
        self.row: CommuneRow | None = None
        self.first_error: str | None = None

    def out(self, text: str, to_stderr: bool = False) -> None:
        self.lines.append(Line(to_stderr, text))

    def error(self, text: str, to_stderr: bool = True, brief: str | None = None) -> None:
        """An error line; `brief` is how the summary shows it (default: the line without "Lỗi: ")."""
        self.lines.append(Line(to_stderr, text, error=True))
        if self.first_error is None:
            self.first_error = brief or text.strip().removeprefix("Lỗi: ")

    def outcome(self, ok: bool) -> Outcome:
        return Outcome(self.name, ok, tuple(self.lines), self.files if ok else None, self.row, self.first_error)


def report(problems: tuple[Problem, ...] | list[Problem], lines: _Lines, to_stderr: bool = False) -> None:
    """List errors, then warnings, then a count."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for problem in errors:
        lines.error("  " + say("cli.error", text=problem.format()), to_stderr, brief=problem.format(household=False))
    for problem in warnings:
        lines.out("  " + say("cli.warning", text=problem.format()), to_stderr)
    if problems:
        lines.out("  " + say("cli.totals", errors=len(errors), warnings=len(warnings)), to_stderr)


def run_workbook(path: Path, settings: Settings) -> Outcome:
    """Check or generate one workbook and say what happened; never raises.

    A workbook that exhausts memory or hits a bug fails alone: the others run. A bug is reported
    with where it happened (file and line) but without the exception's text, which could quote
    a cell, and so a household's personal data. The worker processes of a batch run this.
    """
    lines = _Lines(Path(path).name)
    return lines.outcome(_guarded(lines, lambda: _run(Path(path), settings, lines)))


def finish_workbook(outcome: Outcome, pdf: bytes | str | None) -> Outcome:
    """With `--pdf`: write the plan `run_workbook` made with its PDF (`pdf`: its bytes, or why it was
    not made, or None when none was made) and say what happened; never raises."""
    lines = _Lines(outcome.name, outcome.lines)
    return lines.outcome(_guarded(lines, lambda: _written(api.write_plan(outcome.files, pdf), lines)))


def _guarded(lines: _Lines, step: Callable[[], bool]) -> bool:
    """`step()`, with a MemoryError or a bug said in `lines` (and False) instead of raised."""
    try:
        return step()
    except PlanError as error:  # an output fault in `finish_workbook` (`_run` tells its own with more)
        lines.error("  " + say("cli.error", text=error.message))
    except MemoryError:
        lines.error("  " + say("cli.out_of_memory"))
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        where = "; ".join(f"{Path(frame.filename).name}:{frame.lineno}" for frame in frames[-6:])
        lines.error("  " + say("cli.bug", error=type(error).__name__, where=where))
    return False


def crashed(path: Path) -> Outcome:
    """The outcome of a workbook whose worker process died while running it."""
    lines = _Lines(path.name)
    lines.error("  " + say("cli.crashed"))
    return lines.outcome(False)


def _run(path: Path, settings: Settings, lines: _Lines) -> bool:
    try:
        if settings.check:
            result = api.check(path)
            lines.out(result.report)
            report(result.warnings, lines)
            lines.out("  " + say("cli.valid"))
            return True
        if settings.pdf:  # written by `finish_workbook` once LibreOffice has made the PDFs
            lines.files = api.make(path, settings.output_dir, settings.template)
            return True
        plan = api.generate(path, settings.output_dir, settings.template)
    except WorkbookInvalid as error:
        report(error.problems, lines, to_stderr=not settings.check)
        lines.out(
            "  " + (say("cli.invalid") if settings.check else say("cli.not_generated")), to_stderr=not settings.check
        )
        return False
    except PlanError as error:
        lines.error("  " + say("cli.error", text=error.message))
        return False
    return _written(plan, lines)


def _written(plan: api.PlanResult, lines: _Lines) -> bool:
    """Say what was written, after the warnings; False when a PDF asked for was not made."""
    report(plan.warnings, lines)
    lines.row = plan.summary
    lines.out("  " + say("cli.written", path=plan.output))
    if plan.kept:
        lines.out("  " + say("cli.kept", name=plan.kept.name))
    if plan.review:
        if plan.review_removed:
            lines.out("  " + say("cli.review_written_removed", path=plan.review, count=plan.review_removed))
        else:
            lines.out("  " + say("cli.review_written", path=plan.review))
    if plan.review_not_removed:
        lines.out("  " + say("cli.review_not_removed", names=", ".join(path.name for path in plan.review_not_removed)))
    if plan.pdf:
        lines.out(say("cli.pdf_written", path=plan.pdf))
    if plan.pdf_kept:
        name = plan.pdf_kept.name
        lines.out(say("cli.pdf_kept", name=name) if plan.pdf else say("cli.pdf_moved_aside", name=name))
    if plan.pdf_problem:
        lines.error("  " + say("cli.error", text=plan.pdf_problem))
        return False
    return True


def run_all(paths: list[Path], settings: Settings) -> list[Outcome]:
    """Run every workbook, printing each outcome in input order as soon as it and those before it are done.

    From `POOL_FROM` workbooks on, they run in worker processes, one per usable core; fewer run
    here, without the cost of starting processes. On a terminal, more than `PROGRESS_FROM`
    workbooks get a progress bar on standard error.
    """
    printer = _Printer(len(paths))
    try:
        _each(paths, settings, lambda index, outcome: printer.add(index, outcome or crashed(paths[index])))
    finally:
        printer.finish()
    return printer.outcomes


def _each(paths: list[Path], settings: Settings, on_result: Callable[[int, Outcome | None], None]) -> None:
    """`run_workbook` for every path, then `on_result(index, outcome)`, None when its process died."""
    workers = batch.usable_cores()
    if len(paths) < POOL_FROM or workers < 2:
        for index, path in enumerate(paths):
            on_result(index, run_workbook(path, settings))
        return
    if not settings.check:
        api.warm_up(settings.template)
    batch.run_parallel(paths, functools.partial(run_workbook, settings=settings), min(workers, len(paths)), on_result)


def run_all_with_pdf(paths: list[Path], settings: Settings) -> tuple[list[Outcome], str | None]:
    """`run_all` with `--pdf`: every plan is made first (in worker processes from `POOL_FROM`
    workbooks on), then LibreOffice makes all the PDFs at once (`api.to_pdf`: starting it takes
    seconds, a plan a fraction of one), then each plan is written with its review list and PDF as
    one set and printed, in input order.

    Return the outcomes and, when LibreOffice is missing, the message saying how to install it
    (once for the run: the plans are written all the same).
    """
    made: list[Outcome | None] = [None] * len(paths)
    bar = batch.ProgressBar(len(paths), sys.stderr) if len(paths) > PROGRESS_FROM and _is_terminal(sys.stderr) else None

    def keep(index: int, outcome: Outcome | None) -> None:
        made[index] = outcome or crashed(paths[index])
        if bar:
            bar.advance()

    try:
        _each(paths, settings, keep)
    finally:
        if bar:
            bar.clear()
    pdfs, notice = _pdfs(made)
    return _write_all(made, pdfs), notice


def _pdfs(made: list[Outcome]) -> tuple[dict[int, bytes | str], str | None]:
    """The PDFs of the plans `made` holds, by index, and the message when LibreOffice is missing."""
    indices = [index for index, outcome in enumerate(made) if outcome.files is not None]
    if not indices:
        return {}, None
    try:
        api.require_libreoffice()
        print(say("cli.pdf_converting", count=len(indices)), file=sys.stderr, flush=True)
        return dict(zip(indices, api.to_pdf([made[index].files for index in indices]))), None
    except api.PdfUnavailable as error:
        return {}, error.message


def _write_all(made: list[Outcome], pdfs: dict[int, bytes | str]) -> list[Outcome]:
    """Write every plan `made` holds with its PDF, printing each outcome in input order."""
    printer = _Printer(len(made))
    try:
        for index, outcome in enumerate(made):
            printer.add(index, finish_workbook(outcome, pdfs.get(index)) if outcome.files is not None else outcome)
    finally:
        printer.finish()
    return printer.outcomes


class _Printer:
    """Prints outcomes in input order whatever order they finish in, under a progress bar on a terminal."""

    def __init__(self, total: int) -> None:
        self.outcomes: list[Outcome | None] = [None] * total
        self.printed = 0
        self.bar = batch.ProgressBar(total, sys.stderr) if total > PROGRESS_FROM and _is_terminal(sys.stderr) else None
        self.stdout_shown = _is_terminal(sys.stdout)

    def add(self, index: int, outcome: Outcome) -> None:
        self.outcomes[index] = outcome
        ready = []
        while self.printed < len(self.outcomes) and self.outcomes[self.printed] is not None:
            ready.append(self.outcomes[self.printed])
            self.printed += 1
        lines = [line for outcome in ready for line in outcome.lines]
        # Wipe the bar only when a line will reach the terminal it is drawn on.
        wipe = bool(self.bar) and any(line.to_stderr or self.stdout_shown for line in lines)
        if wipe:
            self.bar.clear()
        for line in lines:
            print(line.text, file=sys.stderr if line.to_stderr else sys.stdout)
        if self.bar:
            sys.stdout.flush()
            self.bar.advance(redraw=wipe)

    def finish(self) -> None:
        if self.bar:
            self.bar.clear()


def _is_terminal(stream) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def print_summary(outcomes: list[Outcome]) -> None:
    """After several workbooks: how many succeeded, then every failed one with its errors, in input order."""
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if not failed:
        print(say("cli.all_ok", count=len(outcomes)))
        return
    print(
        say(
            "cli.some_failed",
            failed=len(failed),
            total=len(outcomes),
            names=", ".join(outcome.name for outcome in failed),
        ),
        file=sys.stderr,
    )
    for outcome in failed:
        print(f"{outcome.name}:", file=sys.stderr)
        for text in outcome.errors:
            print(text, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. The one place a `PlanError` outside a
    workbook's own run is printed: its `exit_code` is the code (click's model)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a Windows console is not UTF-8 by default
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        return _main(argv)
    except PlanError as error:
        print(error.message, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(say("cli.interrupted"), file=sys.stderr)

        return 130


def _main(argv: list[str] | None) -> int:
    options = build_parser().parse_args(argv)
    check_options(options)
    if options.new_workbook:
        return run_new_workbook(options)
    found = find_workbooks(options.workbooks)
    for line in found.skipped:
        print(line)
    if not found.workbooks:
        folders = ", ".join(f'"{path}"' for path in (options.workbooks or [INPUTS]))
        raise PlanError(say("cli.no_workbook", folders=folders))
    settings = Settings(
        options.check, str(options.output_dir or OUTPUTS), options.template, options.pdf, not options.no_summary
    )
    paths = found.workbooks
    outcomes, notice = run_all_with_pdf(paths, settings) if settings.pdf else (run_all(paths, settings), None)
    written = write_summary(outcomes, settings) if len(outcomes) > 1 else True
    if len(outcomes) > 1:
        print_summary(outcomes)
    if notice:
        print(notice, file=sys.stderr)
    return 0 if written and all(outcome.ok for outcome in outcomes) and not notice else 1


def write_summary(outcomes: list[Outcome], settings: Settings) -> bool:
    """After a batch's plans, write its summary beside them (not with --check or --no-summary,
    nor when no plan was made) and say where; False when it could not be written."""
    rows = [outcome.row for outcome in outcomes if outcome.row is not None]
    if settings.check or not settings.summary or not rows:
        return True
    failures = [(outcome.name, outcome.first_error or "") for outcome in outcomes if not outcome.ok]
    try:
        written = api.write_summary(rows, failures, settings.output_dir)
    except PlanError as error:
        print(say("cli.summary_not_written", reason=error.message), file=sys.stderr)
        return False
    for path, kept in written:
        print(say("cli.summary_written", path=path))
        if kept:
            print(say("cli.summary_kept", name=kept.name))
    for commune, sources in repeated(rows):
        print(say("cli.summary_repeated", commune=commune, count=len(sources), sources=", ".join(sources)))
    return True
