"""Opening a workbook for reading: the one entry point of the read stage.

The kind of workbook is told by the file's content (`formats.kind_of`): an .xls or an .ods is read
by calamine (`calamine.open_book`, after its own checks); an .xlsb or another OpenDocument file
is refused with a message. For an .xlsx (.xlsm…), `open_workbook` checks the file
(`xlsx.check_file`: nothing is parsed before it is known to be a
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

from povertyplan.errors import FileProblem
from povertyplan.messages import say
from povertyplan.read import bigsheet, calamine, formats
from povertyplan.read.xlsx import WorkbookSource, check_file, open_exact


@contextmanager
def open_workbook(path: str | os.PathLike) -> Iterator[WorkbookSource]:
    """Open `path` read-only (an .xlsx after `check_file`); raise FileProblem when it cannot be read.

    The file is opened by this module (not by name inside openpyxl), so a workbook saved with
    another extension is still read, and a file locked by Excel gets its own message.
    """
    path = Path(path)
    kind = formats.kind_of(path)
    if kind in (formats.XLS, formats.ODS):
        with calamine.open_book(path, kind) as source:
            yield source
        return
    if kind == formats.XLSB:
        raise FileProblem(say("read.xlsb_not_read", name=path.name))
    if kind == formats.OTHER_ODF:
        raise FileProblem(say("read.ods_other_document", name=path.name))
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
