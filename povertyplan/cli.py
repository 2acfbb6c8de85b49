"""The command line: parse options, call the library, print results in Vietnamese, set the exit code.

Exit codes: 0 success; 1 a workbook (or the template, or the output) has problems, all listed;
2 a bad command line.
"""
from __future__ import annotations

import argparse
import functools
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from povertyplan import api
from povertyplan import batch
from povertyplan.compose.summary import CommuneRow, repeated
from povertyplan.errors import PlanError, Problem, UsageError, WorkbookInvalid
from povertyplan.messages import say

PROJECT = Path(__file__).resolve().parent.parent
INPUTS = PROJECT / "inputs"
OUTPUTS = PROJECT / "outputs"
POOL_FROM = 4  # workbooks from which a run starts worker processes (fewer run faster in this one)
PROGRESS_FROM = 10  # workbooks above which a terminal shows a progress bar


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English; ours are not
        raise UsageError(f"Lệnh không hợp lệ ({message}). Xem hướng dẫn: python generate.py --help")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python generate.py",
        description="Tạo Kế hoạch thực hiện công tác giảm nghèo bền vững (.docx, theo Nghị định 30/2020) từ sổ số liệu Excel.",
        epilog="Không ghi tên tệp: xử lý mọi tệp .xlsx trong thư mục inputs/ và ghi kế hoạch vào outputs/.",
    )
    parser.add_argument("workbooks", nargs="*", metavar="SỔ_EXCEL", help="tệp .xlsx hoặc thư mục chứa tệp .xlsx")
    parser.add_argument("-o", "--output-dir", metavar="THƯ_MỤC", help="thư mục ghi kế hoạch (mặc định: outputs/)")
    parser.add_argument("--check", action="store_true", help="chỉ kiểm tra sổ và in bảng số liệu, không ghi tệp")
    parser.add_argument("--template", metavar="TỆP_MẪU", help="dùng mẫu lời văn khác (mặc định: templates/ke-hoach-giam-ngheo.md.j2)")
    parser.add_argument("--new-workbook", metavar="TỆP_MỚI", help="tạo sổ số liệu trống theo mẫu chuẩn (có sheet Hướng dẫn và danh sách chọn) rồi dừng; không ghi đè tệp đã có")
    parser.add_argument("--year", type=int, metavar="NĂM", help="năm kế hoạch của sổ trống (mặc định: năm nay); chỉ dùng với --new-workbook")
    parser.add_argument("--no-summary", action="store_true", help=say("cli.summary_option_help"))
    return parser


def check_options(options) -> None:
    """Refuse option combinations that make no sense (exit 2)."""
    if options.year is not None and not options.new_workbook:
        raise UsageError("--year chỉ dùng cùng --new-workbook, ví dụ: python generate.py --new-workbook so-lieu-2026.xlsx --year 2026")
    if options.new_workbook and (options.workbooks or options.check or options.template or options.output_dir):
        raise UsageError("--new-workbook chỉ tạo sổ trống: không dùng cùng tên sổ, --check, --template hay --output-dir.")


def run_new_workbook(options) -> int:
    """Write the blank workbook; return the exit code."""
    path = api.new_workbook(options.new_workbook, options.year)
    print(f"Đã tạo sổ số liệu trống: {path}")
    print('Mở bằng Excel hoặc LibreOffice, đọc sheet "Hướng dẫn", điền số liệu rồi chạy: python generate.py ' + str(path))
    return 0


def find_workbooks(arguments: list[str]) -> list[Path]:
    """The workbooks to process: the paths given (folders expanded), or every .xlsx in inputs/.

    Excel's lock files (``~$…``) are skipped; a named path that does not exist is kept so that
    its run reports it.
    """
    paths = [Path(argument) for argument in arguments] or [INPUTS]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.xlsx") if not p.name.startswith("~$")))
        else:
            found.append(path)
    if not found:
        raise UsageError(f'Không có tệp .xlsx nào trong "{paths[0]}". Chép sổ số liệu vào thư mục inputs/ rồi chạy lại.')
    return found


@dataclass(frozen=True)
class Settings:
    """What is asked of every workbook of a run; small and picklable, it travels to worker processes."""

    check: bool
    output_dir: str
    template: str | None = None
    summary: bool = True


class Line(NamedTuple):
    """One printed line of an outcome: whether it goes to standard error, its text, whether it is an error."""

    to_stderr: bool
    text: str
    error: bool = False


@dataclass(frozen=True)
class Outcome:
    """One workbook's run, ready to print: `lines` in order.

    Made in whichever process ran the workbook; printed only by the parent. `row`: the plan's
    line of the batch's summary; `first_error`: the first error, without household codes, for it.
    """

    name: str
    ok: bool
    lines: tuple[Line, ...]
    row: CommuneRow | None = None
    first_error: str | None = None

    @property
    def errors(self) -> tuple[str, ...]:
        """The error lines, for the summary at the end of a batch (empty on success)."""
        return tuple(line.text for line in self.lines if line.error)


class _Lines:
    """Collects an outcome's lines instead of printing them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[Line] = [Line(False, f"{name}:")]
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
        return Outcome(self.name, ok, tuple(self.lines), self.row, self.first_error)


def report(problems: tuple[Problem, ...] | list[Problem], lines: _Lines, to_stderr: bool = False) -> None:
    """List errors, then warnings, then a count."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for problem in errors:
        lines.error(f"  Lỗi: {problem.format()}", to_stderr, brief=problem.format(household=False))
    for problem in warnings:
        lines.out(f"  Cảnh báo: {problem.format()}", to_stderr)
    if problems:
        lines.out(f"  Tổng cộng: {len(errors)} lỗi, {len(warnings)} cảnh báo.", to_stderr)


def run_workbook(path: Path, settings: Settings) -> Outcome:
    """Check or generate one workbook and say what happened; never raises.

    A workbook that exhausts memory or hits a bug fails alone: the others run. A bug is reported
    with where it happened (file and line) but without the exception's text, which could quote
    a cell, and so a household's personal data. The worker processes of a batch run this.
    """
    lines = _Lines(Path(path).name)
    try:
        ok = _run(Path(path), settings, lines)
    except MemoryError:
        lines.error("  Lỗi: không đủ bộ nhớ để xử lý sổ này. Đóng bớt chương trình khác, hoặc xóa các dòng, sheet thừa rồi chạy lại.")
        ok = False
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        where = "; ".join(f"{Path(frame.filename).name}:{frame.lineno}" for frame in frames[-6:])
        lines.error(f"  Lỗi chương trình (không phải lỗi của sổ số liệu): {type(error).__name__} tại {where}. Vui lòng báo cho người phát triển kèm dòng này.")
        ok = False
    return lines.outcome(ok)


def crashed(path: Path) -> Outcome:
    """The outcome of a workbook whose worker process died while running it."""
    lines = _Lines(path.name)
    lines.error("  Lỗi chương trình (không phải lỗi của sổ số liệu): tiến trình xử lý sổ này dừng đột ngột, có thể do thiếu bộ nhớ. Chạy riêng sổ này; nếu vẫn lỗi, vui lòng báo cho người phát triển.")
    return lines.outcome(False)


def _run(path: Path, settings: Settings, lines: _Lines) -> bool:
    try:
        if settings.check:
            result = api.check(path)
            lines.out(result.report)
            report(result.warnings, lines)
            lines.out("  Sổ số liệu hợp lệ.")
            return True
        plan = api.generate(path, settings.output_dir, settings.template)
    except WorkbookInvalid as error:
        report(error.problems, lines, to_stderr=not settings.check)
        lines.out("  Sổ số liệu có lỗi." if settings.check else "  Chưa tạo kế hoạch: sửa các lỗi trên rồi chạy lại.", to_stderr=not settings.check)
        return False
    except PlanError as error:
        lines.error(f"  Lỗi: {error.message}")
        return False
    report(plan.warnings, lines)
    lines.row = plan.summary
    lines.out(f"  Đã ghi: {plan.output}")
    if plan.kept:
        lines.out(f"  Bản trước được giữ lại: {plan.kept.name}")
    if plan.review:
        lines.out(f"  Đã ghi danh sách rà soát (tài liệu nội bộ, có dữ liệu cá nhân): {plan.review}")
    if plan.review_kept:
        lines.out(f"  Bản rà soát trước được giữ lại: {plan.review_kept.name}")
    return True


def run_all(paths: list[Path], settings: Settings) -> list[Outcome]:
    """Run every workbook, printing each outcome in input order as soon as it and those before it are done.

    From `POOL_FROM` workbooks on, they run in worker processes, one per usable core; fewer run
    here, without the cost of starting processes. On a terminal, more than `PROGRESS_FROM`
    workbooks get a progress bar on standard error.
    """
    workers = batch.usable_cores()
    printer = _Printer(len(paths))
    try:
        if len(paths) < POOL_FROM or workers < 2:
            for index, path in enumerate(paths):
                printer.add(index, run_workbook(path, settings))
        else:
            if not settings.check:
                api.warm_up(settings.template)
            work = functools.partial(run_workbook, settings=settings)
            batch.run_parallel(paths, work, min(workers, len(paths)), lambda index, outcome: printer.add(index, outcome or crashed(paths[index])))
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
        print(f"Xong: {len(outcomes)} sổ, không sổ nào có lỗi.")
        return
    print(f"{len(failed)}/{len(outcomes)} sổ có lỗi: " + ", ".join(outcome.name for outcome in failed), file=sys.stderr)
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
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130


def _main(argv: list[str] | None) -> int:
    options = build_parser().parse_args(argv)
    check_options(options)
    if options.new_workbook:
        return run_new_workbook(options)
    paths = find_workbooks(options.workbooks)
    settings = Settings(options.check, str(options.output_dir or OUTPUTS), options.template, not options.no_summary)
    outcomes = run_all(paths, settings)
    written = write_summary(outcomes, settings) if len(outcomes) > 1 else True
    if len(outcomes) > 1:
        print_summary(outcomes)
    return 0 if written and all(outcome.ok for outcome in outcomes) else 1


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
