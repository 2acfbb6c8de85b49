"""Write the benchmark workbooks into benchmarks/data/ (git-ignored).

    python benchmarks/make_workbooks.py                      # registers 1k, 100k, 1m + 500 communes
    python benchmarks/make_workbooks.py --sizes 1k,100k --communes 50
    python benchmarks/make_workbooks.py --force              # rewrite files that exist
    python benchmarks/make_workbooks.py --sizes 1m --communes 0 --layouts excel,openpyxl,sdk,libreoffice

The registers come in layouts (`layouts.py`): as Excel saves them (the default, ``register-1m.xlsx``)
and as openpyxl, the Open XML SDK and LibreOffice save them (``register-1m-openpyxl.xlsx`` …).

Deterministic: the same --seed gives the same cells (and, with xlsxwriter's fixed creation date,
the same bytes). Idempotent: a file that exists is skipped unless --force, and a file is written
under a temporary name and renamed, so an interrupted run never leaves a half file to be skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import layouts
import synthetic

DATA = Path(__file__).resolve().parent / "data"
COMMUNES = "communes"
DEFAULT_SIZES = "1k,100k,1m"
DEFAULT_COMMUNES = 500
DEFAULT_SEED = 2023
# Units per register size: a large register spreads over more khu phố.
UNITS_FOR_ROWS = ((10_000, 40), (500_000, 80), (None, 120))
_CREATED = dt.datetime(2025, 1, 1)


def parse_size(label: str) -> int:
    """``1k`` → 1000, ``100k`` → 100000, ``1m`` → 1000000, ``2500`` → 2500."""
    text = label.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    digits = text[:-1] if factor > 1 else text
    if not digits.isdigit() or int(digits) == 0:
        raise argparse.ArgumentTypeError(f"not a size: {label!r} (write 1k, 100k, 1m or a number)")
    return int(digits) * factor


def parse_layouts(text: str) -> list[str]:
    """``excel,sdk`` → ["excel", "sdk"]; an unknown layout is a usage error."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in layouts.LAYOUTS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown layout {unknown[0]!r} (choose from {', '.join(layouts.LAYOUTS)})")
    return names


def size_label(rows: int) -> str:
    """The inverse of `parse_size` for file names: 1000000 → ``1m``."""
    for suffix, factor in (("m", 1_000_000), ("k", 1_000)):
        if rows % factor == 0:
            return f"{rows // factor}{suffix}"
    return str(rows)


def register_path(rows: int, data: Path = DATA, layout: str = layouts.DEFAULT_LAYOUT) -> Path:
    """``register-1m.xlsx`` as Excel saves it, ``register-1m-sdk.xlsx`` in another layout."""
    suffix = "" if layout == layouts.DEFAULT_LAYOUT else f"-{layout}"
    return data / f"register-{size_label(rows)}{suffix}.xlsx"


def commune_path(index: int, data: Path = DATA) -> Path:
    return data / COMMUNES / f"commune-{index + 1:03d}.xlsx"


def units_for(rows: int) -> int:
    return next(units for limit, units in UNITS_FOR_ROWS if limit is None or rows <= limit)


def write_workbook(path: Path, book: synthetic.SyntheticWorkbook) -> None:
    """Write `book` to `path` through ``<path>.part``; strings go to the shared-string table, as Excel does."""
    import xlsxwriter  # benchmark-only dependency (benchmarks/requirements.txt)

    part = path.with_name(path.name + ".part")
    workbook = xlsxwriter.Workbook(str(part), {"strings_to_urls": False, "strings_to_numbers": False})
    workbook.set_properties({"created": _CREATED, "author": "benchmarks/make_workbooks.py"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, content in book.sheets.items():
        sheet = workbook.add_worksheet(name)
        if isinstance(content, dict):
            _write_columns(sheet, content)
        else:
            _write_rows(sheet, content, date_format)
    workbook.close()
    part.replace(path)


def _write_rows(sheet, rows: list[list], date_format) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date_format)
            elif value is not None:
                sheet.write(r, c, value)
    sheet.set_column(0, len(rows[0]) - 1, 18)


def _write_columns(sheet, columns: dict[str, list]) -> None:
    """The register: a header row, then one `write_row` per household (values are str, int or None)."""
    sheet.write_row(0, 0, list(columns))
    write_row = sheet.write_row
    for r, row in enumerate(zip(*columns.values()), start=1):
        write_row(r, 0, row)
    sheet.set_column(0, 3, 22)


def make(
    path: Path,
    spec: synthetic.CommuneSpec,
    force: bool,
    layout: str = layouts.DEFAULT_LAYOUT,
    excel: Path | None = None,
) -> str:
    """Write `spec`'s workbook at `path` in `layout` unless it exists; return what was done, for
    the log. The sdk and libreoffice layouts are made from the excel one, at `excel`."""
    if path.exists() and not force:
        return "skipped (exists)"
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    part = path.with_name(path.name + ".part")
    if layout == "excel":
        write_workbook(path, synthetic.build(spec))
    else:
        if layout == "openpyxl":
            layouts.write_openpyxl(part, synthetic.build(spec).sheets)
        elif layout == "sdk":
            layouts.prefix_elements(excel, part)
        else:
            layouts.save_with_libreoffice(excel, part)
        part.replace(path)
    return f"written in {time.perf_counter() - start:.1f} s, {path.stat().st_size / 1e6:.1f} MB"


def make_registers(
    sizes: list[int],
    data: Path,
    seed: int,
    force: bool,
    layout_names: tuple[str, ...] | list[str] = (layouts.DEFAULT_LAYOUT,),
) -> None:
    for rows in sizes:
        spec = synthetic.register_spec(rows, units_for(rows), seed=seed + rows)
        excel = register_path(rows, data)
        for layout in layout_names:
            if layout in ("sdk", "libreoffice") and not excel.exists():
                print(f"{relative(excel, Path.cwd())}: {make(excel, spec, force)}", flush=True)
            path = register_path(rows, data, layout)
            print(f"{relative(path, Path.cwd())}: {make(path, spec, force, layout, excel)}", flush=True)


def make_communes(count: int, data: Path, seed: int, force: bool) -> None:
    start, written = time.perf_counter(), 0
    for index, spec in enumerate(synthetic.commune_specs(count, seed)):
        written += not make(commune_path(index, data), spec, force).startswith("skipped")
    print(
        (
            f"{relative(data / COMMUNES, Path.cwd())}/: {count} workbooks, {written} written, {count - written} "
            f"skipped, {time.perf_counter() - start:.1f} s"
        ),
        flush=True,
    )


def relative(path: Path, base: Path) -> str:
    """`path` as a command run in `base` names it: relative to `base` when inside it."""
    path, base = path.resolve(), base.resolve()
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Write synthetic benchmark workbooks into benchmarks/data/.")
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help=f"register sizes, comma-separated (default {DEFAULT_SIZES}; '' for none)"
    )
    parser.add_argument(
        "--layouts",
        default=layouts.DEFAULT_LAYOUT,
        help=f"register layouts, comma-separated, of {', '.join(layouts.LAYOUTS)} (default {layouts.DEFAULT_LAYOUT})",
    )
    parser.add_argument(
        "--communes",
        type=int,
        default=DEFAULT_COMMUNES,
        help=f"ordinary commune workbooks (default {DEFAULT_COMMUNES}; 0 for none)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--data-dir", type=Path, default=DATA, help="where to write (default benchmarks/data)")
    parser.add_argument("--force", action="store_true", help="rewrite workbooks that already exist")
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    try:
        sizes = [parse_size(label) for label in options.sizes.split(",") if label.strip()]
        layout_names = parse_layouts(options.layouts)
    except argparse.ArgumentTypeError as error:
        print(error, file=sys.stderr)
        return 2
    make_registers(sizes, options.data_dir, options.seed, options.force, layout_names)
    if options.communes:
        make_communes(options.communes, options.data_dir, options.seed, options.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
