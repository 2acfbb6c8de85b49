"""Build real .xlsx workbooks in a temporary folder from compact literals."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import openpyxl

from tests import reference_data


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write `sheets` (sheet name → rows of cell values) to `path` and return it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def rewrite_sheet(path: Path, target: Path, sheet: str, edit) -> Path:
    """Copy the workbook at `path` to `target` with one sheet's XML text changed by `edit`."""
    from povertyplan.read.bigsheet import sheet_parts

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy_:
        part = sheet_parts(source)[sheet]
        for item in source.infolist():
            data = source.read(item.filename)
            copy_.writestr(item, edit(data.decode()).encode() if item.filename == part else data)
    return target


_INLINE = re.compile(
    r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.S
)
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(path: Path, target: Path) -> Path:
    """Copy the workbook at `path` (openpyxl writes text inline) to `target` with its text in a
    shared-strings table, as Excel and LibreOffice save it."""
    table: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = table.setdefault(match[3], len(table))
        return f'<c r="{match[1]}"{match[2]} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy_:
        for item in source.infolist():
            text = source.read(item.filename).decode()
            if item.filename.startswith("xl/worksheets/"):
                text = _INLINE.sub(shared, text)
            elif item.filename == "xl/_rels/workbook.xml.rels":
                text = text.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdShared" Type="{_REL_TYPE}" Target="sharedStrings.xml"/></Relationships>',
                )
            elif item.filename == "[Content_Types].xml":
                text = text.replace(
                    "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CONTENT_TYPE}"/></Types>'
                )
            copy_.writestr(item, text)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in table)
        copy_.writestr(
            "xl/sharedStrings.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n<sst '
                f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(table)}" '
                f'uniqueCount="{len(table)}">{items}</sst>'
            ),
        )
    return target


def reference_sheets(**changes) -> dict[str, list[list]]:
    """The Bắc Sơn 2023 sheets, deep-copied so a test may change any cell."""
    sheets = copy.deepcopy(reference_data.sheets())
    sheets.update(changes)
    return sheets


def example_sheets(survey: bool = False) -> dict[str, list[list]]:
    """The example workbook's sheets (inputs/, `make_example`): the reference data under the blank
    workbook's headers, its optional columns blank. With `survey`, the register's survey columns
    are filled and every unit has a near-poor target, its start count left to the register."""
    sheets = reference_sheets()
    sheets["Chỉ tiêu"][0] += ["Hộ cận nghèo đầu năm", "Chỉ tiêu giảm hộ cận nghèo"]
    if survey:
        for row in sheets["Chỉ tiêu"][1:]:
            row += [None, min(1, reference_data.NEAR_POOR.get(row[1], 0))]
        sheets["Hộ gia đình"] = reference_data.register_sheet(survey=True)
    else:
        sheets["Hộ gia đình"][0] += reference_data.SURVEY_HEADER
    return sheets


def set_info(sheets: dict, label: str, value) -> dict:
    """Set (or add) one item of `Thông tin chung`; a value of None removes the item."""
    rows = sheets["Thông tin chung"]
    for row in rows[1:]:
        if row[0] == label:
            if value is None:
                rows.remove(row)
            else:
                row[1] = value
            return sheets
    if value is not None:
        rows.append([label, value])
    return sheets


def plan_of(workbook, template=None):
    """The composed plan of a validated `workbook`: stages 3 and 4 run as `api.generate` runs them."""
    from povertyplan.aggregate.assessment import assess
    from povertyplan.aggregate.figures import compute_figures
    from povertyplan.aggregate.split import propose_targets
    from povertyplan.compose.plan import compose

    workbook, splits = propose_targets(workbook)
    return compose(workbook, compute_figures(workbook, splits), assess(workbook), template)
