"""Measure the generator against the floors of issue #5, in one run on one machine.

    python benchmarks/run.py --quick                     # smoke run: 1k register, 25 communes, once
    python benchmarks/run.py --sizes 1k,100k             # floors + every command, 3 runs each
    python benchmarks/run.py --sizes 1m --only check     # check 1m and its floor only
    python benchmarks/run.py ... --write --label NAME    # also keep the table in RESULTS.md
    python benchmarks/run.py --sizes 1m --communes 0 --layouts excel,openpyxl,sdk,libreoffice --only check

Each command runs in a fresh interpreter (imports count), `--repeats` times, round-robin so that
a slow drift of the machine spreads over all commands; the table shows the median wall time and
the highest peak memory. The floors are measured in the same run: (a) importing pandas, openpyxl,
python-docx and jinja2; (b) fastexcel reading the whole register sheet into pandas. A command
that fails or times out is reported with its exit code and last lines, and the run goes on.
Exit code: 0 when every command ran successfully (targets met or not), 1 otherwise, 2 bad usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import layouts
import make_workbooks as data
import report
from measure import OUT, machine_facts, measure
from report import Case, Result, Target

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
IMPORTS = "import pandas, openpyxl, docx, jinja2"
FASTEXCEL = 'import sys, fastexcel; fastexcel.read_excel(sys.argv[1]).load_sheet_by_name("Hộ gia đình").to_pandas()'
MILLION = 1_000_000


def example_workbook(project: Path) -> Path:
    """The example ward shipped in inputs/ (the 2023 Bắc Sơn workbook)."""
    found = sorted(p for p in (project / "inputs").glob("*.xlsx") if not p.name.startswith("~$"))
    return found[0] if found else project / "inputs" / "so-lieu-giam-ngheo-2023-phuong-bac-son.xlsx"


def register_cases(rows: int, project: Path, layout: str = layouts.DEFAULT_LAYOUT) -> list[Case]:
    """The fastexcel floor, --check and (for the excel layout) the full plan for one register
    size in one layout (`layouts.py`); each layout is compared with fastexcel on the same file."""
    label, path = data.size_label(rows), data.register_path(rows, layout=layout)
    if layout != layouts.DEFAULT_LAYOUT:
        label = f"{label} {layout}"
    name, floor, binding = data.relative(path, project), f"fastexcel {label}", rows == MILLION
    cases = [
        Case(floor, ("-c", FASTEXCEL, name), (path,)),
        Case(
            f"check {label}",
            ("generate.py", "--check", name),
            (path,),
            floor,
            Target(max_ratio=1.0, max_mb=800, binding=binding),
        ),
    ]
    if layout == layouts.DEFAULT_LAYOUT:
        cases.append(
            Case(
                f"plan {label}",
                ("generate.py", name, "-o", OUT),
                (path,),
                floor,
                Target(max_ratio=1.2, binding=binding),
            )
        )
    return cases


def communes_case(count: int, project: Path, pdf: bool = False) -> Case:
    """The plans of `count` ordinary communes in one run: the folder itself when it holds exactly those.

    With `pdf`, also their PDF/A through LibreOffice (no target: measured for information)."""
    folder = data.DATA / data.COMMUNES
    wanted = [data.commune_path(index) for index in range(count)]
    present = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    paths = [folder] if present == wanted else wanted
    argv = ("generate.py", *(data.relative(p, project) for p in paths), "-o", OUT)
    if pdf:
        return Case(f"communes {count} --pdf", (*argv, "--pdf"), tuple(wanted), rate=True)
    return Case(f"communes {count}", argv, tuple(wanted), target=Target(min_rate=20))


def summary_cost_cases(case: Case) -> list[Case]:
    """The communes without their batch summary (``--no-summary``) as the floor of the communes
    with it: issue 12 asks that the summary add less than 5 % to the batch."""
    floor = Case(f"{case.key}, no summary", (*case.argv, "--no-summary"), case.needs)
    return [
        floor,
        dataclasses.replace(case, floor=floor.key, target=Target(max_ratio=1.05, min_rate=case.target.min_rate)),
    ]


def build_cases(
    sizes: list[int],
    communes: int,
    project: Path = ROOT,
    summary_cost: bool = False,
    layout_names: tuple[str, ...] | list[str] = (layouts.DEFAULT_LAYOUT,),
) -> list[Case]:
    """Every case, floors first within each size and layout, in the order they run."""
    example = example_workbook(project)
    cases = [Case("imports", ("-c", IMPORTS))]
    for rows in sizes:
        for layout in layout_names:
            cases += register_cases(rows, project, layout)
    ward = ("generate.py", data.relative(example, project), "-o", OUT)
    cases.append(Case("example ward", ward, (example,), "imports", Target(max_ratio=1.25)))
    if communes:
        case = communes_case(communes, project)
        cases += summary_cost_cases(case) if summary_cost else [case]
        if summary_cost:
            pass  # the summary's cost alone (`summary_cost_cases`): no --pdf row
        elif shutil.which("soffice") or shutil.which("libreoffice"):
            cases.append(communes_case(communes, project, pdf=True))
        else:
            print(f"skipped communes {communes} --pdf: LibreOffice (soffice) is not installed", file=sys.stderr)
    return cases


def select(cases: list[Case], only: list[str]) -> list[Case]:
    """Cases whose key contains one of `only` (all when empty), with the floors they are compared to."""
    chosen = {case.key for case in cases if not only or any(word in case.key for word in only)}
    chosen |= {case.floor for case in cases if case.key in chosen and case.floor}
    return [case for case in cases if case.key in chosen]


def missing_data(cases: list[Case]) -> list[Case]:
    return [case for case in cases if not all(path.exists() for path in case.needs)]


def run_all(cases: list[Case], python: str, repeats: int, timeout: float, project: Path = ROOT) -> dict[str, Result]:
    """Run every case `repeats` times, round-robin; a case that failed once is not run again."""
    results = {case.key: Result(case, []) for case in cases}
    for repeat in range(1, repeats + 1):
        for case in cases:
            result = results[case.key]
            if result.failure:
                continue
            run = measure([python, *case.argv], project, timeout, dict(case.env))
            result.runs.append(run)
            status = "ok" if run.ok else ("TIMED OUT" if run.timed_out else f"FAILED (exit {run.exit_code})")
            print(
                f"[{repeat}/{repeats}] {case.key}: {run.wall:.2f} s, {run.peak_mb:.0f} MB, {status}",
                file=sys.stderr,
                flush=True,
            )
    return results


def compile_package(python: str, project: Path) -> None:
    """Compile the package's modules to bytecode once, as Python does on a first run anywhere;
    an environment with PYTHONDONTWRITEBYTECODE set (as this sandbox) would otherwise compile
    them from source in every measured run, while the floors' packages come compiled by pip."""
    subprocess.run([python, "-m", "compileall", "-q", str(project / "povertyplan")], check=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Measure the plan generator against the floors of issue #5.")
    parser.add_argument(
        "--sizes", default=data.DEFAULT_SIZES, help=f"register sizes (default {data.DEFAULT_SIZES}; '' for none)"
    )
    parser.add_argument(
        "--layouts",
        default=layouts.DEFAULT_LAYOUT,
        help=f"register layouts, comma-separated, of {', '.join(layouts.LAYOUTS)} (default {layouts.DEFAULT_LAYOUT})",
    )
    parser.add_argument(
        "--communes",
        type=int,
        default=data.DEFAULT_COMMUNES,
        help=f"commune workbooks in the throughput run (default {data.DEFAULT_COMMUNES}; 0 to skip)",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated words; run only cases whose name holds one (floors follow)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs per command; the median is shown (default 3)")
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds before a run is killed and shown as '> N s' (default 600)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: --sizes 1k --communes 25 --repeats 1 --make")
    parser.add_argument("--make", action="store_true", help="first write any missing workbooks for the chosen sizes")
    parser.add_argument(
        "--summary-cost",
        action="store_true",
        help=(
            "also run the communes with --no-summary, as the floor of the communes with their summary (issue 12: ≤ "
            "1.05×)"
        ),
    )
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter for the measured commands (default: this one)"
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="the generator's folder to measure, e.g. a clone at another commit (default: this repository)",
    )
    parser.add_argument("--write", action="store_true", help="also write the table into benchmarks/RESULTS.md")
    parser.add_argument(
        "--label", default="latest", help="name of the RESULTS.md section that --write replaces (default 'latest')"
    )
    return parser


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    options = build_parser().parse_args(argv)
    if options.quick:
        options.sizes, options.communes, options.repeats, options.make = "1k", min(options.communes, 25), 1, True
    options.size_list = [data.parse_size(label) for label in options.sizes.split(",") if label.strip()]
    options.only_list = [word.strip() for word in options.only.split(",") if word.strip()]
    options.layout_list = data.parse_layouts(options.layouts)
    if options.repeats < 1:
        raise argparse.ArgumentTypeError("--repeats must be at least 1")
    return options


def main(argv: list[str] | None = None) -> int:
    try:
        options = parse_options(argv)
    except argparse.ArgumentTypeError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    if options.make:
        data.main(["--sizes", options.sizes, "--communes", str(options.communes), "--layouts", options.layouts])
    cases = select(
        build_cases(options.size_list, options.communes, options.project, options.summary_cost, options.layout_list),
        options.only_list,
    )
    missing = missing_data(cases)
    for case in missing:
        print(
            (
                f"skipped {case.key}: no data; run: python benchmarks/make_workbooks.py --sizes {options.sizes} "
                f"--communes {options.communes} --layouts {options.layouts}"
            ),
            file=sys.stderr,
        )
    cases = [case for case in cases if case not in missing]
    if not cases:
        print("run.py: nothing to measure", file=sys.stderr)
        return 2
    compile_package(options.python, options.project)
    results = run_all(cases, options.python, options.repeats, options.timeout, options.project)
    print(report.table(results))
    failed = report.failures(results)
    if failed:
        print("\nFailures:\n" + failed)
    if options.write:
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        invocation = "python benchmarks/run.py " + " ".join(
            shlex.quote(arg) for arg in (argv if argv is not None else sys.argv[1:])
        )
        report.write_block(
            RESULTS,
            options.label,
            report.block(
                options.label, when, invocation, machine_facts(options.python, options.project), results, failed
            ),
        )
        print(f"\nwritten: {data.relative(RESULTS, ROOT)} (section '{options.label}')", file=sys.stderr)
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
