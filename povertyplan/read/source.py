"""Opening a workbook for reading: the one entry point of the read stage.

`open_workbook` checks the file (`xlsx.check_file`: nothing is parsed before it is known to be a
safe workbook), reads its shared strings and finds its large sheets (`bigsheet.prepare`), then
opens it with openpyxl (`xlsx.open_exact`), given those strings; the source it yields reads the
large sheets column-wise.
"""
from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from povertyplan.read import bigsheet
from povertyplan.read.xlsx import WorkbookSource, check_file, open_exact


@contextmanager
def open_workbook(path: str | os.PathLike) -> Iterator[WorkbookSource]:
    """Open `path` read-only after `check_file`; raise FileProblem when it cannot be read.

    The file is opened by this module (not by name inside openpyxl), so a workbook saved with
    another extension is still read, and a file locked by Excel gets its own message.
    """
    path = Path(path)
    check_file(path)
    prepared = prepare(path)
    with open_exact(path, prepared.shared_strings if prepared else None) as source:
        yield prepared.source(source) if prepared else source


def prepare(path: Path) -> bigsheet.Prepared | None:
    """The shared strings and large sheets found by `bigsheet.prepare`, or None to leave
    everything to openpyxl (which explains what is wrong with a damaged file)."""
    try:
        return bigsheet.prepare(path)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, SyntaxError, MemoryError):
        return None
