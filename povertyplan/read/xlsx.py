"""Reading .xlsx files: the only module that knows openpyxl's reading side.

`open_workbook` checks the file before any XML is parsed (missing, locked, not a zip, zip bomb,
XML entity declarations; an .xls or a password-protected file, both OLE2 files, never come here:
`source` sends them to `calamine`) and then streams rows in
read-only mode, so memory stays bounded by the sheets actually used. Rows come out as (Excel row
number, tuple of values); blank rows are skipped. Anything openpyxl raises on a damaged or hostile
file becomes a `FileProblem` with a Vietnamese message: the file is data, never a reason to crash.
A stylesheet openpyxl refuses is the one damage read past: the workbook is read again with the
stylesheet cut down to what reading needs (`stylesheet`), and a warning says so. A part whose bytes
fail their checksum is refused with its own message: figures read from it could be wrong.
The limits below are stated for users in docs/limits.md.
"""

from __future__ import annotations

import functools
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout, suppress
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException

from povertyplan.errors import WARNING, FileProblem, Problem
from povertyplan.messages import say
from povertyplan.read.cells import UNSAVED_FORMULA
from povertyplan.read.stylesheet import RestyledPackage, minimal_styles
from povertyplan.read.textfindings import CellTexts, TextFindings, styles_fonts
from povertyplan.read.limits import (
    EXCEL_MAX_COLUMN,
    EXCEL_MAX_ROW,
    MAX_COLUMNS,
    MAX_MEMBERS,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNPACKED_BYTES,
    PROLOG_BYTES,
    RATIO_APPLIES_ABOVE,
)

# openpyxl warns in English about things the official cannot act on (unsupported extensions,
# dates out of range: the latter reach the official as the cell's error value instead).
warnings.filterwarnings("ignore", module=r"openpyxl(\.|$)")

# How many exceptions back `_bad_checksum` looks for zipfile's own (openpyxl wraps what it raises).
_CAUSES = 8


def check_file(path: Path) -> None:
    """Refuse, with a message, a file that is not a safe .xlsx workbook; parse nothing."""
    if not path.exists():
        raise FileProblem(say("read.file_missing", path=path))
    if not path.is_file():
        raise FileProblem(say("read.not_a_file", path=path))
    head = _head(path)
    if not head.startswith(b"PK"):
        raise FileProblem(say("read.not_xlsx", name=path.name))
    _check_zip(path)


def _locked(path: Path) -> FileProblem:
    return FileProblem(say("read.locked", name=path.name))


def _corrupt(path: Path) -> FileProblem:
    return FileProblem(say("read.corrupt", name=path.name))


def _hostile(path: Path, why: str) -> FileProblem:
    return FileProblem(say("read.hostile", name=path.name, why=why))


def _checksum_failed(path: Path) -> FileProblem:
    return FileProblem(say("read.checksum_mismatch", name=path.name))


def _bad_checksum(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from, is zipfile's finding that a part's bytes do
    not match the checksum (CRC-32) stored with them: the file was damaged after it was written.

    Other readers (calamine) skip the check and read such a part; its figures cannot be trusted.
    """
    for _ in range(_CAUSES):
        if error is None:
            return False
        if isinstance(error, zipfile.BadZipFile) and str(error).startswith("Bad CRC-32"):
            return True
        error = error.__cause__ or error.__context__
    return False


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            return stream.read(8)
    except PermissionError:
        raise _locked(path) from None
    except OSError as error:
        raise FileProblem(say("read.unreadable", name=path.name, reason=error.strerror or error)) from None


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if "xl/workbook.xml" not in names:
                raise FileProblem(say("read.not_a_workbook", name=path.name))
            _check_sizes(path, members)
            if any(_declares_dtd(archive, member) for member in members if _is_xml(member.filename)):
                raise _hostile(path, say("read.why_dtd"))
    except PermissionError:
        raise _locked(path) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as error:
        # RuntimeError: an encrypted zip member; NotImplementedError: an unknown compression.
        raise (_checksum_failed(path) if _bad_checksum(error) else _corrupt(path)) from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise _hostile(path, say("read.why_members", count=len(members), limit=MAX_MEMBERS))
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _hostile(path, say("read.why_unpacked", size=_size(MAX_UNPACKED_BYTES)))
    for member in members:
        if member.file_size > RATIO_APPLIES_ABOVE and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _hostile(path, say("read.why_ratio", ratio=MAX_RATIO))
        if member.file_size > _part_limit(member.filename):
            raise _hostile(
                path, say("read.why_part", part=member.filename[:60], size=_size(_part_limit(member.filename)))
            )


def _size(count: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2)):
        if count >= size:
            return f"{count // size} {unit}"
    return f"{count // 1024} KB"


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _part_limit(name: str) -> int:
    """How large one part may unpack: sheets are streamed, other XML is parsed whole."""
    lower = name.lower()
    if lower.startswith("xl/worksheets/") or not _is_xml(lower):
        return MAX_UNPACKED_BYTES
    if lower.endswith("sharedstrings.xml"):
        return MAX_SHARED_STRINGS_BYTES
    return MAX_PART_BYTES


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Tell whether an XML part's prolog holds a DTD (entity expansion, external entities).

    Only the prolog is read: after the root element's first tag no DTD may appear. A prolog
    longer than PROLOG_BYTES counts as a DTD: no real one is. UTF-16 text is read by dropping
    its zero bytes, which keeps ASCII markup recognisable.
    """
    with archive.open(member) as stream:
        head = stream.read(PROLOG_BYTES)
    text = head.replace(b"\x00", b"")
    position = 0
    while True:
        start = text.find(b"<", position)
        if start < 0:
            return len(head) == PROLOG_BYTES
        if text.startswith(b"<?", start):
            end = text.find(b"?>", start + 2)
        elif text.startswith(b"<!--", start):
            end = text.find(b"-->", start + 4)
        elif text.startswith(b"<!", start):
            return True
        else:
            return False
        if end < 0:
            return len(head) == PROLOG_BYTES
        position = end + 2


@functools.cache
def _openpyxl():
    """openpyxl's reader classes, adapted; imported on first use (--help must not pay for it).

    Private parts of openpyxl 3.1 (pinned in requirements.txt) are used on purpose, here and in
    `_cell_parser` only (tests/read/test_private_apis.py fails if an upgrade changes them):
    - sheets are created without openpyxl's size probe, which parses a whole sheet that lacks a
      <dimension> element at load time (an unused, huge sheet would cost minutes);
    - cells are parsed by a subclass that marks formulas without a saved value, which openpyxl's
      data_only mode would make indistinguishable from empty cells.
    """
    # deferred: openpyxl takes ~140 ms to import, which `--help` and a bad command line need not pay
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:  # the declared dimension is ignored anyway
            return None

    class Reader(ExcelReader):
        given_strings = None  # shared strings already read (`bigsheet`), or None to read them

        def read_strings(self) -> None:
            if self.given_strings is None:
                super().read_strings()
            else:
                self.shared_strings = self.given_strings

        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.wb._sheets.append(Sheet(self.wb, sheet.name, rel.target, self.shared_strings))

    class CellParser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None and _unsaved(element):
                cell["value"] = UNSAVED_FORMULA
            return cell

    def _unsaved(element) -> bool:
        # Excel saves a formula whose result is empty text as t="str" with an empty <v>; a program
        # that does not calculate writes no <v>, or an empty one on a number cell (openpyxl).
        value = element.find(VALUE_TAG)
        return value is None or (not value.text and element.get("t", "n") != "str")

    return Reader, CellParser


@contextmanager
def _cell_parser(sheet):
    """openpyxl's parser of `sheet`'s cells, with formulas without a saved value marked.

    Private parts of openpyxl 3.1 (tests/read/test_private_apis.py fails if an upgrade changes
    them): the sheet's XML source and shared strings, and the workbook's date formats, which a
    read-only sheet passes to its own parser the same way.
    """
    _, CellParser = _openpyxl()
    book = sheet.parent
    with sheet._get_source() as source:
        yield CellParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )


class WorkbookSource:
    """An open workbook: its sheet names, and the rows of any sheet on demand.

    Text in an old Vietnamese encoding is converted as it is read (`textfindings.CellTexts`, from
    the cell's font or its characters); `findings` notes what was converted.
    """

    def __init__(self, book, path: Path, file_warnings: tuple[Problem, ...] = ()):
        self._book = book
        self.path = path
        self.warnings = file_warnings  # about the file as a whole (`_load`: its stylesheet was cut down)
        self.sheet_names: tuple[str, ...] = tuple(book.sheetnames)
        self.findings = TextFindings()
        self._fonts = _legacy_fonts(book)
        self._hidden: dict[str, Hidden] = {}

    def hidden(self, sheet_name: str) -> Hidden:
        """The rows and columns hidden in a sheet whose rows were read (`rows`, to the end)."""
        return self._hidden.get(sheet_name, Hidden())

    def rows(self, sheet_name: str) -> Iterator[tuple[int, tuple]]:
        """Yield (Excel row number, values) for each non-blank row of a sheet.

        The sheet's declared dimension is ignored (a hostile file may declare a million columns),
        rows are cut at MAX_COLUMNS (the contract has no sheet that wide) and gaps between rows
        cost nothing. Raise FileProblem when the sheet cannot be read.
        """
        try:
            yield from self._rows(self._book[sheet_name])
        except FileProblem:
            raise
        except DefusedXmlException:
            raise _hostile(self.path, say("read.why_sheet_entities", sheet=sheet_name)) from None
        except MemoryError:
            raise _too_big(self.path) from None
        except Exception as error:  # openpyxl, zipfile, zlib and the XML parser raise many types for damage
            if _bad_checksum(error):
                raise _checksum_failed(self.path) from None
            raise FileProblem(say("read.sheet_corrupt", sheet=sheet_name, name=self.path.name)) from None

    def _rows(self, sheet) -> Iterator[tuple[int, tuple]]:
        with _cell_parser(sheet) as parser:
            texts = CellTexts(sheet.title, self._fonts, self.findings)
            hidden = self._hidden[sheet.title] = Hidden()
            for count, (number, cells) in enumerate(parser.parse(), start=1):
                if parser.row_dimensions:  # a row's attributes beyond its number: it may be hidden
                    hidden.rows.extend(
                        int(row) for row, attributes in parser.row_dimensions.items() if _true(attributes.get("hidden"))
                    )
                    parser.row_dimensions.clear()  # row heights: unused here, and one dict per row
                if count == 1:  # <cols> comes before the rows
                    hidden.columns.extend(_hidden_columns(parser.column_dimensions.values()))
                if not 1 <= number <= EXCEL_MAX_ROW or count > EXCEL_MAX_ROW:  # a repeated row number counts too
                    raise _hostile(
                        self.path,
                        say("read.why_row_beyond", sheet=sheet.title, row=max(number, count), limit=EXCEL_MAX_ROW),
                    )
                values = _row_values(cells, self.path, sheet.title, number, texts)
                if values:
                    yield number, values


@dataclass
class Hidden:
    """The rows (Excel numbers) and columns (0 = A, up to MAX_COLUMNS) a sheet hides."""

    rows: list[int] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)


def _true(value: str | None) -> bool:
    """An XML boolean attribute's value."""
    return value in ("1", "true")


def _hidden_columns(dimensions) -> list[int]:
    """The hidden columns among <col min max hidden> elements' attributes (0 = A)."""
    hidden = []
    for attributes in dimensions:
        if _true(attributes.get("hidden")):
            first, last = _number(attributes.get("min")), min(_number(attributes.get("max")), MAX_COLUMNS)
            hidden.extend(range(max(first - 1, 0), last))
    return hidden


def _number(text: str | None) -> int:
    """A whole number attribute; 0 when it is not one (a damaged file hides nothing by it)."""
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _row_values(cells: list[dict], path: Path, sheet: str, row: int, texts: CellTexts) -> tuple | None:
    """The values of the first MAX_COLUMNS columns, or None when all of them are blank; text in
    Unicode (`texts`)."""
    kept = []
    for cell in cells:
        column, value = cell["column"], cell["value"]
        if not 1 <= column <= EXCEL_MAX_COLUMN:
            raise _hostile(path, say("read.why_column_beyond", sheet=sheet, column=column, limit=EXCEL_MAX_COLUMN))
        if column <= MAX_COLUMNS and value is not None and (value != "" or value is UNSAVED_FORMULA):
            if value.__class__ is str and value and (texts.fonts or not value.isascii()):
                value = texts(row, column - 1, value, cell["style_id"])
            kept.append((column, value))
    if not kept:
        return None
    values = [None] * max(column for column, _ in kept)
    for column, value in kept:
        values[column - 1] = value
    return tuple(values)


def _legacy_fonts(book) -> dict[int, str]:
    """Cell style index → the old Vietnamese encoding its font draws (`textfindings.styles_fonts`),
    from openpyxl's private lists of the workbook's fonts and cell styles (openpyxl 3.1, pinned)."""
    fonts = getattr(book, "_fonts", None) or []
    styles = getattr(book, "_cell_styles", None) or []
    return styles_fonts(
        [getattr(font, "name", None) for font in fonts], [getattr(style, "fontId", None) for style in styles]
    )


def _too_big(path: Path) -> FileProblem:
    return FileProblem(say("read.too_big", name=path.name))


@contextmanager
def open_exact(path: Path, shared_strings=None) -> Iterator[WorkbookSource]:
    """The workbook at `path` (already through `check_file`) read by openpyxl, row by row.

    `shared_strings`: the workbook's shared strings when already read (a sequence of str).
    """
    try:
        stream = open(path, "rb")
    except PermissionError:
        raise _locked(path) from None
    except OSError:
        raise _corrupt(path) from None
    try:
        book, file_warnings = _load(stream, path, DefusedXmlException, shared_strings)
        try:
            yield WorkbookSource(book, path, file_warnings)
        finally:
            book.close()
    finally:
        stream.close()


def _load(stream, path: Path, defused: type[Exception], shared_strings=None) -> tuple[object, tuple[Problem, ...]]:
    """openpyxl's workbook from `stream`, and the warnings about reading it.

    When openpyxl refuses the package, and would not for its stylesheet cut down to what reading
    needs (`stylesheet.minimal_styles`), the workbook is read that way, with a warning: the
    cells' values are those openpyxl gives for the sound stylesheet. Otherwise its refusal stands.
    """
    try:
        return _read(stream, shared_strings), ()
    except Exception as error:  # openpyxl raises many types for a damaged package
        problem, retry = _refusal(error, path, defused)
    styles = minimal_styles(stream) if retry else None
    if styles is not None:
        with suppress(Exception):  # the stylesheet was not all openpyxl refused: its refusal stands
            book = _read(stream, shared_strings, styles)
            return book, (Problem("styles_repaired", say("read.styles_repaired", name=path.name), severity=WARNING),)
    raise problem


def _read(stream, shared_strings=None, styles: bytes | None = None):
    """openpyxl's read-only workbook from `stream`; `styles`: a stylesheet to read instead of the package's."""
    Reader, _ = _openpyxl()
    reader = Reader(stream, read_only=True, data_only=True, keep_links=False, rich_text=False)
    if styles is not None:
        reader.archive.close()  # a stream passed to zipfile stays open
        reader.archive = RestyledPackage(stream, styles)  # openpyxl reads the stylesheet through it
    reader.given_strings = shared_strings
    with redirect_stdout(io.StringIO()):  # openpyxl prints English ("0 is out of range") on some stylesheets
        reader.read()
    return reader.wb


def _refusal(error: Exception, path: Path, defused: type[Exception]) -> tuple[FileProblem, bool]:
    """The message for openpyxl's `error` on the package, and whether the package may be read
    again with a minimal stylesheet (not when it is locked, too large, hostile or fails a checksum)."""
    if isinstance(error, PermissionError):
        return _locked(path), False
    if isinstance(error, MemoryError):
        return _too_big(path), False
    if isinstance(error, defused) or isinstance(error.__cause__, defused):  # openpyxl wraps it
        return _hostile(path, say("read.why_entities")), False
    if _bad_checksum(error):
        return _checksum_failed(path), False
    return FileProblem(say("read.invalid", name=path.name)), True
