"""What recognising and converting old Vietnamese encodings costs (issue 10, point 3).

    python benchmarks/legacy_text.py benchmarks/data/register-100k.xlsx [inputs/so-lieu-….xlsx …]

For each workbook: `read_workbook` with the checks on and with them replaced by no-ops,
interleaved in one process, CPU time (the machine may be shared: wall time would measure the
neighbours). For the large register also: the column-wise check alone on its columns and on ten
times as many rows, and the same columns typed in TCVN3 and VNI converted back (they must come
back identical to the Unicode ones).
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from povertyplan.read import bigsheet, legacy, legacycolumns, sheets, textfindings  # noqa: E402
from povertyplan.validate import workbook as validation  # noqa: E402


def cpu(work, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return sorted(times)


def on_and_off(path: Path, repeats: int) -> str:
    """`read_workbook` CPU time with the legacy-text checks on and off, interleaved."""
    on = (textfindings.CellTexts.__call__, bigsheet.convert_columns, validation.report_text_findings, sheets._MATCHES)
    off = (
        lambda self, row, column, value, style: value,
        lambda columns, rows, sheet, findings: columns,
        lambda *args: None,
        sheets._MATCHES[:2],
    )
    times = {"on": [], "off": []}
    validation.read_workbook(path)
    for _ in range(repeats):
        for name, state in (("off", off), ("on", on)):
            (
                textfindings.CellTexts.__call__,
                bigsheet.convert_columns,
                validation.report_text_findings,
                sheets._MATCHES,
            ) = state
            times[name] += cpu(lambda: validation.read_workbook(path), 1)
    textfindings.CellTexts.__call__, bigsheet.convert_columns, validation.report_text_findings, sheets._MATCHES = on
    median = {name: sorted(values)[len(values) // 2] * 1000 for name, values in times.items()}
    return (
        f"{path.name}: read_workbook {median['on']:.0f} ms with the checks, {median['off']:.0f} ms without (median "
        f"CPU of {repeats})"
    )


def register_columns(path: Path):
    prepared = bigsheet.prepare(path)
    if not prepared.large:
        return None
    name = next(iter(prepared.large))
    with zipfile.ZipFile(path) as archive:
        return bigsheet.xlsxgrid.read_columns(archive, prepared.parts[name], prepared.shared, list(range(20)), 200)


def typed(values, encoding: str):
    encoded = pc.dictionary_encode(values.combine_chunks())
    dictionary = pa.array([legacy.encode(text, encoding) for text in encoded.dictionary.to_pylist()], pa.large_string())
    return pc.take(dictionary, encoded.indices)


def column_checks(path: Path) -> list[str]:
    read = register_columns(path)
    if read is None:
        return []
    lines = []
    for factor in (1, 10):
        columns = {
            key: pa.chunked_array(list(values.chunks) * factor, values.type) for key, values in read.columns.items()
        }
        rows = np.arange(len(next(iter(columns.values()))))
        best = cpu(lambda: legacycolumns.convert_columns(columns, rows, "x", textfindings.TextFindings()), 5)[0]
        lines.append(
            f"  column-wise check, {len(rows):,} rows x {len(columns)} columns: {best * 1000:.0f} ms (best CPU of 5)"
        )
    for encoding in (legacy.TCVN3, legacy.VNI):
        columns = {key: typed(values, encoding) for key, values in read.columns.items()}
        converted = {}
        spent = cpu(
            lambda: converted.update(
                legacycolumns.convert_columns(columns, read.rows, "x", textfindings.TextFindings())
            ),
            1,
        )[0]
        same = sum(converted[key].equals(read.columns[key].combine_chunks()) for key in columns)
        lines.append(
            (
                f"  the same columns typed in {legacy.NAMES[encoding]}: converted in {spent:.2f} s CPU, "
                f"{same}/{len(columns)} identical to the Unicode ones"
            )
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbooks", nargs="+", type=Path)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    for path in args.workbooks:
        print(on_and_off(path, args.repeats))
        print("\n".join(column_checks(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
