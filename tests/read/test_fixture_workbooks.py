"""The fast readers on workbooks written by real programs (tests/fixtures/, made by
tests/fixtures/make_fixtures.py, and files from other projects' test suites in
tests/fixtures/corpus/): exactly openpyxl's values, on the fast path, never a program error.

The same comparison runs over any folder with ``python -m tests.read.differential FOLDER``.
"""

import zipfile

import pandas as pd
import pytest

from povertyplan import api
from povertyplan.read import bigsheet
from povertyplan.read.fast import xlsxgrid
from povertyplan.read.fast.sharedstrings import read_shared_strings
from povertyplan.read.limits import MAX_COLUMNS
from tests.paths import EXAMPLE, ROOT
from tests.read import differential

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl on odd styles, in its own words
FIXTURES = ROOT / "tests" / "fixtures"
PROGRAMS = [
    "xlsxwriter-cells",
    "openpyxl-cells",
    "libreoffice-cells",
    "open-xml-sdk-cells",
    "open-xml-sdk-no-references",
    "quirks-shared-strings",
    "libreoffice-example-ward",
    "open-xml-sdk-example-ward",
]
# Files of other projects' test suites where the readers once failed (tests/fixtures/LICENSES.md).
CORPUS = sorted((FIXTURES / "corpus").glob("*.xlsx"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_a_workbook_a_program_wrote_reads_as_openpyxl_reads_it_on_the_fast_path(name):
    report = differential.compare(FIXTURES / f"{name}.xlsx")
    assert report.failures == []
    assert report.aside == []  # neither the shared strings nor any sheet left to openpyxl


@pytest.mark.parametrize("path", CORPUS, ids=[path.name for path in CORPUS])
def test_a_workbook_from_another_projects_tests_reads_as_openpyxl_reads_it(path):
    assert differential.compare(path).failures == []


@pytest.mark.parametrize("name", ["libreoffice-example-ward", "open-xml-sdk-example-ward"])
def test_the_example_ward_saved_by_another_program_gives_the_same_figures(name, monkeypatch):
    monkeypatch.setattr(bigsheet, "FAST_READ_ABOVE", 0)
    monkeypatch.setattr(bigsheet, "LARGE_SHEET", 0)
    other, example = api.check(FIXTURES / f"{name}.xlsx"), api.check(EXAMPLE)
    assert other.report == example.report
    assert other.workbook.info == example.workbook.info
    pd.testing.assert_frame_equal(other.workbook.register, example.workbook.register, check_dtype=False)


def test_the_quirks_of_shared_strings_read_as_openpyxl_reads_them():
    with zipfile.ZipFile(FIXTURES / "quirks-shared-strings.xlsx") as archive:
        strings = read_shared_strings(archive, "xl/sharedStrings.xml").text.to_pylist()
    assert strings == [
        "",
        "Khu phố 3",
        "漢字",
        "",
        "dòng 1\ndòng 2\ndòng 3\r",
        "Thôn & bản",
        "Mã hộ",
        "nghiêng",
        "_x000D_ giữ nguyên",
    ]


def test_the_open_xml_sdk_prefix_is_read_like_no_prefix():
    def columns(name):
        with zipfile.ZipFile(FIXTURES / name) as archive:
            shared = read_shared_strings(archive, bigsheet.shared_strings_part(archive))
            read = xlsxgrid.read_columns(
                archive, bigsheet.sheet_parts(archive)["Dữ liệu"], shared, list(range(30)), MAX_COLUMNS
            )
        return list(read.rows), {column: values.to_pylist() for column, values in read.columns.items()}

    with zipfile.ZipFile(FIXTURES / "open-xml-sdk-cells.xlsx") as archive:
        assert archive.read("xl/worksheets/sheet1.xml").count(b"<x:c ") > 10
    assert columns("open-xml-sdk-cells.xlsx") == columns("xlsxwriter-cells.xlsx")
