"""The hand-written readers against openpyxl, on any folder of workbooks (a differential test).

    python -m tests.read.differential /work/corpus                  # every .xlsx/.xlsm under it
    python -m tests.read.differential /work/corpus --verbose        # a line for every workbook
    python -m tests.read.differential FOLDER --timeout 20 --limit 300 --memory-gb 4

Run from the repository root. Each workbook is read in a child process of its own (killed past
--limit seconds, its memory capped), with the fast path forced on every sheet (as if every sheet
were a large register):
1. openpyxl alone reads every sheet (`xlsx.open_exact`): the values to match;
2. the shared strings (`sharedstrings`), every sheet's columns and first rows (`xlsxgrid`) and
   openpyxl given those shared strings must give exactly those values, or step aside (None);
   a number may be written differently (``1.50`` for 1.5) and a date keeps its serial number,
   as `xlsxgrid` documents;
3. `api.check` (what ``generate.py --check`` runs) must end in a result or a message for the
   official, never a program error, within --timeout seconds;
4. a verdict that the file is damaged ("bị hỏng") is a failure when openpyxl or calamine opens it,
   unless a part of the file fails its checksum (CRC-32): such a file is refused on purpose (its
   figures cannot be trusted; calamine does not always check), and counted apart.
A line is printed for each workbook that fails, then a summary; the exit code is 1 when any
fails. Keep corpora outside the repository; tests/read/test_fixture_workbooks.py runs the same
comparison on tests/fixtures/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import resource
import sys
import time
import traceback
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from povertyplan import api
from povertyplan.errors import FileProblem, PlanError
from povertyplan.read import bigsheet, source, xlsx
from povertyplan.read.cells import is_unsaved_formula
from povertyplan.read.fast import xlsxgrid
from povertyplan.read.limits import MAX_COLUMNS

HEAD_ROWS = 30
DAMAGED = "bị hỏng"


@dataclass
class Report:
    """What `compare` found for one workbook: `failures` (each a sentence), the parts the fast
    readers left to openpyxl (`aside`), how `api.check` ended and how long it took."""

    path: Path
    failures: list[str] = field(default_factory=list)
    aside: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    check: str = ""
    check_seconds: float = 0.0
    bad_checksum: bool = False


@contextmanager
def fast_path_everywhere():
    """Every sheet of every workbook read by the fast readers, as if each were a large register."""
    saved = bigsheet.FAST_READ_ABOVE, bigsheet.LARGE_SHEET
    bigsheet.FAST_READ_ABOVE, bigsheet.LARGE_SHEET = 0, 0
    try:
        yield
    finally:
        bigsheet.FAST_READ_ABOVE, bigsheet.LARGE_SHEET = saved


def compare(path: Path, timeout: float = 20.0) -> Report:
    """Compare the fast readers with openpyxl on the workbook at `path` and run `api.check` on it."""
    report = Report(path)
    with fast_path_everywhere():
        exact = _exact_sheets(path, report)
        if exact is not None:
            _compare_fast(path, exact, report)
        _check(path, timeout, report, opened_by_openpyxl=exact is not None)
    return report


def _exact_sheets(path: Path, report: Report) -> dict[str, list | str] | None:
    """Sheet name → openpyxl's rows (or the message for a sheet it cannot read); None when the
    workbook itself is refused."""
    try:
        xlsx.check_file(path)
        with xlsx.open_exact(path) as book:
            return {name: _rows_or_message(book, name) for name in book.sheet_names}
    except FileProblem as problem:
        report.notes.append(f"openpyxl: {problem.message}")
        return None


def _rows_or_message(book, name: str) -> list | str:
    try:
        return list(book.rows(name))
    except FileProblem as problem:
        return problem.message


def _compare_fast(path: Path, exact: dict, report: Report) -> None:
    try:
        prepared = source.prepare(path)
    except Exception as error:  # the contract: the fast readers never raise
        report.failures.append(f"prepare raised {_where(error)}")
        return
    if prepared is None:
        report.aside.append("workbook")
        return
    _compare_shared_strings(path, prepared, report)
    with xlsx.open_exact(path, prepared.shared_strings) as book:
        fast = prepared.source(book)
        for name, rows in exact.items():
            if isinstance(rows, str):
                continue  # openpyxl cannot read this sheet: nothing to match
            given = _rows_or_message(book, name)
            if given != rows:
                report.failures.append(f'sheet "{name}": openpyxl given the fast shared strings reads other values')
            if hasattr(fast, "columns") and name in prepared.parts:
                _compare_sheet(fast, name, rows, report)


def _compare_shared_strings(path: Path, prepared: bigsheet.Prepared, report: Report) -> None:
    from openpyxl.reader.strings import read_string_table  # openpyxl's own reading, to compare with

    with zipfile.ZipFile(path) as archive:
        part = bigsheet.shared_strings_part(archive)
        if part is None or part not in archive.NameToInfo:
            return
        if prepared.shared is None:
            report.aside.append(part)
            return
        try:
            with archive.open(part) as stream:
                theirs = read_string_table(stream)
        except Exception:
            report.notes.append("openpyxl cannot read the shared strings; the fast reader can")
            return
    ours = prepared.shared.text.to_pylist()
    if ours != theirs:
        wrong = next((at for at, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
        report.failures.append(
            f"shared strings differ: {len(ours)} read, openpyxl {len(theirs)}; first difference at item {wrong}"
        )


def _compare_sheet(fast, name: str, rows: list, report: Report) -> None:
    try:
        columns = fast.columns(name, list(range(MAX_COLUMNS)))
        head = fast.head(name, HEAD_ROWS)
    except Exception as error:
        report.failures.append(f'sheet "{name}": xlsxgrid raised {_where(error)}')
        return
    if columns is None:
        report.aside.append(f"sheet {name}")
    else:
        difference = _difference(_grid_rows(columns), rows)
        if difference:
            report.failures.append(f'sheet "{name}": xlsxgrid reads {difference}')
    if head is not None:
        difference = _difference(head, rows[:HEAD_ROWS])
        if difference:
            report.failures.append(f'sheet "{name}": first rows read {difference}')


def _grid_rows(read: xlsxgrid.Columns) -> list[tuple[int, tuple]]:
    table = [read.columns[column].to_pylist() for column in sorted(read.columns)]
    rows = []
    for at, row in enumerate(read.rows):
        values = [column[at] for column in table]
        while values and values[-1] is None:
            values.pop()
        rows.append((int(row), tuple(values)))
    return rows


def _difference(ours: list[tuple[int, tuple]], theirs: list[tuple[int, tuple]]) -> str:
    """'' when the rows agree, else where they first differ (row and column, no cell text)."""
    if [row for row, _ in ours] != [row for row, _ in theirs]:
        return (
            f"rows {[row for row, _ in ours][:5]}… where openpyxl reads {[row for row, _ in theirs][:5]}… "
            f"({len(ours)} and {len(theirs)} rows)"
        )
    for (row, mine), (_, values) in zip(ours, theirs):
        for column in range(max(len(mine), len(values))):
            a = mine[column] if column < len(mine) else None
            b = values[column] if column < len(values) else None
            if not same_value(a, b):
                return f"another value at row {row}, column {column + 1} ({type(b).__name__} in openpyxl)"
    return ""


def same_value(ours: str | None, theirs) -> bool:
    """Whether `xlsxgrid`'s text stands for openpyxl's value."""
    if theirs is None or ours is None:
        return theirs is None and ours is None
    if is_unsaved_formula(theirs):
        return ours == xlsxgrid.UNSAVED
    if isinstance(theirs, bool):
        return ours == str(theirs)
    if isinstance(theirs, (int, float)):
        try:
            number = float(ours)
        except ValueError:
            return False
        return number == theirs or (math.isnan(number) and math.isnan(theirs))
    if isinstance(theirs, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return True  # a date keeps its serial number (the register has no date column)
    if theirs == "#VALUE!" and _is_number(ours):
        return True  # the same: openpyxl makes a date too far out of range an error value
    return ours == theirs


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check(path: Path, timeout: float, report: Report, opened_by_openpyxl: bool) -> None:
    start = time.perf_counter()
    try:
        api.check(path)
        report.check = "valid"
    except PlanError as error:
        report.check = error.message.splitlines()[0][:160] if error.message else type(error).__name__
        if isinstance(error, FileProblem) and DAMAGED in error.message:
            readers = [
                name for name, opens in (("openpyxl", opened_by_openpyxl), ("calamine", _calamine_opens(path))) if opens
            ]
            if readers and _fails_checksum(path):
                report.bad_checksum = True
                report.notes.append(f"called damaged: a part fails its checksum, which {' and '.join(readers)} ignore")
            elif readers:
                report.failures.append(f"called damaged, but {' and '.join(readers)} open it")
    except MemoryError:
        report.failures.append("api.check ran out of memory")
    except Exception as error:
        report.failures.append(f"program error in api.check: {_where(error)}")
    report.check_seconds = time.perf_counter() - start
    if report.check_seconds > timeout:
        report.failures.append(f"api.check took {report.check_seconds:.1f} s (over {timeout:g} s)")


def _fails_checksum(path: Path) -> bool:
    """Whether a part of the package does not match its CRC-32 (zipfile checks it at each part's end)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as stream:
                    while stream.read(1 << 20):
                        pass
    except zipfile.BadZipFile as error:
        return str(error).startswith("Bad CRC-32")
    except Exception:
        return False
    return False


def _calamine_opens(path: Path) -> bool:
    try:
        import python_calamine  # another reader, only to judge a "damaged" verdict
    except ImportError:
        return False
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        return True
    except Exception:
        return False


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return f"{type(error).__name__} at " + "; ".join(f"{Path(frame.filename).name}:{frame.lineno}" for frame in frames)


# --- the command line: one child process per workbook ------------------------------------


def _child(path: Path, timeout: float, memory_gb: float, pipe) -> None:
    limit = int(memory_gb * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        pipe.send(compare(path, timeout))
    except BaseException as error:  # noqa: BLE001 - everything is a finding here
        report = Report(path)
        report.failures.append(f"the comparison itself raised {_where(error)}")
        pipe.send(report)


def run_one(path: Path, timeout: float, limit: float, memory_gb: float) -> Report:
    """`compare` in a child process, killed past `limit` seconds."""
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child, args=(path, timeout, memory_gb, send))
    child.start()
    send.close()
    report = receive.recv() if receive.poll(limit) else None
    child.join(1 if report is not None else 0)
    if child.is_alive():
        child.kill()
        child.join()
    if report is None:
        report = Report(path)
        report.failures.append(
            f"no answer within {limit:g} s"
            if child.exitcode in (None, -9)
            else f"the child process died (exit {child.exitcode})"
        )
    return report


def workbooks(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file() and not p.name.startswith("~$")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare the fast readers with openpyxl on every workbook under a folder."
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--timeout", type=float, default=20.0, help="seconds api.check may take on one workbook (default 20)"
    )
    parser.add_argument(
        "--limit", type=float, default=300.0, help="seconds before a workbook's child process is killed (default 300)"
    )
    parser.add_argument(
        "--memory-gb", type=float, default=4.0, help="address space of each child process (default 4 GB)"
    )
    parser.add_argument("--verbose", action="store_true", help="a line for every workbook, not only the failing ones")
    options = parser.parse_args(argv)
    paths = workbooks(options.folder)
    counts: Counter = Counter()
    slowest: list[tuple[float, str]] = []
    for path in paths:
        report = run_one(path, options.timeout, options.limit, options.memory_gb)
        name = str(path.relative_to(options.folder))
        counts["failed" if report.failures else "passed"] += 1
        counts["with a part left to openpyxl"] += bool(report.aside)
        counts["refused for a failed checksum"] += report.bad_checksum
        slowest.append((report.check_seconds, name))
        if report.failures or options.verbose:
            aside = f" [left to openpyxl: {', '.join(report.aside)}]" if report.aside else ""
            aside += " [a part fails its checksum]" if report.bad_checksum else ""
            print(
                f"{'FAIL' if report.failures else 'ok  '} {name}: {'; '.join(report.failures) or report.check}{aside}",
                flush=True,
            )
    slowest.sort(reverse=True)
    print(
        f"\n{len(paths)} workbooks: {counts['passed']} passed, {counts['failed']} failed; "
        f"{counts['with a part left to openpyxl']} had a part left to openpyxl; "
        f"{counts['refused for a failed checksum']} refused as damaged for a part that fails its checksum; "
        f"slowest api.check {slowest[0][0]:.1f} s ({slowest[0][1]})"
        if slowest
        else "no workbooks found"
    )
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
