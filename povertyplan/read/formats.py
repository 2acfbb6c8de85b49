"""Which kind of workbook a file holds, told by its content, not by its name.

An .xls saved as .xlsx, or an .ods renamed, is still read by the reader it needs. Nothing is
parsed here: the first bytes and, for a zip, the names of its parts (and the `mimetype` part of
an OpenDocument file) are enough.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

XLSX = "xlsx"  # Office Open XML (.xlsx, .xlsm, .xltx…), or anything `xlsx.check_file` explains
XLS = "xls"  # Excel 97–2003 (an OLE2 compound file)
ODS = "ods"  # OpenDocument spreadsheet (LibreOffice, WPS…)
XLSB = "xlsb"  # Excel binary workbook
OTHER_ODF = "odf"  # an OpenDocument file that is no spreadsheet (a Writer text, a presentation…)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODF_MIMETYPE = b"application/vnd.oasis.opendocument."


def kind_of(path: Path) -> str:
    """The kind of workbook at `path`: XLS, ODS, XLSB, OTHER_ODF, or XLSX for everything else.

    A file that cannot be read, is not a workbook or is damaged counts as XLSX: the checks of
    `xlsx.check_file` then say what is wrong with it, as they always did.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
        if head.startswith(OLE_MAGIC):
            return XLS  # or a password-protected .xlsx, which is an OLE2 file too: `biffscan` tells
        if head.startswith(b"PK"):
            return _zip_kind(path)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError):
        pass
    return XLSX


def _zip_kind(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.NameToInfo)
        if "mimetype" in names and "xl/workbook.xml" not in names:
            with archive.open("mimetype") as stream:
                mimetype = stream.read(100).strip()
            if mimetype.startswith(ODS_MIMETYPE):  # also the template (.ots), which reads the same
                return ODS
            if mimetype.startswith(_ODF_MIMETYPE):
                return OTHER_ODF
        if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
            return XLSB
    return XLSX
