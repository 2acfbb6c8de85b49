"""Households classified by the standard of the plan year, checked against hand-computed boundary cases."""

import pytest

from povertyplan import api
from povertyplan.aggregate.classify import disagrees
from tests.survey_builders import household, survey_workbook

# (level, year, Khu vực, income, indicators lacked, expected class): worked out by hand from
# poverty-standards.md. Phường Bắc Sơn-like wards are urban; thresholds are "≤". Each case sits
# beside an ordinary poor household, so the register has incomes and marks whatever the case.
CASES = {
    "urban at the threshold with 3 deprivations is poor": ("Phường", 2023, None, 2_000_000, 3, "poor"),
    "urban at the threshold with 2 deprivations is near-poor": ("Phường", 2023, None, 2_000_000, 2, "near_poor"),
    "urban one dong above the threshold is average": ("Phường", 2023, None, 2_000_001, 5, "average"),
    "urban at the average ceiling is average": ("Phường", 2023, None, 3_000_000, 0, "average"),
    "urban above the average ceiling is outside": ("Phường", 2023, None, 3_000_001, 0, "above"),
    "thị trấn is urban": ("Thị trấn", 2023, None, 1_800_000, 3, "poor"),
    "rural at the threshold with 3 deprivations is poor": ("Xã", 2023, None, 1_500_000, 3, "poor"),
    "rural one dong above the threshold is average": ("Xã", 2023, None, 1_500_001, 3, "average"),
    "rural at the average ceiling is average": ("Xã", 2023, None, 2_250_000, 0, "average"),
    "rural above the average ceiling is outside": ("Xã", 2023, None, 2_250_001, 0, "above"),
    "đặc khu is rural by default": ("Đặc khu", 2023, None, 1_800_000, 3, "average"),
    "Khu vực Nông thôn overrides a phường": ("Phường", 2023, "Nông thôn", 1_800_000, 1, "average"),
    "Khu vực Thành thị overrides a xã": ("Xã", 2023, "Thành thị", 1_800_000, 1, "near_poor"),
    "2026 keeps the 2022-2025 urban threshold": ("Phường", 2026, None, 2_100_000, 3, "average"),
    "2027 uses the 2026-2030 urban threshold": ("Phường", 2027, None, 2_100_000, 3, "poor"),
    "2026 rural 2.2 million is above the threshold": ("Xã", 2026, None, 2_200_000, 2, "average"),
    "2027 rural 2.2 million is at the threshold": ("Xã", 2027, None, 2_200_000, 2, "near_poor"),
    "2027 urban at the threshold": ("Phường", 2027, None, 2_800_000, 3, "poor"),
    "2027 has no average rule: above the threshold is outside": ("Phường", 2027, None, 2_800_001, 0, "above"),
    "no income recorded cannot be classified": ("Phường", 2023, None, None, 5, "unknown"),
}


ORDINARY = household("H0", income=1_000_000, lacking=3)


@pytest.mark.parametrize("level, year, area, income, lacking, expected", CASES.values(), ids=CASES.keys())
def test_household_class_at_the_boundaries(tmp_path, level, year, area, income, lacking, expected):
    path = survey_workbook(
        tmp_path, [ORDINARY, household("H1", income=income, lacking=lacking, area=area)], level=level, year=year
    )
    classified = api.check(path).assessment.classified
    assert classified.loc[1, "computed"] == expected


def test_workbook_period_overrides_the_year_for_classification(tmp_path):
    path = survey_workbook(tmp_path, [household("H1", income=2_100_000)], year=2027, period="2022 - 2025")
    assert api.check(path).assessment.classified.loc[0, "computed"] == "average"


def test_threshold_and_deprivations_are_reported_per_household(tmp_path):
    path = survey_workbook(tmp_path, [household("H1", income=1_600_000, lacking=4, area="Nông thôn")])
    row = api.check(path).assessment.classified.iloc[0]
    assert (row["area"], row["threshold"], row["deprivations"], row["income"]) == ("rural", 1_500_000, 4, 1_600_000)


def test_household_without_income_is_never_a_disagreement(tmp_path):
    households = [household("H1", income=None, lacking=0), household("H2", income=1_000_000, lacking=1)]
    result = api.check(survey_workbook(tmp_path, households))
    classified = result.assessment.classified
    assert list(classified["computed"]) == ["unknown", "near_poor"]
    assert list(disagrees(classified)) == [False, True]
    assert any(w.code == "income_missing" and "1 hộ" in w.text for w in result.warnings)


def test_near_poor_declared_and_computed_agree(tmp_path):
    path = survey_workbook(tmp_path, [household("H1", "Hộ cận nghèo", income=1_900_000, lacking=2)])
    classified = api.check(path).assessment.classified
    assert not disagrees(classified).any()


def test_decree_351_classification_warns_that_its_indicators_are_unconfirmed(tmp_path):
    result = api.check(survey_workbook(tmp_path, [household("H1")], year=2027))
    assert any(w.code == "standard_unconfirmed" for w in result.warnings)


def test_unknown_period_leaves_households_unclassified_with_a_warning(tmp_path):
    result = api.check(survey_workbook(tmp_path, [household("H1")], period="2016 - 2020"))
    assert result.assessment.classified is None
    assert any(w.code == "unknown_standard" and "2016 - 2020" in w.text for w in result.warnings)


def test_income_without_any_indicator_mark_is_not_classified(tmp_path):
    result = api.check(survey_workbook(tmp_path, [household("H1", lacking=0)]))
    assert result.assessment.classified is None
    assert any(w.code == "no_indicator_marks" for w in result.warnings)


def test_indicators_without_income_give_deprivations_but_no_classes(tmp_path):
    result = api.check(survey_workbook(tmp_path, [household("H1", income=None, lacking=3)]))
    assert result.assessment.classified is None
    assert result.assessment.deprivations is not None
    assert any(w.code == "no_income" for w in result.warnings)


def test_missing_indicator_column_is_named_in_a_warning(tmp_path):
    row = household("H1")
    del row["Bảo hiểm y tế"]
    result = api.check(survey_workbook(tmp_path, [row]))
    assert result.assessment.deprivations is None
    assert any(w.code == "indicator_columns_missing" and '"Bảo hiểm y tế"' in w.text for w in result.warnings)
