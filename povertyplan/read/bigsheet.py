"""Reading a workbook's shared strings, and a large workbook's register column-wise.

openpyxl streams a million-row register in minutes: its shared-strings table (a Python string
per distinct text) takes tens of seconds, and a Python object per cell the rest. `sharedstrings`
reads the shared strings of any workbook with numpy; in a workbook whose sheets reach
FAST_READ_ABOVE bytes of XML, `xlsxgrid` reads the large sheets' columns the same way, as Arrow
text. openpyxl still reads the small sheets (and a large one `xlsxgrid` does not know), row by
row, given those shared strings instead of reading them again: the cells it yields are exactly
those of openpyxl alone.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from povertyplan.read.fast import xlsxgrid
from povertyplan.read.legacy import recognise
from povertyplan.read.legacycolumns import convert_columns
from povertyplan.read.textfindings import TextFindings
from povertyplan.read.fast.sharedstrings import SharedStrings, read_shared_strings
from povertyplan.read.limits import MAX_COLUMNS
from povertyplan.read.xlsx import Hidden

# Below this size (uncompressed sheet XML, about 25,000 register rows) openpyxl is fast enough.
FAST_READ_ABOVE = 8 * 1024**2
# A sheet this large is read column-wise by `xlsxgrid`, not row by row.
LARGE_SHEET = 1024**2
# `sharedstrings` holds the shared-strings part in memory with a few arrays the size of its tags; a real
# million-household register has about 30 MB of them. Beyond this, openpyxl streams them.
MAX_SHARED_BYTES = 200 * 1024**2
# The start of a sheet's part read for its <cols> (column widths, hidden columns).
HEAD_OF_SHEET = 256 * 1024

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


@dataclass
class Prepared:
    """What `prepare` found: the sheets' parts, which are large, and the shared strings
    `sharedstrings` read (None to leave them to openpyxl)."""

    path: Path
    parts: dict[str, str]
    large: set[str]
    shared: SharedStrings | None

    @property
    def shared_strings(self) -> Sequence[str] | None:
        """The shared strings as openpyxl's sheet parser indexes them, or None."""
        return None if self.shared is None else _StringList(self.shared.text)

    def source(self, exact):
        """`exact` (openpyxl's source), able to read the large sheets column-wise if any."""
        return FastSource(exact, self) if self.large else exact


def prepare(path: Path) -> Prepared:
    """Read the workbook's shared strings with `sharedstrings` (faster than openpyxl, for any
    workbook) and find its large sheets: those of LARGE_SHEET bytes or more in a workbook whose
    sheets reach FAST_READ_ABOVE bytes.

    The parts were already checked for DTDs and sizes by `xlsx.check_file`.
    """
    with zipfile.ZipFile(path) as archive:
        if len(archive.NameToInfo) != len(archive.infolist()):
            return Prepared(path, {}, set(), None)  # a part stored twice: which one counts is openpyxl's to say
        parts = sheet_parts(archive)
        sizes = {name: archive.getinfo(part).file_size for name, part in parts.items() if part in archive.NameToInfo}
        shared_part = shared_strings_part(archive)
        shared = None
        if shared_part not in archive.NameToInfo or archive.getinfo(shared_part).file_size <= MAX_SHARED_BYTES:
            shared = read_shared_strings(archive, shared_part)
    large = len(sizes) == len(parts) and sum(sizes.values()) >= FAST_READ_ABOVE and shared is not None
    return Prepared(
        path, parts, {name for name, size in sizes.items() if size >= LARGE_SHEET} if large else set(), shared
    )


class FastSource:
    """The `xlsx.WorkbookSource` of a large workbook, plus `head` and `columns`, which read a
    large sheet column-wise (None for a small sheet or one `xlsxgrid` does not know: its `rows`
    then come from openpyxl). Text in an old encoding or garbled is converted from its characters
    (`legacycolumns`) and noted in `findings`, with openpyxl's."""

    def __init__(self, exact, workbook: Prepared):
        self._exact, self._workbook = exact, workbook
        self._read_whole: dict[str, Hidden] = {}  # the hidden rows and columns of sheets read column-wise
        self.path = workbook.path
        self.sheet_names: tuple[str, ...] = exact.sheet_names
        self.findings = getattr(exact, "findings", None) or TextFindings()
        self.warnings = getattr(exact, "warnings", ())

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """Yield (Excel row number, values) for each non-blank row, as openpyxl reads them."""
        return self._exact.rows(sheet_name)

    def head(self, sheet_name: str, count: int) -> list[tuple[int, tuple]] | None:
        """The first `count` non-blank rows of a large sheet, values as text (in Unicode: they are
        looked at for the header, the cells are noted when `columns` reads them)."""
        if sheet_name not in self._workbook.large:
            return None
        with zipfile.ZipFile(self.path) as archive:
            rows = xlsxgrid.first_rows(
                archive, self._workbook.parts[sheet_name], self._workbook.shared, count, MAX_COLUMNS
            )
        return None if rows is None else [(number, tuple(map(_unicode, values))) for number, values in rows]

    def columns(self, sheet_name: str, indices: list[int]) -> xlsxgrid.Columns | None:
        """The columns `indices` (0 = A) of a large sheet, one row per non-blank sheet row."""
        with zipfile.ZipFile(self.path) as archive:
            read = xlsxgrid.read_columns(
                archive, self._workbook.parts[sheet_name], self._workbook.shared, indices, MAX_COLUMNS
            )
            if read is not None:
                self._read_whole[sheet_name] = Hidden(
                    read.hidden_rows.tolist(), hidden_columns(archive, self._workbook.parts[sheet_name])
                )
        if read is not None:
            read.columns = convert_columns(read.columns, read.rows, sheet_name, self.findings)
        return read

    def hidden(self, sheet_name: str) -> Hidden:
        """The rows and columns hidden in a sheet read (`rows` or `columns`)."""
        return self._read_whole.get(sheet_name) or self._exact.hidden(sheet_name)


def _unicode(value: str | None) -> str | None:
    """A header cell's text in Unicode (`legacy.recognise`)."""
    found = recognise(value) if value else None
    return value if found is None else found[1]


class _StringList(Sequence):
    """Arrow text indexed like a list of str (openpyxl's parser reads only the cells it meets)."""

    def __init__(self, text):
        self._text = text

    def __len__(self) -> int:
        return len(self._text)

    def __getitem__(self, index):
        return self._text[index].as_py()


_COL = re.compile(rb"<col\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(min|max|hidden)="([^"]*)"')


def hidden_columns(archive: zipfile.ZipFile, part: str) -> list[int]:
    """The hidden columns (0 = A, up to MAX_COLUMNS) of a sheet: its <cols> comes before
    <sheetData>, in the first kilobytes of the part."""
    with archive.open(part) as stream:
        head = stream.read(HEAD_OF_SHEET)
    head = head[: head.find(b"<sheetData")] if b"<sheetData" in head else head
    hidden = []
    for tag in _COL.findall(head):
        attributes = {name: value for name, value in _ATTRIBUTE.findall(tag)}
        if (
            attributes.get(b"hidden") in (b"1", b"true")
            and attributes.get(b"min", b"").isdigit()
            and attributes.get(b"max", b"").isdigit()
        ):
            hidden.extend(range(int(attributes[b"min"]) - 1, min(int(attributes[b"max"]), MAX_COLUMNS)))
    return hidden


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part (``xl/worksheets/sheet3.xml``), from workbook.xml and its rels."""
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    return {
        sheet.get("name"): _part(targets.get(sheet.get(f"{_DOC_RELS}id"), "")) for sheet in book.iter(f"{_MAIN}sheet")
    }


def shared_strings_part(archive: zipfile.ZipFile) -> str | None:
    """The shared-strings part where openpyxl looks for it (named in ``[Content_Types].xml``), or
    None: the strings given to openpyxl must be those it would read itself."""
    types = ET.fromstring(archive.read("[Content_Types].xml"))
    for override in types.iter(f"{_TYPES}Override"):
        if override.get("ContentType") == _SHARED_STRINGS_TYPE:
            return override.get("PartName", "").lstrip("/")
    return None


def _part(target: str) -> str:
    """A relationship's target from xl/workbook.xml as a path in the package."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
