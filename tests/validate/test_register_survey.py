"""The register's optional columns (poverty-standards.md) are read and validated column-wise."""

import pytest

from povertyplan.errors import WorkbookInvalid
from povertyplan.validate.workbook import read_workbook
from tests.survey_builders import household, survey_workbook


def register_of(tmp_path, *households):
    return read_workbook(survey_workbook(tmp_path, list(households))).register


def problems_of(tmp_path, *households):
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(survey_workbook(tmp_path, list(households)))
    return caught.value.problems


@pytest.mark.parametrize(
    "typed, expected",
    [
        (1500000, 1_500_000),
        (1500000.0, 1_500_000),
        ("1.500.000", 1_500_000),
        (" 1 500 000 ", 1_500_000),
        ("1500000,5", 1_500_000.5),
        (0, 0),
    ],
    ids=["number", "float", "thousands dots", "spaces", "decimal comma", "zero"],
)
def test_income_may_be_typed_as_a_number_or_vietnamese_text(tmp_path, typed, expected):
    assert register_of(tmp_path, household("H1", income=typed))["income"][0] == expected


def test_blank_income_is_missing_not_zero(tmp_path):
    register = register_of(tmp_path, household("H1", income=None), household("H2"))
    assert register["income"].isna().tolist() == [True, False]


@pytest.mark.parametrize("typed", ["một triệu", "-5", "1,500,000", "inf"])
def test_bad_income_is_an_error_citing_only_row_and_household_code(tmp_path, typed):
    problems = problems_of(tmp_path, household("H7", income=typed))
    [problem] = [p for p in problems if p.code == "bad_income"]
    assert (problem.row, problem.household, problem.column, problem.value) == (2, "H7", "Thu nhập bình quân", None)
    assert typed not in problem.format() and "Người Thử" not in problem.format()


def test_indicator_marks_are_x_in_any_case_and_blank_means_not_lacking(tmp_path):
    register = register_of(tmp_path, household("H1", lacking=0, **{"Việc làm": "X", "Dinh dưỡng": " x "}))
    assert register.loc[0, ["lacks_employment", "lacks_dependants", "lacks_nutrition"]].tolist() == [True, False, True]


@pytest.mark.parametrize("typed", ["1", "có", "v"])
def test_a_mark_other_than_x_is_an_error(tmp_path, typed):
    problems = problems_of(tmp_path, household("H1", **{"Bảo hiểm y tế": typed}))
    assert [(p.code, p.column, p.household) for p in problems if p.is_error] == [("bad_mark", "Bảo hiểm y tế", "H1")]


def test_registration_to_leave_poverty_is_a_mark(tmp_path):
    register = register_of(tmp_path, household("H1", leaving="x"), household("H2"))
    assert register["leaving"].tolist() == [True, False]


def test_area_overrides_accept_both_words_in_any_case(tmp_path):
    register = register_of(
        tmp_path, household("H1", area="nông thôn"), household("H2", area="Thành thị"), household("H3")
    )
    assert register["area"].tolist() == ["rural", "urban", None]


def test_unknown_area_is_an_error(tmp_path):
    problems = problems_of(tmp_path, household("H1", area="Miền núi"))
    assert [p.code for p in problems if p.is_error] == ["unknown_area"]


@pytest.mark.parametrize("typed", [0, "2,5", "bốn"])
def test_household_size_is_a_whole_number_from_one(tmp_path, typed):
    problems = problems_of(tmp_path, household("H1", **{"Số nhân khẩu": typed}))
    assert [p.code for p in problems if p.is_error] == ["bad_household_size"]


def test_household_size_and_note_are_kept(tmp_path):
    register = register_of(tmp_path, household("H1", **{"Số nhân khẩu": "4", "Ghi chú": " mới tách hộ "}))
    assert (register["household_size"][0], register["note"][0]) == (4, "mới tách hộ")


def test_register_without_optional_columns_has_only_the_required_ones(tmp_path):
    from tests.builders import reference_sheets, write_workbook

    register = read_workbook(write_workbook(tmp_path / "r.xlsx", reference_sheets())).register
    assert list(register.columns) == ["code", "head", "unit", "category", "row"]


def test_many_bad_cells_are_capped_per_column(tmp_path):
    households = [household(f"H{i}", income="abc") for i in range(30)]
    problems = [p for p in problems_of(tmp_path, *households) if p.code == "bad_income"]
    assert 1 < len(problems) <= 21
