"""A workbook's stylesheet cut down to what reading its values needs, for a stylesheet openpyxl refuses.

Programs other than Excel write stylesheets openpyxl cannot build (xlsx-populate an empty <fill/>,
ClosedXML a colour "FED+", SheetJS a cell style without the style it names, Apache POI's fuzzed
files attributes of their own), although the cells are sound and other readers open the file.
Reading needs three things from a stylesheet: the number formats (a number in a date format is a
date), each cell format's number format (`numFmtId`) and font (`fontId`: an old Vietnamese font
says how its text is encoded), and the fonts' names. `minimal_stylesheet` keeps exactly those, in
a stylesheet openpyxl reads, so the values it gives are the ones it would give the sound file.
`minimal_styles` cuts a package's stylesheet down; `RestyledPackage` gives it to openpyxl
(`xlsx._read`) in place of the package's own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
import zlib

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The part openpyxl reads a workbook's stylesheet from, whatever the package's relationships say
# (`openpyxl.xml.constants.ARC_STYLE`; tests/read/test_private_apis.py checks it).
STYLES_PART = "xl/styles.xml"


def minimal_styles(stream) -> bytes | None:
    """The stylesheet of the package in `stream` cut down (`minimal_stylesheet`); None when the
    package has none, or its part cannot be read or parsed (its size was checked by `xlsx.check_file`)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            xml = archive.read(STYLES_PART)
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return minimal_stylesheet(xml)


class RestyledPackage(zipfile.ZipFile):
    """The package in `stream`, its stylesheet part read as `styles`, other parts as stored.
    openpyxl reads the stylesheet with `read` (its `apply_stylesheet`; tests/read/test_private_apis.py
    checks it)."""

    def __init__(self, stream, styles: bytes):
        super().__init__(stream)
        self._styles = styles

    def read(self, name, pwd=None) -> bytes:
        return self._styles if name == STYLES_PART else super().read(name, pwd)


def minimal_stylesheet(xml: bytes) -> bytes | None:
    """The stylesheet `xml` with only its number formats, fonts' names and cell formats' number
    format and font; None when `xml` is not well-formed XML (nothing can be kept from it).

    Elements are matched by local name (the Open XML SDK writes an ``x:`` prefix). A value that is
    not a whole number falls back to 0 (General, the first font), as Excel reads a cell format
    that names none.
    """
    try:
        root = fromstring(xml, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError):
        return None
    formats = [
        (_whole(element.get("numFmtId")), element.get("formatCode"))
        for element in _items(root, "numFmts", "numFmt")
        if _whole(element.get("numFmtId"), None) is not None and element.get("formatCode") is not None
    ]
    fonts = [_font_name(element) for element in _items(root, "fonts", "font")]
    cell_formats = [
        (_whole(element.get("numFmtId")), _whole(element.get("fontId"))) for element in _items(root, "cellXfs", "xf")
    ]
    return _write(formats, fonts, cell_formats)


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _items(root: ET.Element, group: str, item: str) -> list[ET.Element]:
    """The `item` elements of the stylesheet's own `group` (not those of <dxfs> or an extension)."""
    for child in root:
        if _local(child.tag) == group:
            return [element for element in child if _local(element.tag) == item]
    return []


def _whole(text: str | None, default: int | None = 0) -> int | None:
    try:
        number = int(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return number if number >= 0 else default


def _font_name(font: ET.Element) -> str | None:
    return next((element.get("val") for element in font if _local(element.tag) == "name"), None)


def _write(formats: list[tuple[int, str]], fonts: list[str | None], cell_formats: list[tuple[int, int]]) -> bytes:
    """A stylesheet openpyxl reads: the given parts, one plain fill, border and named style."""
    sheet = ET.Element("styleSheet", xmlns=MAIN)
    group = ET.SubElement(sheet, "numFmts", count=str(len(formats)))
    for number, code in formats:
        ET.SubElement(group, "numFmt", numFmtId=str(number), formatCode=code)
    group = ET.SubElement(sheet, "fonts", count=str(max(len(fonts), 1)))
    for name in fonts or [None]:
        font = ET.SubElement(group, "font")
        if name is not None:
            ET.SubElement(font, "name", val=name)
    ET.SubElement(ET.SubElement(ET.SubElement(sheet, "fills", count="1"), "fill"), "patternFill", patternType="none")
    ET.SubElement(ET.SubElement(sheet, "borders", count="1"), "border")
    ET.SubElement(ET.SubElement(sheet, "cellStyleXfs", count="1"), "xf", numFmtId="0", fontId="0")
    group = ET.SubElement(sheet, "cellXfs", count=str(len(cell_formats)))
    for number, font in cell_formats:
        ET.SubElement(group, "xf", numFmtId=str(number), fontId=str(font), xfId="0")
    ET.SubElement(ET.SubElement(sheet, "cellStyles", count="1"), "cellStyle", name="Normal", xfId="0", builtinId="0")
    return ET.tostring(sheet, encoding="utf-8", xml_declaration=True)
