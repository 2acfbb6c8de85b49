"""The same workbook as different programs save it: the layout dimension of the benchmarks.

- ``excel``: text in a shared-strings table, as Excel saves it (written by XlsxWriter, which
  writes what Excel writes);
- ``openpyxl``: text inline in every cell (``t="inlineStr"``), every non-ASCII letter a character
  reference (``Nguy&#7877;n``), as openpyxl saves it (written by openpyxl);
- ``sdk``: every SpreadsheetML element prefixed ``x:`` with ``xmlns:x="…"``, as programs built on
  Microsoft's Open XML SDK save it (the ``excel`` workbook with its XML rewritten so);
- ``libreoffice``: LibreOffice Calc's layout (every row and cell with all its attributes, the
  ``excel`` workbook opened and saved by ``soffice --convert-to xlsx``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

LAYOUTS = ("excel", "openpyxl", "sdk", "libreoffice")
DEFAULT_LAYOUT = "excel"
_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_UNPREFIXED_TAG = re.compile(rb"<(/?)([A-Za-z_][\w.-]*)(?=[\s/>])")
_CHUNK = 8 * 1024**2


def write_openpyxl(path: Path, sheets: dict) -> None:
    """Write the sheets (name → rows, or the register as name → columns) with openpyxl."""
    import openpyxl  # the writer whose layout this is

    book = openpyxl.Workbook(write_only=True)
    for name, content in sheets.items():
        sheet = book.create_sheet(name)
        rows = zip(*content.values()) if isinstance(content, dict) else content
        if isinstance(content, dict):
            sheet.append(list(content))
        for row in rows:
            sheet.append(list(row))
    book.save(path)


def prefix_elements(source: Path, target: Path) -> None:
    """Copy the workbook `source` to `target` with every SpreadsheetML element prefixed ``x:``."""
    with zipfile.ZipFile(source) as reading, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as writing:
        for item in reading.infolist():
            with reading.open(item) as stream, writing.open(_copy_info(item), "w", force_zip64=True) as out:
                head = stream.read(_CHUNK)
                if _MAIN not in head[:4096]:
                    out.write(head)
                    shutil.copyfileobj(stream, out, _CHUNK)
                    continue
                carry = head.replace(_MAIN, _MAIN.replace(b"xmlns=", b"xmlns:x="), 1)
                while True:
                    block = stream.read(_CHUNK)
                    buffer = carry + block
                    cut = len(buffer) if not block else buffer.rfind(b">") + 1
                    out.write(_UNPREFIXED_TAG.sub(rb"<\1x:\2", buffer[:cut]))
                    carry = buffer[cut:]
                    if not block:
                        break


def _copy_info(item: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(item.filename, item.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def save_with_libreoffice(source: Path, target: Path) -> None:
    """Open `source` in LibreOffice Calc (headless, its own profile) and save it as `target`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed for the libreoffice layout")
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work, "profile").as_uri()  # not the user's: a running LibreOffice would take the job
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--calc",
                "--convert-to",
                "xlsx:Calc Office Open XML",
                "--outdir",
                work,
                str(source),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": work},
        )
        saved = Path(work, source.stem + ".xlsx")
        if done.returncode or not saved.exists():
            raise RuntimeError(f"soffice failed: {done.stderr[-500:] or done.stdout[-500:]}")
        shutil.move(saved, target)
