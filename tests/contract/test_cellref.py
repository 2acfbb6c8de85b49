"""Cells named as Excel names them."""

from povertyplan.contract.cellref import cell_reference, column_letter


def test_columns_are_lettered_as_excel_letters_them():
    assert [column_letter(index) for index in (0, 1, 25, 26, 27, 51, 52, 701, 702, 16383)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]


def test_a_cell_is_its_column_then_its_row():
    assert cell_reference(7, 1) == "B7"
