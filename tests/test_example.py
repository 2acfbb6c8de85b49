"""The example workbook in inputs/ is the blank standard workbook, filled with the reference data."""

import openpyxl

from tests.make_example import EXAMPLE, make_example


def cell_values(path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_committed_example_is_what_make_example_writes(tmp_path):
    assert cell_values(EXAMPLE) == cell_values(make_example(tmp_path / "example.xlsx"))


def test_example_keeps_the_drop_downs_of_the_blank_workbook():
    book = openpyxl.load_workbook(EXAMPLE)
    assert book.sheetnames[0] == "Hướng dẫn"
    assert all(book[name].data_validations.dataValidation for name in book.sheetnames[1:])
