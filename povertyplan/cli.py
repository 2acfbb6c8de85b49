"""The command line: parse options, call the library, print results in Vietnamese, set the exit code.

Exit codes: 0 success; 1 a workbook (or the template, or the output) has problems, all listed;
2 a bad command line.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import api
from .errors import PlanError, Problem, UsageError, WorkbookInvalid

PROJECT = Path(__file__).resolve().parent.parent
INPUTS = PROJECT / "inputs"
OUTPUTS = PROJECT / "outputs"


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
    return parser


def check_options(options) -> None:
    """Refuse option combinations that make no sense (exit 2)."""
    if options.year is not None and not options.new_workbook:
        raise UsageError("--year chỉ dùng cùng --new-workbook, ví dụ: python generate.py --new-workbook so-lieu-2026.xlsx --year 2026")
    if options.new_workbook and (options.workbooks or options.check or options.template or options.output_dir):
        raise UsageError("--new-workbook chỉ tạo sổ trống: không dùng cùng tên sổ, --check, --template hay --output-dir.")


def run_new_workbook(options) -> int:
    """Write the blank workbook; return the exit code."""
    try:
        path = api.new_workbook(options.new_workbook, options.year)
    except PlanError as error:
        print(error.message, file=sys.stderr)
        return error.exit_code
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


def report(problems: tuple[Problem, ...] | list[Problem], stream) -> None:
    """Print errors, then warnings, then a count."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    for problem in errors:
        print(f"  Lỗi: {problem.format()}", file=stream)
    for problem in warnings:
        print(f"  Cảnh báo: {problem.format()}", file=stream)
    if problems:
        print(f"  Tổng cộng: {len(errors)} lỗi, {len(warnings)} cảnh báo.", file=stream)


def format_table(result: api.CheckResult) -> str:
    """The computed target table as plain text, for --check."""
    from .compose import target_table

    table = target_table(result.figures)
    rows = [table.header, *table.rows, table.total]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.header))]
    lines = ["  " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in rows]
    figures = result.figures
    lines.append(f"  Chỉ tiêu giảm hộ nghèo của {result.workbook.info.name}: {figures.assigned_target} hộ, tương ứng {figures.assigned_rate}%.")
    return "\n".join(lines)


def run_one(path: Path, options) -> bool:
    """Check or generate one workbook, printing what happened; return True on success."""
    print(f"{path.name}:")
    try:
        if options.check:
            result = api.check(path)
            print(format_table(result))
            report(result.warnings, sys.stdout)
            print("  Sổ số liệu hợp lệ.")
            return True
        plan = api.generate(path, options.output_dir or OUTPUTS, options.template)
    except WorkbookInvalid as error:
        report(error.problems, sys.stdout if options.check else sys.stderr)
        print("  Chưa tạo kế hoạch: sửa các lỗi trên rồi chạy lại." if not options.check else "  Sổ số liệu có lỗi.", file=sys.stdout if options.check else sys.stderr)
        return False
    except PlanError as error:
        print(f"  Lỗi: {error.message}", file=sys.stderr)
        return False
    report(plan.warnings, sys.stdout)
    print(f"  Đã ghi: {plan.output}")
    if plan.kept:
        print(f"  Bản trước được giữ lại: {plan.kept.name}")
    if plan.review:
        print(f"  Đã ghi danh sách rà soát (tài liệu nội bộ, có dữ liệu cá nhân): {plan.review}")
    if plan.review_kept:
        print(f"  Bản rà soát trước được giữ lại: {plan.review_kept.name}")
    return True


def run_guarded(path: Path, options) -> bool:
    """`run_one`, but a workbook that exhausts memory or hits a bug fails alone: the others run.

    A bug is reported with where it happened (file and line) but without the exception's text,
    which could quote a cell, and so a household's personal data.
    """
    try:
        return run_one(path, options)
    except MemoryError:
        print("  Lỗi: không đủ bộ nhớ để xử lý sổ này. Đóng bớt chương trình khác, hoặc xóa các dòng, sheet thừa rồi chạy lại.", file=sys.stderr)
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        where = "; ".join(f"{Path(frame.filename).name}:{frame.lineno}" for frame in frames[-6:])
        print(f"  Lỗi chương trình (không phải lỗi của sổ số liệu): {type(error).__name__} tại {where}. Vui lòng báo cho người phát triển kèm dòng này.", file=sys.stderr)
    return False


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a Windows console is not UTF-8 by default
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        options = build_parser().parse_args(argv)
        check_options(options)
        if options.new_workbook:
            return run_new_workbook(options)
        paths = find_workbooks(options.workbooks)
    except UsageError as error:
        print(error.message, file=sys.stderr)
        return error.exit_code
    try:
        failed = [path for path in paths if not run_guarded(path, options)]
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    if failed and len(paths) > 1:
        print(f"{len(failed)}/{len(paths)} sổ có lỗi: " + ", ".join(p.name for p in failed), file=sys.stderr)
    return 1 if failed else 0
